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

/**
 * PEM texts read with the JDK alone: the blocks of a text ({@code -----BEGIN TYPE----- base64 -----END TYPE-----}),
 * X.509 certificates and PKCS#8 private keys (EC, or RSA). Text around the blocks is ignored, as OpenSSL does.
 * Failures are {@link IllegalArgumentException}s that say what is wrong, never what a key holds.
 */
final class Pem {

    static final String CERTIFICATE = "CERTIFICATE";
    static final String PRIVATE_KEY = "PRIVATE KEY";

    private static final String BEGIN = "-----BEGIN ";
    private static final String END = "-----END ";
    private static final String DASHES = "-----";

    private Pem() {
    }

    /** One block: its type ({@code CERTIFICATE}, {@code PRIVATE KEY}...) and its bytes. */
    record Block(String type, byte[] der) {
    }

    /**
     * The blocks of {@code text}, in order: a block opens on a line {@code -----BEGIN TYPE-----} and closes on the
     * line {@code -----END TYPE-----}. Read line by line, so that the time it takes grows with the text's length
     * only, whatever the text holds.
     */
    static List<Block> blocks(String text) {
        List<Block> blocks = new ArrayList<>();
        String type = null;
        StringBuilder base64 = new StringBuilder();
        for (String line : (Iterable<String>) text.lines()::iterator) {
            String l = line.strip();
            if (type == null) {
                type = label(l, BEGIN);
                base64.setLength(0);
            } else if (l.startsWith(END)) {
                String ended = label(l, END);
                if (!type.equals(ended)) {
                    throw new IllegalArgumentException("a " + type + " block ends with an END line of another type");
                }
                try {
                    blocks.add(new Block(type, Base64.getDecoder().decode(base64.toString())));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("a " + type + " block is not valid base64");
                }
                type = null;
            } else if (l.startsWith(BEGIN)) {
                throw new IllegalArgumentException("a " + type + " block has no END line");
            } else {
                base64.append(l);
            }
        }
        if (type != null) {
            throw new IllegalArgumentException("a " + type + " block has no END line");
        }
        return blocks;
    }

    /** The TYPE of a line {@code <marker>TYPE-----}, or {@code null} if {@code line} is not one. */
    private static String label(String line, String marker) {
        if (!line.startsWith(marker) || !line.endsWith(DASHES) || line.length() <= marker.length() + DASHES.length()) {
            return null;
        }
        String type = line.substring(marker.length(), line.length() - DASHES.length());
        return type.chars().allMatch(c -> c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == ' ') ? type : null;
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
