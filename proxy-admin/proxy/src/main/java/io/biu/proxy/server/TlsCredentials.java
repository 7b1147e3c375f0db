package io.biu.proxy.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The proxy's TLS key and the certificate it starts serving, as read from {@code tls.file} (a secret file: a PEM
 * certificate, possibly followed by the certificates that signed it, and the PKCS#8 key). The key is the proxy's for
 * its whole life; the certificate may be replaced while it runs ({@link TlsServing#replace}).
 *
 * @param file  where they were read, to name in messages
 * @param key   the private key; never printed
 * @param chain the certificate for the key first, then any that signed it
 */
public record TlsCredentials(Path file, PrivateKey key, List<X509Certificate> chain) {

    private static final SecureRandom RANDOM = new SecureRandom();

    public TlsCredentials {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("tls.file " + file + ": holds no certificate");
        }
        if (!holdsKeyOf(key, chain.get(0).getPublicKey())) {
            throw new IllegalArgumentException("tls.file " + file + ": the private key is not the one of the "
                    + "certificate (" + chain.get(0).getSubjectX500Principal() + ")");
        }
    }

    /** Reads {@code file}; what is missing or wrong in it is an {@link IllegalArgumentException} that names it. */
    public static TlsCredentials read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("tls.file " + file + ": no such file");
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("tls.file " + file + ": cannot be read (" + e + ")");
        }
        PrivateKey key;
        List<X509Certificate> chain;
        try {
            List<Pem.Block> blocks = Pem.blocks(text);
            key = Pem.privateKey(blocks);
            chain = Pem.certificates(blocks);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tls.file " + file + ": " + e.getMessage());
        }
        return new TlsCredentials(file, key, chain);
    }

    /** Whether {@code key} is the private half of {@code publicKey}: what it signs, the public key verifies. */
    static boolean holdsKeyOf(PrivateKey key, PublicKey publicKey) {
        if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
            return false;
        }
        String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256with" + key.getAlgorithm();
        try {
            byte[] probe = new byte[32];
            RANDOM.nextBytes(probe);
            Signature sign = Signature.getInstance(algorithm);
            sign.initSign(key);
            sign.update(probe);
            byte[] signature = sign.sign();
            Signature verify = Signature.getInstance(algorithm);
            verify.initVerify(publicKey);
            verify.update(probe);
            return verify.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "TlsCredentials[file=" + file + ", certificate=" + chain.get(0).getSubjectX500Principal()
                + ", key hidden]";
    }
}
