package io.biu.admin.endpoint;

import io.biu.admin.AdminConfig;
import io.biu.admin.api.AdminError;
import io.biu.admin.api.AdminException;
import io.biu.kit.secret.TlsIdentity;
import io.biu.redisctl.client.ClusterState;
import io.biu.redisctl.client.Connection;
import io.biu.redisctl.client.RedisCtlClient;
import io.biu.scheduler.client.SchedulerClient;
import io.biu.scheduler.client.SchedulerErrors;
import io.biu.scheduler.client.Schema;
import io.biu.scheduler.client.Scopes;
import io.biu.scheduler.client.api.Caller;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Endpoints: issuing one deploys its proxies through the scheduler (an app of the tenant's, its proxies on
 * different nodes of the cluster's pod) with a configuration file that only they read: the cluster's
 * instances and password, and the hashes of the endpoint's password and of proxy-admin's own. The endpoint's
 * password is shown once; proxy-admin keeps its hash only.
 */
@Singleton
public class EndpointService {

    private static final Logger LOG = LoggerFactory.getLogger(EndpointService.class);
    static final String CONFIG_PATH = "/etc/biu/proxy.properties";
    /** A TLS endpoint's key and first certificate, PEM: a secret file like the configuration. */
    static final String TLS_PATH = "/etc/biu/tls.pem";
    /** Who a proxy runs as: not root, on a read-only root (its config's directory and a small /tmp aside). */
    static final String USER = "999:999";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final EndpointRepository endpoints;
    private final EndpointRecords records;
    private final SchedulerClient scheduler;
    private final RedisCtlClient redisCtl;
    private final ProxyLink proxies;
    private final Authority authority;
    private final AdminConfig config;
    private final Clock clock;
    /** Per TLS endpoint, its proxies seen serving a certificate that names them (see {@link #servable}). */
    private final Map<Long, Map<Long, Serving>> serving = new ConcurrentHashMap<>();

    EndpointService(EndpointRepository endpoints, EndpointRecords records, SchedulerClient scheduler,
            RedisCtlClient redisCtl, ProxyLink proxies, Authority authority, AdminConfig config, Clock clock) {
        this.endpoints = endpoints;
        this.records = records;
        this.scheduler = scheduler;
        this.redisCtl = redisCtl;
        this.proxies = proxies;
        this.authority = authority;
        this.config = config;
        this.clock = clock;
    }

    /** An endpoint and, right after it was issued or rotated, its password. */
    public record Issued(Endpoint endpoint, String password) {
    }

    /**
     * Deploys the proxies of a new endpoint for the tenant's cluster; with {@code tls}, they accept TLS connections
     * only, with a key of their own and a certificate from proxy-admin's authority.
     */
    public Issued issue(Caller caller, long clusterId, Integer count, boolean tls) {
        String tenant = caller.actingTenant();
        int proxiesWanted = count == null ? config.proxies() : count;
        if (proxiesWanted < 1 || proxiesWanted > 16) {
            throw new AdminException(AdminError.INVALID, "proxies must be between 1 and 16 (default "
                    + config.proxies() + ", on different nodes)");
        }
        Connection cluster = connection(tenant, clusterId);
        if (cluster.state() != ClusterState.READY) {
            throw new AdminException(AdminError.CONFLICT, "cluster " + cluster.name() + " is " + cluster.state().id()
                    + ": issue its endpoint once it is ready");
        }
        endpoints.findByTenantAndClusterId(tenant, clusterId).ifPresent(e -> {
            throw new AdminException(AdminError.CONFLICT, "cluster " + cluster.name() + " already has endpoint "
                    + e.id() + ": list it, rotate its password or revoke it");
        });
        Integer limit = checkQuota(tenant);
        String password = secret();
        Instant now = clock.instant();
        Endpoint endpoint = records.record(new Endpoint(null, tenant, clusterId, cluster.name(), "",
                proxiesWanted, sha256(password), null, null, secret(), tls, null, now, now), limit);
        endpoint = endpoints.update(endpoint.withApp("proxy-" + cluster.name() + "-" + endpoint.id(), now));
        try {
            endpoint = deploy(endpoint, cluster);
        } catch (RuntimeException e) {
            LOG.warn("endpoint {} of cluster {}/{} could not be deployed: {}", endpoint.id(), tenant, cluster.name(),
                    e.toString());
            try {
                removeApp(endpoint);
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            endpoints.delete(endpoint);
            throw e;
        }
        LOG.info("endpoint {} of cluster {}/{}: {} proxies deployed{}", endpoint.id(), tenant, cluster.name(),
                proxiesWanted, tls ? ", TLS" : "");
        return new Issued(endpoint, password);
    }

    /**
     * Refuses an endpoint too many for the tenant's quota, and says its limit for the count under the tenant's lock;
     * its proxies' resources the scheduler checks.
     */
    private @Nullable Integer checkQuota(String tenant) {
        Schema.Quota quota;
        try {
            quota = scheduler.quota(tenant, tenant);
        } catch (HttpClientResponseException e) {
            throw new AdminException(AdminError.UNAVAILABLE, "the scheduler did not say tenant '" + tenant
                    + "''s quota: " + SchedulerErrors.message(e), e);
        } catch (HttpClientException e) {
            throw new AdminException(AdminError.UNAVAILABLE, "the scheduler did not answer: " + e.getMessage(), e);
        }
        if (quota == null) {
            return null; // a scheduler without quotas
        }
        long held = endpoints.countByTenant(tenant);
        if (quota.endpoints() != null && held + 1 > quota.endpoints()) {
            throw EndpointRecords.tooMany(tenant, quota.endpoints(), held);
        }
        return quota.endpoints();
    }

    private Connection connection(String tenant, long clusterId) {
        Connection cluster;
        try {
            cluster = redisCtl.connection(tenant, clusterId);
        } catch (HttpClientResponseException e) {
            throw new AdminException(AdminError.UNAVAILABLE, "redis-ctl refused to describe cluster " + clusterId
                    + ": " + e.getMessage(), e);
        } catch (HttpClientException e) {
            throw new AdminException(AdminError.UNAVAILABLE, "redis-ctl did not answer: " + e.getMessage(), e);
        }
        if (cluster == null) {
            throw new AdminException(AdminError.NOT_FOUND, "tenant " + tenant + " has no cluster " + clusterId);
        }
        return cluster;
    }

    /** Deploys the endpoint's proxies; returns it with the certificate they start with, if TLS. */
    private Endpoint deploy(Endpoint endpoint, Connection cluster) {
        String properties = proxyProperties(endpoint, cluster);
        List<Schema.FileSpec> files = new ArrayList<>();
        files.add(secretFile(CONFIG_PATH, properties));
        if (endpoint.tls()) {
            // the proxies' addresses are not known yet: their first certificate names none, and a later one does
            TlsIdentity identity = authority.issue(commonName(endpoint), List.of());
            files.add(secretFile(TLS_PATH, identity.pem()));
            endpoints.updateCertificate(endpoint.id(), identity.certificate(), clock.instant());
            endpoint = endpoint.certified(identity.certificate(), clock.instant());
        }
        // sharing its node's network, a proxy listens on the host port the scheduler allocated
        Schema.Pod pod = scheduler.pod(endpoint.tenant(), cluster.pod());
        boolean hostNetwork = pod != null && pod.hostNetwork();
        List<String> command = hostNetwork ? List.of(CONFIG_PATH, "$(BIU_PORT_0)") : null;
        Schema.AppSpec app = new Schema.AppSpec(endpoint.app(), cluster.pod(), config.image(), command, null,
                config.cpu(), config.memory(), endpoint.app(), null, Map.of("endpoint", String.valueOf(endpoint.id()),
                        "cluster", cluster.name()), new Schema.Probe(ProxyLink.PORT, null, 1),
                files, null, hostNetwork ? 1 : null, 5,
                Schema.Security.locked(USER));
        try {
            SchedulerErrors.body(scheduler.createApp(endpoint.tenant(), app));
            SchedulerErrors.body(scheduler.deploy(endpoint.tenant(), endpoint.app(),
                    new Schema.Deploy(endpoint.proxies(), "spread", null, null, null)));
        } catch (HttpClientResponseException e) {
            int status = e.getStatus().getCode();
            AdminError error = status == 422 ? "QUOTA_EXCEEDED".equals(SchedulerErrors.code(e))
                    ? AdminError.QUOTA_EXCEEDED : AdminError.NO_CAPACITY
                    : status < 500 ? AdminError.INVALID : AdminError.UNAVAILABLE;
            throw new AdminException(error, "the scheduler refused the proxies: " + SchedulerErrors.message(e), e);
        }
        return endpoint;
    }

    private static Schema.FileSpec secretFile(String path, String content) {
        return new Schema.FileSpec(path, Base64.getEncoder().encodeToString(content.getBytes(StandardCharsets.UTF_8)),
                "0400");
    }

    /** What a certificate calls its endpoint: anyone sees it before authenticating, so no tenant or cluster name. */
    private static String commonName(Endpoint e) {
        return "biu endpoint " + e.id();
    }

    /** The proxy's settings file: it holds the cluster's password, so it reaches proxies as a secret file. */
    String proxyProperties(Endpoint endpoint, Connection cluster) {
        int threads = Math.max(1, config.cpu().intValue());
        return String.join("\n",
                "# biu proxy of endpoint " + endpoint.id() + " (cluster " + endpoint.tenant() + "/" + cluster.name() + ")",
                "port=" + ProxyLink.PORT,
                "threads=" + threads,
                "seeds=" + String.join(",", cluster.seeds()),
                "members=" + String.join(",", cluster.members()),
                "backend.password=" + cluster.password(),
                "passwords=" + endpoint.passwordSpec(clock.instant()),
                "admin.password=" + sha256(endpoint.adminSecret()),
                "retry-window-ms=" + config.retryWindow().toMillis(),
                // every reply the proxy waits for is bounded by the cluster's node timeout plus the retry window
                "node-timeout-ms=" + cluster.nodeTimeoutMs(),
                endpoint.tls() ? "tls.file=" + TLS_PATH : "",
                "");
    }

    public List<Endpoint> list(Caller caller, Long clusterId) {
        return clusterId == null ? endpoints.findByTenantOrderById(caller.actingTenant())
                : endpoints.findByTenantAndClusterIdOrderById(caller.actingTenant(), clusterId);
    }

    public Endpoint get(Caller caller, long id) {
        return endpoints.findById(id).filter(e -> e.tenant().equals(caller.actingTenant()))
                .orElseThrow(() -> new AdminException(AdminError.NOT_FOUND, "tenant " + caller.actingTenant()
                        + " has no endpoint " + id));
    }

    /** The endpoint's proxies as the scheduler has them. */
    public List<Schema.Container> proxiesOf(Endpoint e) {
        try {
            List<Schema.Container> containers = scheduler.containers(e.tenant(), e.app());
            return containers == null ? List.of() : containers;
        } catch (HttpClientException ex) {
            return List.of();
        }
    }

    /** A new password; the old one keeps working for {@code grace} (the configured default if null). */
    public Issued rotate(Caller caller, long id, Duration grace) {
        Endpoint e = get(caller, id);
        Duration keep = grace == null ? config.rotationGrace() : grace;
        if (keep.isNegative() || keep.compareTo(Duration.ofDays(7)) > 0) {
            throw new AdminException(AdminError.INVALID, "graceSeconds must be between 0 and 604800 (7 days)");
        }
        String password = secret();
        Instant now = clock.instant();
        Endpoint rotated = endpoints.update(e.rotated(sha256(password), now.plus(keep), now));
        List<String> missed;
        try {
            missed = push(rotated);
        } catch (RuntimeException ex) {
            // the new password is stored: the caller must get it whatever the proxies say
            missed = List.of("all (" + ex.getMessage() + ")");
        }
        if (!missed.isEmpty()) {
            LOG.warn("endpoint {}: proxies {} missed the new password; they get it within {}", id, missed,
                    config.syncInterval());
        }
        return new Issued(rotated, password);
    }

    /** Tells every running proxy of the endpoint its passwords; returns the proxies that could not be told. */
    List<String> push(Endpoint e) {
        String spec = e.passwordSpec(clock.instant());
        List<String> missed = new ArrayList<>();
        for (Schema.Container c : proxiesOf(e)) {
            if (!c.running() || c.host() == null) {
                continue;
            }
            try {
                proxies.passwords(target(e, c), spec);
            } catch (RuntimeException ex) {
                missed.add(c.name() + " (" + ex.getMessage() + ")");
            }
        }
        missed.addAll(pushMembers(e));
        missed.addAll(pushCertificate(e, proxiesOf(e)).missed());
        return missed;
    }

    private static ProxyLink.Target target(Endpoint e, Schema.Container proxy) {
        return new ProxyLink.Target(proxy.host(), proxy.port(ProxyLink.PORT), e.adminSecret(), e.tls());
    }

    /** The proxies a TLS endpoint's certificate names, and those that could not be given it. */
    record Certified(Set<String> named, List<String> missed) {
    }

    /**
     * Gives a TLS endpoint's running proxies a certificate that names the address of each: a new one, for the key
     * they hold, when the last does not name them all or nears its end. Nothing for an endpoint without TLS.
     */
    Certified pushCertificate(Endpoint e, List<Schema.Container> containers) {
        if (!e.tls() || e.certificate() == null) {
            return new Certified(Set.of(), List.of());
        }
        List<Schema.Container> running = containers.stream().filter(c -> c.running() && c.host() != null).toList();
        List<String> addresses = running.stream().map(Schema.Container::host).distinct().sorted().toList();
        X509Certificate last = TlsIdentity.certificate(e.certificate());
        String certificate = e.certificate();
        if (!authority.current(last, addresses)) {
            try {
                certificate = authority.certify(last.getPublicKey(), commonName(e), addresses);
                // this column alone: a rotation's password written meanwhile stays
                endpoints.updateCertificate(e.id(), certificate, clock.instant());
                LOG.info("endpoint {}: a certificate for its proxies at {}", e.id(), addresses);
            } catch (RuntimeException ex) {
                // the authority unreadable, the database stalled: the proxies keep what they serve until the next try
                return new Certified(Set.of(), running.stream()
                        .map(c -> c.name() + " (certificate: " + ex.getMessage() + ")").toList());
            }
        }
        Set<String> named = new HashSet<>(Authority.names(TlsIdentity.certificate(certificate)));
        List<String> missed = new ArrayList<>();
        for (Schema.Container c : running) {
            try {
                proxies.certificate(target(e, c), certificate);
            } catch (RuntimeException ex) {
                named.remove(c.host());
                missed.add(c.name() + " (certificate: " + ex.getMessage() + ")");
            }
        }
        return new Certified(named, missed);
    }

    /**
     * The ready proxies clients can use: for a TLS endpoint, those that serve a certificate naming their address, as
     * each says itself. One that does not (it just started, or restarted in place with the certificate it was
     * deployed with) is given one now, and offered if that worked. What a proxy said is remembered while the
     * scheduler reports no change of it (a restart is one), so that reading endpoints does not ask every proxy
     * every time.
     */
    public Set<Long> servable(Endpoint e, List<Schema.Container> containers) {
        List<Schema.Container> ready = containers.stream().filter(Schema.Container::ready).toList();
        Set<Long> servable = new HashSet<>();
        if (!e.tls() || e.certificate() == null) {
            ready.forEach(c -> servable.add(c.id()));
            return servable;
        }
        Map<Long, Serving> known = serving.getOrDefault(e.id(), Map.of());
        Map<Long, Serving> now = new HashMap<>();
        List<Schema.Container> unnamed = new ArrayList<>();
        for (Schema.Container c : ready) {
            Serving seen = known.get(c.id());
            if (seen == null || !seen.stillOf(c, clock.instant())) {
                seen = servesItsName(e, c);
            }
            if (seen != null) {
                servable.add(c.id());
                now.put(c.id(), seen);
            } else {
                unnamed.add(c);
            }
        }
        serving.put(e.id(), now);
        if (!unnamed.isEmpty()) {
            Set<String> told = pushCertificate(e, containers).named();
            unnamed.stream().filter(c -> told.contains(c.host())).forEach(c -> servable.add(c.id()));
        }
        return servable;
    }

    /** A proxy seen serving a certificate that names its address, until {@code notAfter}. */
    private record Serving(String host, @Nullable Instant updatedAt, Instant notAfter) {

        /** Whether {@code c} is still the proxy seen so: same address, no change since, certificate not ended. */
        boolean stillOf(Schema.Container c, Instant now) {
            return host.equals(c.host()) && Objects.equals(updatedAt, c.updatedAt()) && now.isBefore(notAfter);
        }
    }

    /** How the TLS proxy serves, as its INFO says: a certificate naming its address and not ended, or {@code null}. */
    private @Nullable Serving servesItsName(Endpoint e, Schema.Container proxy) {
        try {
            Map<String, String> info = proxies.info(target(e, proxy));
            String names = info.get("tls_certificate_names");
            Instant notAfter = Instant.ofEpochSecond(Long.parseLong(info.getOrDefault("tls_certificate_not_after", "0")));
            boolean named = names != null && Arrays.asList(names.split(",")).contains(proxy.host());
            return named && clock.instant().isBefore(notAfter) ? new Serving(proxy.host(), proxy.updatedAt(), notAfter)
                    : null;
        } catch (RuntimeException ex) {
            return null;
        }
    }

    /** proxy-admin's certificate authority's certificate, PEM: what clients of TLS endpoints trust. */
    public String authorityCertificate() {
        return authority.certificate();
    }

    /**
     * Tells the endpoint's proxies the cluster's instances as redis-ctl has them now, the only addresses they may
     * connect to. Without an answer from redis-ctl they keep the list they have.
     */
    List<String> pushMembers(Endpoint e) {
        List<String> members;
        try {
            Connection cluster = redisCtl.connection(e.tenant(), e.clusterId());
            members = cluster == null ? List.of() : cluster.members();
        } catch (HttpClientException ex) {
            return List.of("the cluster's instances (redis-ctl: " + ex.getMessage() + ")");
        }
        if (members.isEmpty()) {
            return List.of();
        }
        List<String> missed = new ArrayList<>();
        for (Schema.Container c : proxiesOf(e)) {
            if (c.running() && c.host() != null) {
                try {
                    proxies.members(target(e, c), String.join(",", members));
                } catch (RuntimeException ex) {
                    missed.add(c.name() + " (members: " + ex.getMessage() + ")");
                }
            }
        }
        return missed;
    }

    /**
     * A cluster's instances changed (redis-ctl says so): each of the tenant's endpoints of it tells its proxies at
     * once. What could not be told now is told at the next sync.
     */
    public List<String> membersChanged(Caller caller, long clusterId) {
        if (!caller.isService() || !caller.scopes().contains(Scopes.MEMBERS)) {
            throw new AdminException(AdminError.FORBIDDEN, "only Biu's services with the scope " + Scopes.MEMBERS
                    + " say when a cluster's instances change");
        }
        List<String> missed = new ArrayList<>();
        for (Endpoint e : endpoints.findByTenantAndClusterIdOrderById(caller.actingTenant(), clusterId)) {
            missed.addAll(pushMembers(e));
        }
        return missed;
    }

    /** Removes the proxies and forgets the endpoint: its address refuses connections from then on. */
    public void revoke(Caller caller, long id) {
        Endpoint e = get(caller, id);
        removeApp(e);
        endpoints.delete(e);
        serving.remove(id);
        LOG.info("endpoint {} of cluster {}/{} revoked", id, e.tenant(), e.clusterName());
    }

    private void removeApp(Endpoint e) {
        try {
            List<Schema.Container> containers = scheduler.containers(e.tenant(), e.app());
            for (Schema.Container c : containers == null ? List.<Schema.Container>of() : containers) {
                SchedulerErrors.body(scheduler.remove(e.tenant(), c.id()));
            }
            scheduler.deleteApp(e.tenant(), e.app());
        } catch (HttpClientResponseException ex) {
            if (ex.getStatus().getCode() != 404) {
                throw new AdminException(AdminError.UNAVAILABLE, "the scheduler could not remove the proxies of "
                        + "endpoint " + e.id() + ": " + SchedulerErrors.message(ex), ex);
            }
        }
    }

    public Map<String, String> stats(Endpoint e, Schema.Container proxy) {
        try {
            return proxy.host() == null ? Map.of() : proxies.info(target(e, proxy));
        } catch (RuntimeException ex) {
            return Map.of("error", String.valueOf(ex.getMessage()));
        }
    }

    private static String secret() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String sha256(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
