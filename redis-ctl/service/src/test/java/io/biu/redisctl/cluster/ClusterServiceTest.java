package io.biu.redisctl.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.biu.redisctl.client.ClusterState;
import io.biu.redisctl.client.Persistence;
import io.biu.redisctl.client.TaskKind;
import io.biu.redisctl.store.Cluster;
import io.biu.redisctl.store.ClusterRepository;
import io.biu.scheduler.client.TokenKind;
import io.biu.scheduler.client.api.Caller;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Whose clusters a caller sees, and the state a resumed task puts its cluster back in. */
class ClusterServiceTest {

    private static final List<Cluster> CLUSTERS = List.of(cluster(3, "acme"), cluster(1, "acme"), cluster(2, "zeta"));

    private static Cluster cluster(long id, String tenant) {
        return new Cluster(id, tenant, "c" + id, "lab", "redis-c" + id, 1, 0, BigDecimal.ONE, 64 << 20, 48 << 20,
                Persistence.NONE, "noeviction", "secret", null, ClusterState.READY, Instant.EPOCH, Instant.EPOCH);
    }

    /** A service over a repository that holds {@link #CLUSTERS}; nothing else is used by listing. */
    private static ClusterService service() {
        ClusterRepository clusters = (ClusterRepository) Proxy.newProxyInstance(
                ClusterRepository.class.getClassLoader(), new Class<?>[] {ClusterRepository.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "findAllOrderById" -> CLUSTERS.stream().sorted(Comparator.comparing(Cluster::id)).toList();
                    case "findByTenantOrderById" -> CLUSTERS.stream().filter(c -> c.tenant().equals(args[0]))
                            .sorted(Comparator.comparing(Cluster::id)).toList();
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return new ClusterService(clusters, null, null, null, null, null, null, Clock.systemUTC());
    }

    private static List<Long> ids(List<Cluster> clusters) {
        return clusters.stream().map(Cluster::id).toList();
    }

    @Test
    void aServiceThatNamesNoTenantListsEveryTenantsClustersById() {
        assertEquals(List.of(1L, 2L, 3L), ids(service().list(new Caller("redis-monitor", TokenKind.SERVICE, null))));
    }

    @Test
    void aServiceThatNamesATenantListsThatTenantsClusters() {
        assertEquals(List.of(2L), ids(service().list(new Caller("proxy-admin", TokenKind.SERVICE, "zeta"))));
    }

    @Test
    void aTenantListsItsOwnClusters() {
        assertEquals(List.of(1L, 3L), ids(service().list(new Caller("ci", TokenKind.TENANT, "acme"))));
    }

    @Test
    void aServiceThatNamesNoTenantIsToldToNameOneForASingleCluster() {
        // asked before the lookup, so that the answer does not depend on whether the cluster exists
        HttpStatusException e = assertThrows(HttpStatusException.class,
                () -> service().get(new Caller("redis-monitor", TokenKind.SERVICE, null), 1));
        assertEquals(HttpStatus.BAD_REQUEST, e.getStatus());
    }

    @Test
    void aResumedTaskPutsItsClusterBackInTheStateItsKindWorksIn() {
        assertEquals(ClusterState.CREATING, ClusterService.workingState(TaskKind.FORM));
        assertEquals(ClusterState.DELETING, ClusterService.workingState(TaskKind.DELETE));
        for (TaskKind kind : List.of(TaskKind.JOIN, TaskKind.REBALANCE, TaskKind.DRAIN, TaskKind.HEAL)) {
            assertEquals(ClusterState.READY, ClusterService.workingState(kind), kind.id());
        }
    }
}
