package io.biu.admin.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.biu.admin.AdminConfig;
import io.biu.admin.api.AdminError;
import io.biu.admin.api.AdminException;
import io.biu.kit.secret.TlsIdentity;
import io.biu.redisctl.client.ClusterState;
import io.biu.redisctl.client.ClusterView;
import io.biu.redisctl.client.Connection;
import io.biu.redisctl.client.JoinRequest;
import io.biu.redisctl.client.RedisCtlClient;
import io.biu.redisctl.client.TaskView;
import io.biu.scheduler.client.Schema;
import io.biu.scheduler.client.Scopes;
import io.biu.scheduler.client.TokenKind;
import io.biu.scheduler.client.api.Caller;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Endpoints on an H2 database, with the scheduler, redis-ctl and the proxies in memory: what an issue deploys and
 * keeps, what a refusal leaves behind (nothing), rotation, revocation, and another tenant's reach (none).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EndpointServiceTest {

    private static final Caller ACME = new Caller("ci", TokenKind.TENANT, "acme");
    private static final Caller OTHER = new Caller("ci", TokenKind.TENANT, "other");
    private static final AdminConfig CONFIG = new AdminConfig("biu/proxy:1", 2, BigDecimal.ONE, "256MiB",
            Duration.ofSeconds(10), Duration.ofMinutes(5), Duration.ofSeconds(15));
    private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");
    private static final String DATABASE = "jdbc:h2:mem:endpoints;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
            + "DEFAULT_NULL_ORDERING=HIGH";

    private ApplicationContext context;
    private EndpointRepository endpoints;
    private FakeScheduler scheduler;
    private RecordingProxies proxies;
    private final Map<Long, Connection> clusters = new HashMap<>();
    private EndpointService service;
    private Authority authority;

    /** The proxies' admin conversations, recorded; those at {@code down} addresses do not answer. */
    static final class RecordingProxies extends ProxyLink {
        final List<String> told = new ArrayList<>();
        final List<String> membersTold = new ArrayList<>();
        final Map<String, String> certificatesTold = new HashMap<>();
        final Set<String> down = new java.util.HashSet<>();
        int certificatePushes;
        int infos;

        RecordingProxies(Authority authority) {
            super(authority);
        }

        @Override
        void passwords(Target proxy, String spec) {
            answer(proxy);
            told.add(proxy.host() + " " + spec);
        }

        @Override
        void members(Target proxy, String members) {
            answer(proxy);
            membersTold.add(proxy.host() + " " + members);
        }

        @Override
        void certificate(Target proxy, String certificate) {
            answer(proxy);
            assertTrue(proxy.tls(), "a certificate is given over TLS only");
            certificatesTold.put(proxy.host(), certificate);
            certificatePushes++;
        }

        /** A few of a proxy's INFO fields: with TLS, the names and end of the certificate it was last given. */
        @Override
        Map<String, String> info(Target proxy) {
            answer(proxy);
            infos++;
            String certificate = certificatesTold.get(proxy.host());
            if (certificate == null) {
                return Map.of("connected_clients", "3");
            }
            X509Certificate x509 = TlsIdentity.certificate(certificate);
            return Map.of("connected_clients", "3", "tls_certificate_names", String.join(",", Authority.names(x509)),
                    "tls_certificate_not_after", String.valueOf(x509.getNotAfter().toInstant().getEpochSecond()));
        }

        private void answer(Target proxy) {
            if (down.contains(proxy.host())) {
                throw new IllegalStateException("connection refused");
            }
        }
    }

    /** redis-ctl as proxy-admin asks it: a cluster's connection, if the tenant has that cluster. */
    private final RedisCtlClient redisCtl = new RedisCtlClient() {
        @Override
        public Connection connection(String tenant, long id) {
            Connection c = clusters.get(id);
            return c != null && tenant.equals("acme") ? c : null;
        }

        @Override
        public List<ClusterView> clusters() {
            throw new UnsupportedOperationException();
        }

        @Override
        public ClusterView cluster(String tenant, long id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public HttpResponse<TaskView> join(String tenant, long id, JoinRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public HttpResponse<TaskView> drain(String tenant, long id, long instance) {
            throw new UnsupportedOperationException();
        }

        @Override
        public HttpResponse<TaskView> resume(String tenant, long id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public HttpResponse<TaskView> serveEmpty(String tenant, long id, int shard) {
            throw new UnsupportedOperationException();
        }

        @Override
        public HttpResponse<Void> removeInstance(String tenant, long id, long instance) {
            throw new UnsupportedOperationException();
        }

        @Override
        public TaskView task(String tenant, long id) {
            throw new UnsupportedOperationException();
        }
    };

    @BeforeAll
    void start() {
        context = ApplicationContext.run(Map.of(
                "datasources.default.url", DATABASE,
                "biu.proxy-admin.sync-interval", "1h"));
        endpoints = context.getBean(EndpointRepository.class);
    }

    @AfterAll
    void stop() {
        context.close();
    }

    @AfterEach
    void closeProxies() {
        proxies.close();
    }

    @BeforeEach
    void fresh() {
        endpoints.deleteAll();
        clusters.clear();
        clusters.put(1L, new Connection(1, "shop", "lab", ClusterState.READY, List.of("10.90.0.5:6379",
                "10.90.0.6:6379"), List.of("10.90.0.5:6379", "10.90.0.6:6379", "10.90.0.7:6379"), "cluster-secret",
                2000));
        clusters.put(2L, new Connection(2, "cart", "lab", ClusterState.CREATING, List.of(), List.of(), "other-secret",
                2000));
        scheduler = new FakeScheduler();
        authority = context.getBean(Authority.class);
        proxies = new RecordingProxies(authority);
        service = new EndpointService(endpoints, context.getBean(EndpointRecords.class), scheduler, redisCtl, proxies,
                authority, CONFIG, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static Properties configOf(Schema.AppSpec app) throws java.io.IOException {
        Properties p = new Properties();
        String content = app.files().get(0).content();
        p.load(new java.io.StringReader(new String(Base64.getDecoder().decode(content), StandardCharsets.UTF_8)));
        return p;
    }

    @Test
    void issuingDeploysProxiesOnDifferentNodesWithASecretConfigurationAndKeepsOnlyThePasswordsHash()
            throws Exception {
        EndpointService.Issued issued = service.issue(ACME, 1, null, false);

        Schema.AppSpec app = scheduler.apps.get("acme/" + issued.endpoint().app());
        assertEquals(issued.endpoint().app(), app.antiAffinity(), "each proxy of the endpoint on a node of its own");
        assertEquals(List.of(EndpointService.CONFIG_PATH), app.files().stream().map(Schema.FileSpec::path).toList());
        assertEquals("0400", app.files().get(0).mode());
        Properties config = configOf(app);
        assertEquals("10.90.0.5:6379,10.90.0.6:6379", config.getProperty("seeds"));
        assertEquals("10.90.0.5:6379,10.90.0.6:6379,10.90.0.7:6379", config.getProperty("members"));
        assertEquals("cluster-secret", config.getProperty("backend.password"));
        assertEquals(EndpointService.sha256(issued.password()), config.getProperty("passwords"));
        assertFalse(app.toString().contains(issued.password()), "the password itself is never deployed");
        assertEquals(2, scheduler.containers("acme", issued.endpoint().app()).size());
        assertNull(config.getProperty("tls.file"));
        List<Schema.Container> running = scheduler.containers("acme", issued.endpoint().app());
        assertEquals(Set.of(running.get(0).id(), running.get(1).id()), service.servable(issued.endpoint(), running));
        assertEquals(Map.of(), proxies.certificatesTold);

        Endpoint stored = endpoints.findById(issued.endpoint().id()).orElseThrow();
        assertEquals(EndpointService.sha256(issued.password()), stored.passwordHash());
        assertFalse(stored.toString().contains(issued.password()));
    }

    @Test
    void theProxiesAreToldTheClustersInstancesWhenAServiceSaysTheyChangedAndAtEachSync() {
        EndpointService.Issued issued = service.issue(ACME, 1, 2, false);
        List<Schema.Container> running = scheduler.containers("acme", issued.endpoint().app());
        clusters.put(1L, new Connection(1, "shop", "lab", ClusterState.READY, List.of("10.90.0.5:6379"),
                List.of("10.90.0.5:6379", "10.90.0.8:6379"), "cluster-secret", 2000));

        Caller redisCtl = new Caller("redis-ctl", TokenKind.SERVICE, "acme", Set.of(Scopes.MEMBERS));
        assertEquals(List.of(), service.membersChanged(redisCtl, 1));
        assertEquals(running.stream().map(c -> c.address() + " 10.90.0.5:6379,10.90.0.8:6379").toList(),
                proxies.membersTold);
        // a tenant does not say so, and another tenant's word reaches no endpoint of this one
        assertEquals(AdminError.FORBIDDEN, assertThrows(AdminException.class,
                () -> service.membersChanged(ACME, 1)).error());
        // nor a service whose token lacks the scope
        assertEquals(AdminError.FORBIDDEN, assertThrows(AdminException.class, () -> service.membersChanged(
                new Caller("redis-monitor", TokenKind.SERVICE, "acme", Set.of("proxy-admin:write")), 1)).error());
        proxies.membersTold.clear();
        assertEquals(List.of(), service.membersChanged(new Caller("redis-ctl", TokenKind.SERVICE, "other",
                Set.of(Scopes.MEMBERS)), 1));
        assertEquals(List.of(), proxies.membersTold);
        // the periodic sync tells them too
        assertEquals(List.of(), service.push(issued.endpoint()));
        assertEquals(2, proxies.membersTold.size());
    }

    @Test
    void aClusterThatIsNotReadyOrNotTheTenantsOrAlreadyServedIsRefusedSayingWhy() {
        assertEquals(AdminError.CONFLICT, assertThrows(AdminException.class, () -> service.issue(ACME, 2, null, false))
                .error());
        assertEquals(AdminError.NOT_FOUND, assertThrows(AdminException.class, () -> service.issue(OTHER, 1, null, false))
                .error());
        assertEquals(AdminError.INVALID, assertThrows(AdminException.class, () -> service.issue(ACME, 1, 17, false))
                .error());
        service.issue(ACME, 1, 1, false);
        AdminException twice = assertThrows(AdminException.class, () -> service.issue(ACME, 1, 1, false));
        assertEquals(AdminError.CONFLICT, twice.error());
        assertTrue(twice.getMessage().contains("already has endpoint"), twice.getMessage());
    }

    @Test
    void anEndpointTooManyForTheTenantsQuotaIsRefusedNamingIt() {
        clusters.put(1L, new Connection(1, "shop", "lab", ClusterState.READY, List.of("10.90.0.5:6379"),
                List.of("10.90.0.5:6379"), "cluster-secret", 2000));
        clusters.put(3L, new Connection(3, "cart", "lab", ClusterState.READY, List.of("10.90.0.6:6379"),
                List.of("10.90.0.6:6379"), "cart-secret", 2000));
        scheduler.quotas.put("acme", new Schema.Quota("acme", null, null, null, null, 1,
                new Schema.QuotaUsage(BigDecimal.ZERO, 0, 0)));
        service.issue(ACME, 1, 1, false);
        AdminException over = assertThrows(AdminException.class, () -> service.issue(ACME, 3, 1, false));
        assertEquals(AdminError.QUOTA_EXCEEDED, over.error());
        assertTrue(over.getMessage().startsWith("quota: tenant 'acme' may have 1 endpoint and has 1"),
                over.getMessage());
        assertEquals(1, endpoints.findByTenantOrderById("acme").size());
        // counted again under the tenant's lock row, where a concurrent issue would have been recorded
        Endpoint another = endpoints.findByTenantOrderById("acme").get(0);
        AdminException locked = assertThrows(AdminException.class, () -> context.getBean(EndpointRecords.class)
                .record(new Endpoint(null, "acme", 3, "cart", "", 1, "x", null, null, "y", false, null, NOW, NOW), 1));
        assertEquals(AdminError.QUOTA_EXCEEDED, locked.error());
        assertEquals(List.of(another), endpoints.findByTenantOrderById("acme"));
    }

    @Test
    void aRefusedDeploymentLeavesNoEndpointAndNoApp() {
        scheduler.refuseDeploys = HttpStatus.UNPROCESSABLE_ENTITY;
        AdminException e = assertThrows(AdminException.class, () -> service.issue(ACME, 1, 2, false));
        assertEquals(AdminError.NO_CAPACITY, e.error());
        assertTrue(e.getMessage().contains("no node has room for 2 proxies"), e.getMessage());
        assertEquals(List.of(), endpoints.findByTenantOrderById("acme"));
        assertEquals(Map.of(), scheduler.apps);
    }

    @Test
    void rotationKeepsTheOldPasswordForItsGraceAndTellsEveryProxyThatAnswers() {
        EndpointService.Issued issued = service.issue(ACME, 1, 2, false);
        List<Schema.Container> running = scheduler.containers("acme", issued.endpoint().app());
        proxies.down.add(running.get(1).address());

        EndpointService.Issued rotated = service.rotate(ACME, issued.endpoint().id(), Duration.ofMinutes(1));

        String spec = EndpointService.sha256(rotated.password()) + "," + EndpointService.sha256(issued.password())
                + "@" + NOW.plus(Duration.ofMinutes(1)).toEpochMilli();
        assertEquals(List.of(running.get(0).address() + " " + spec), proxies.told);
        assertEquals(List.of(running.get(1).name() + " (connection refused)", running.get(1).name()
                + " (members: connection refused)"), service.push(rotated.endpoint()));
        assertThrows(AdminException.class, () -> service.rotate(ACME, issued.endpoint().id(), Duration.ofDays(8)));
    }

    @Test
    void revokingRemovesTheProxiesAndTheAppAndForgetsTheEndpoint() {
        EndpointService.Issued issued = service.issue(ACME, 1, 2, false);
        List<Long> ids = scheduler.containers("acme", issued.endpoint().app()).stream().map(Schema.Container::id)
                .toList();

        service.revoke(ACME, issued.endpoint().id());

        assertEquals(ids, scheduler.removed);
        assertNull(scheduler.apps.get("acme/" + issued.endpoint().app()));
        assertEquals(List.of(), endpoints.findByTenantOrderById("acme"));
    }

    @Test
    void anotherTenantCanNeitherSeeNorRotateNorRevokeAnEndpoint() {
        EndpointService.Issued issued = service.issue(ACME, 1, 1, false);
        long id = issued.endpoint().id();
        assertEquals(List.of(), service.list(OTHER, null));
        assertEquals(AdminError.NOT_FOUND, assertThrows(AdminException.class, () -> service.get(OTHER, id)).error());
        assertThrows(AdminException.class, () -> service.rotate(OTHER, id, null));
        assertThrows(AdminException.class, () -> service.revoke(OTHER, id));
        assertEquals(1, service.list(ACME, null).size());
        assertTrue(proxies.told.isEmpty());
    }
    @Test
    void aTlsEndpointsProxiesHoldAKeyOfTheirOwnAndAreGivenACertificateNamingTheirAddresses() throws Exception {
        EndpointService.Issued issued = service.issue(ACME, 1, 2, true);
        Schema.AppSpec app = scheduler.apps.get("acme/" + issued.endpoint().app());
        assertEquals(List.of(EndpointService.CONFIG_PATH, EndpointService.TLS_PATH),
                app.files().stream().map(Schema.FileSpec::path).toList());
        assertEquals("0400", app.files().get(1).mode());
        assertEquals(EndpointService.TLS_PATH, configOf(app).getProperty("tls.file"));
        TlsIdentity identity = TlsIdentity.parse(new String(Base64.getDecoder().decode(app.files().get(1).content()),
                StandardCharsets.UTF_8));
        X509Certificate authorityCertificate = TlsIdentity.certificate(service.authorityCertificate());
        identity.x509().verify(authorityCertificate.getPublicKey());
        assertEquals(List.of(), Authority.names(identity.x509()), "no address is known before the deploy");
        Endpoint stored = endpoints.findById(issued.endpoint().id()).orElseThrow();
        assertTrue(stored.tls());
        assertEquals(identity.certificate(), stored.certificate());
        assertTrue(stored.toString().contains("TLS"));

        // ready proxies the certificate does not name are given one that does before clients are sent to them
        List<Schema.Container> running = scheduler.containers("acme", issued.endpoint().app());
        assertEquals(Set.of(running.get(0).id(), running.get(1).id()), service.servable(stored, running));
        List<String> addresses = running.stream().map(Schema.Container::host).sorted().toList();
        assertEquals(Set.copyOf(addresses), proxies.certificatesTold.keySet());
        String told = proxies.certificatesTold.get(addresses.get(0));
        X509Certificate renewed = TlsIdentity.certificate(told);
        renewed.verify(authorityCertificate.getPublicKey());
        assertEquals(identity.x509().getPublicKey(), renewed.getPublicKey(), "for the key the proxies hold");
        assertEquals(addresses, Authority.names(renewed));
        stored = endpoints.findById(issued.endpoint().id()).orElseThrow();
        assertEquals(told, stored.certificate());

        // serving it already: nothing new is made nor told
        int pushes = proxies.certificatePushes;
        assertEquals(Set.of(running.get(0).id(), running.get(1).id()), service.servable(stored, running));
        assertEquals(pushes, proxies.certificatePushes);
        assertEquals(told, endpoints.findById(issued.endpoint().id()).orElseThrow().certificate());
        // ... and, the proxies unchanged since they said so, not asked again
        int infos = proxies.infos;
        assertEquals(Set.of(running.get(0).id(), running.get(1).id()), service.servable(stored, running));
        assertEquals(infos, proxies.infos);

        // a proxy restarted in place serves its first certificate: it is told again before it is offered
        proxies.certificatesTold.remove(addresses.get(0));
        running = List.of(restarted(running.get(0)), running.get(1));
        assertEquals(Set.of(running.get(0).id(), running.get(1).id()), service.servable(stored, running));
        assertEquals(Map.of(addresses.get(0), told, addresses.get(1), told), proxies.certificatesTold);
        // and the sync tells every proxy again
        proxies.certificatesTold.clear();
        assertEquals(List.of(), service.push(stored));
        assertEquals(Map.of(addresses.get(0), told, addresses.get(1), told), proxies.certificatesTold);
    }

    @Test
    void aTlsProxyThatCannotBeGivenItsCertificateIsNotOfferedAndARotationMeanwhileIsKept() throws Exception {
        EndpointService.Issued issued = service.issue(ACME, 1, 2, true);
        List<Schema.Container> running = scheduler.containers("acme", issued.endpoint().app());
        proxies.down.add(running.get(1).host());
        // the endpoint as read before a rotation, then certified: the rotation's password stays
        Endpoint before = endpoints.findById(issued.endpoint().id()).orElseThrow();
        EndpointService.Issued rotated = service.rotate(ACME, before.id(), Duration.ZERO);

        assertEquals(Set.of(running.get(0).id()), service.servable(before, running));
        Endpoint after = endpoints.findById(before.id()).orElseThrow();
        assertEquals(EndpointService.sha256(rotated.password()), after.passwordHash());
        assertEquals(List.of(running.get(0).host(), running.get(1).host()).stream().sorted().toList(),
                Authority.names(TlsIdentity.certificate(after.certificate())));
        assertEquals(Set.of(running.get(0).host()), proxies.certificatesTold.keySet());

        // named by the certificate but never given it: offered only once it is
        proxies.down.clear();
        assertEquals(Set.of(running.get(0).id(), running.get(1).id()), service.servable(after, running));
        assertEquals(after.certificate(), proxies.certificatesTold.get(running.get(1).host()));
    }

    @Test
    void aCertificateThatCannotBeMadeLeavesProxiesUnofferedAndARotationStillAnswered() {
        Authority stalled = new Authority(context.getBean(AuthorityRepository.class), Clock.fixed(NOW, ZoneOffset.UTC)) {
            @Override
            String certify(java.security.PublicKey key, String commonName, List<String> names) {
                throw new IllegalStateException("the database stalled");
            }
        };
        EndpointService failing = new EndpointService(endpoints, context.getBean(EndpointRecords.class), scheduler,
                redisCtl, new RecordingProxies(stalled), stalled, CONFIG, Clock.fixed(NOW, ZoneOffset.UTC));
        EndpointService.Issued issued = failing.issue(ACME, 1, 2, true);
        List<Schema.Container> running = scheduler.containers("acme", issued.endpoint().app());
        Endpoint stored = endpoints.findById(issued.endpoint().id()).orElseThrow();

        assertEquals(Set.of(), failing.servable(stored, running), "no proxy serves a certificate naming it");
        List<String> missed = failing.push(stored);
        assertEquals(2, missed.stream().filter(m -> m.contains("certificate: the database stalled")).count(),
                missed.toString());
        EndpointService.Issued rotated = failing.rotate(ACME, stored.id(), Duration.ZERO);
        assertEquals(EndpointService.sha256(rotated.password()),
                endpoints.findById(stored.id()).orElseThrow().passwordHash());
    }

    /** {@code c} as the scheduler has it once its engine restarted it in place. */
    private static Schema.Container restarted(Schema.Container c) {
        Instant updated = (c.updatedAt() == null ? Instant.EPOCH : c.updatedAt()).plusSeconds(5);
        return new Schema.Container(c.id(), c.name(), c.app(), c.tenant(), c.pod(), c.node(), c.role(), c.group(),
                c.state(), c.ready(), c.address(), c.hostPorts(), c.nodeAddress(), c.cpu(), c.cpuset(), c.memory(),
                c.memoryText(), c.engineId(), c.exitCode(), c.createdAt(), updated, c.volumeKey());
    }

    @Test
    void theAuthorityIsMadeOnceAndKeptSealed() throws Exception {
        String certificate = authority.certificate();
        assertEquals(certificate, new Authority(context.getBean(AuthorityRepository.class), Clock.systemUTC())
                .certificate(), "a second instance on the same database uses the stored authority");
        assertTrue(certificate.startsWith("-----BEGIN CERTIFICATE-----"));
        assertFalse(certificate.contains("PRIVATE"));
        // the database as a copy of its file would show it
        try (var c = DriverManager.getConnection(DATABASE, "sa", "");
                var rs = c.createStatement().executeQuery("SELECT identity FROM authority")) {
            assertTrue(rs.next());
            String stored = rs.getString(1);
            assertFalse(stored.contains("PRIVATE") || stored.contains("CERTIFICATE"), "the key is stored sealed");
        }
    }
}
