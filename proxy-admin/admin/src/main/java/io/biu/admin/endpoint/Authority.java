package io.biu.admin.endpoint;

import io.biu.kit.secret.TlsIdentity;
import io.micronaut.data.exceptions.DataAccessException;
import jakarta.inject.Singleton;
import java.security.PublicKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * proxy-admin's certificate authority: it signs the certificate of every endpoint that speaks TLS, and clients that
 * trust its certificate ({@code GET /api/v1/ca}) verify any of them. Made on first use and kept in the database,
 * sealed; every instance of proxy-admin on that database shares it (the first to store it wins).
 */
@Singleton
public class Authority {

    private static final Logger LOG = LoggerFactory.getLogger(Authority.class);
    static final Duration AUTHORITY_TERM = Duration.ofDays(3650);
    /** An endpoint's certificate; it is renewed a month before its end. */
    static final Duration CERTIFICATE_TERM = Duration.ofDays(365);
    static final Duration RENEW_BEFORE = Duration.ofDays(30);

    private final AuthorityRepository store;
    private final Clock clock;
    private volatile TlsIdentity identity;

    Authority(AuthorityRepository store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** The authority's certificate, PEM: what clients trust. */
    public String certificate() {
        return identity().certificate();
    }

    /** A new key and a certificate for it naming {@code names} (DNS names and IP addresses). */
    TlsIdentity issue(String commonName, List<String> names) {
        return identity().issue(commonName, names, clock.instant(), CERTIFICATE_TERM);
    }

    /** A certificate for {@code key}, naming {@code names}. */
    String certify(PublicKey key, String commonName, List<String> names) {
        return identity().certify(key, commonName, names, clock.instant(), CERTIFICATE_TERM);
    }

    /** Whether {@code certificate} names every one of {@code names} and is far enough from its end. */
    boolean current(X509Certificate certificate, List<String> names) {
        Instant renewAt = certificate.getNotAfter().toInstant().minus(RENEW_BEFORE);
        return clock.instant().isBefore(renewAt) && names(certificate).containsAll(names);
    }

    /** The DNS names and IP addresses a certificate names. */
    static List<String> names(X509Certificate certificate) {
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            return names == null ? List.of() : names.stream().map(n -> String.valueOf(n.get(1))).toList();
        } catch (CertificateParsingException e) {
            return List.of();
        }
    }

    private TlsIdentity identity() {
        TlsIdentity known = identity;
        if (known == null) {
            synchronized (this) {
                known = identity;
                if (known == null) {
                    known = loadOrMake();
                    identity = known;
                }
            }
        }
        return known;
    }

    private TlsIdentity loadOrMake() {
        var stored = store.findById(AuthorityRecord.ONLY);
        if (stored.isPresent()) {
            return TlsIdentity.parse(stored.get().identity());
        }
        Instant now = clock.instant();
        TlsIdentity made = TlsIdentity.selfSigned("biu endpoints authority", now, AUTHORITY_TERM);
        try {
            store.save(new AuthorityRecord(AuthorityRecord.ONLY, made.pem(), now));
            LOG.info("made the certificate authority of TLS endpoints");
            return made;
        } catch (DataAccessException e) {
            // another instance stored one first: that one is the authority
            return TlsIdentity.parse(store.findById(AuthorityRecord.ONLY).orElseThrow(() -> e).identity());
        }
    }
}
