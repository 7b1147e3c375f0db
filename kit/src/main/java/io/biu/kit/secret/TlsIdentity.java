package io.biu.kit.secret;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
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
            KeyPair pair = newKeyPair();
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

    /**
     * A new key and a certificate for it signed by this identity (which must be a CA, as {@link #selfSigned} makes):
     * a server's identity, naming {@code commonName}, valid for the DNS names and IP addresses in
     * {@code subjectAltNames}.
     */
    public TlsIdentity issue(String commonName, List<String> subjectAltNames, Instant now, Duration validity) {
        KeyPair pair = newKeyPair();
        return new TlsIdentity(certify(pair.getPublic(), commonName, subjectAltNames, now, validity),
                pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
    }

    /**
     * A certificate signed by this identity (a CA) for {@code key}: how a server that keeps its key is given a new
     * certificate, for other names or a later expiry. It serves TLS servers only; PEM.
     */
    public String certify(PublicKey key, String commonName, List<String> subjectAltNames, Instant now,
            Duration validity) {
        try {
            X509Certificate ca = x509();
            GeneralName[] names = subjectAltNames.stream().map(TlsIdentity::altName).toArray(GeneralName[]::new);
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    X500Name.getInstance(ca.getSubjectX500Principal().getEncoded()), new BigInteger(127, RANDOM),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(validity)),
                    new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build(), key)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(key))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            utils.createAuthorityKeyIdentifier(ca.getPublicKey()));
            if (names.length > 0) {
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            }
            byte[] der = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key()))
                    .getEncoded();
            return pem("CERTIFICATE", der);
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot certify a key: " + e.getMessage(), e);
        }
    }

    /** The certificate, parsed. */
    public X509Certificate x509() {
        return certificate(certificate);
    }

    /** The first certificate of a PEM text. */
    public static X509Certificate certificate(String pem) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        } catch (CertificateException e) {
            throw new IllegalArgumentException("not a PEM certificate: " + e.getMessage(), e);
        }
    }

    /** Trust whose only anchor is the certificate {@code pem}: a client's view of a private authority. */
    public static TrustManagerFactory trusting(String pem) {
        try {
            KeyStore anchors = KeyStore.getInstance("PKCS12");
            anchors.load(null, null);
            anchors.setCertificateEntry("authority", certificate(pem));
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(anchors);
            return trust;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot trust a certificate: " + e.getMessage(), e);
        }
    }

    /** The private key, parsed. */
    public PrivateKey key() {
        try (PEMParser parser = new PEMParser(new StringReader(privateKey))) {
            return new JcaPEMKeyConverter().getPrivateKey((PrivateKeyInfo) parser.readObject());
        } catch (IOException | ClassCastException e) {
            throw new IllegalStateException("the identity's key cannot be read: " + e.getMessage(), e);
        }
    }

    private static GeneralName altName(String name) {
        boolean ip = name.indexOf(':') >= 0 || name.matches("[0-9.]+");
        return new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, name);
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a key: " + e.getMessage(), e);
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
