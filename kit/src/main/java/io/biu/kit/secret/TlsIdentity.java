package io.biu.kit.secret;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A private key and a self-signed certificate for it, both PEM: an identity that a closed group of peers shares and
 * trusts alone, each peer's only trust anchor being the certificate itself. The instances of one Redis cluster hold
 * their cluster's on the cluster bus and for replication: a peer that asks for a client certificate completes a
 * handshake only with a holder of the key, so a process without it can neither join the group nor be joined.
 * EC P-256 signed with SHA-256; the certificate may sign (a CA) and serves both ends of a connection.
 *
 * @param certificate the certificate, PEM
 * @param privateKey  the key, PKCS#8 PEM
 */
public record TlsIdentity(String certificate, String privateKey) {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String KEY_HEADER = "-----BEGIN PRIVATE KEY-----";

    public TlsIdentity {
        if (!certificate.startsWith("-----BEGIN CERTIFICATE-----") || !privateKey.startsWith(KEY_HEADER)) {
            throw new IllegalArgumentException("not a PEM certificate and PKCS#8 key");
        }
    }

    /** A new key and a certificate for it naming {@code commonName}, valid from an hour before {@code now}. */
    public static TlsIdentity selfSigned(String commonName, Instant now, Duration validity) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            KeyPair pair = generator.generateKeyPair();
            X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, new BigInteger(127, RANDOM),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(validity)), name, pair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyCertSign))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                            new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            new JcaX509ExtensionUtils().createSubjectKeyIdentifier(pair.getPublic()));
            byte[] der = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()))
                    .getEncoded();
            return new TlsIdentity(pem("CERTIFICATE", der), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot make a TLS identity: " + e.getMessage(), e);
        }
    }

    /** Both parts in one text, the certificate first: how an identity is stored. */
    public String pem() {
        return certificate + privateKey;
    }

    /** An identity from {@link #pem()}. */
    public static TlsIdentity parse(String pem) {
        int key = pem.indexOf(KEY_HEADER);
        if (key <= 0) {
            throw new IllegalArgumentException("not a certificate followed by a PKCS#8 key");
        }
        return new TlsIdentity(pem.substring(0, key), pem.substring(key));
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    @Override
    public String toString() {
        return "TlsIdentity[key hidden]";
    }
}
