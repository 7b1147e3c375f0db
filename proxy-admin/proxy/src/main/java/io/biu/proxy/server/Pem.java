package io.biu.proxy.server;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM texts read with the JDK alone: the blocks of a text ({@code -----BEGIN TYPE----- base64 -----END TYPE-----}),
 * X.509 certificates and PKCS#8 private keys (EC, or RSA). Text around the blocks is ignored, as OpenSSL does.
 * Failures are {@link IllegalArgumentException}s that say what is wrong, never what a key holds.
 */
final class Pem {

    static final String CERTIFICATE = "CERTIFICATE";
    static final String PRIVATE_KEY = "PRIVATE KEY";

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)\\s*-----END \\1-----");

    private Pem() {
    }

    /** One block: its type ({@code CERTIFICATE}, {@code PRIVATE KEY}...) and its bytes. */
    record Block(String type, byte[] der) {
    }

    /** The blocks of {@code text}, in order. */
    static List<Block> blocks(String text) {
        List<Block> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            try {
                blocks.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("a " + m.group(1) + " block is not valid base64");
            }
        }
        return blocks;
    }

    /** The certificates of {@code blocks}, in order. */
    static List<X509Certificate> certificates(List<Block> blocks) {
        List<X509Certificate> certificates = new ArrayList<>();
        for (Block b : blocks) {
            if (b.type().equals(CERTIFICATE)) {
                certificates.add(certificate(b.der()));
            }
        }
        return certificates;
    }

    /** A text of certificates only, the first one the end entity's; anything else in it is refused. */
    static List<X509Certificate> certificatesOnly(String text) {
        List<Block> blocks = blocks(text);
        for (Block b : blocks) {
            if (!b.type().equals(CERTIFICATE)) {
                throw new IllegalArgumentException("expected PEM certificates only, found a " + b.type() + " block");
            }
        }
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("not a PEM certificate (no -----BEGIN CERTIFICATE----- block)");
        }
        return certificates(blocks);
    }

    /** The one PKCS#8 private key of {@code blocks}. */
    static PrivateKey privateKey(List<Block> blocks) {
        List<Block> keys = blocks.stream().filter(b -> b.type().endsWith(PRIVATE_KEY)).toList();
        if (keys.size() != 1) {
            throw new IllegalArgumentException("expected one -----BEGIN PRIVATE KEY----- block, found " + keys.size());
        }
        Block key = keys.get(0);
        if (!key.type().equals(PRIVATE_KEY)) {
            throw new IllegalArgumentException("the key is in a " + key.type() + " block: give it as an unencrypted "
                    + "PKCS#8 key (-----BEGIN PRIVATE KEY-----)");
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(key.der());
        boolean ecKnown = true;
        for (String algorithm : new String[] {"EC", "RSA"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (NoSuchAlgorithmException e) {
                ecKnown &= !algorithm.equals("EC");
            } catch (GeneralSecurityException notThisOne) {
                // the next algorithm, if any
            }
        }
        throw new IllegalArgumentException(ecKnown ? "the private key is not a PKCS#8 EC or RSA key"
                : "this Java runtime cannot read EC keys (it lacks the module jdk.crypto.ec)");
    }

    private static X509Certificate certificate(byte[] der) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException e) {
            throw new IllegalArgumentException("not an X.509 certificate: " + e.getMessage());
        }
    }
}
