package io.biu.redisctl.stats;

import io.biu.admin.client.EndpointView;
import io.biu.admin.client.ProxyAdminClient;
import io.biu.admin.client.ProxyView;
import io.biu.kit.info.RedisInfo;
import io.biu.kit.lease.Leases;
import io.biu.redisctl.RedisCtlConfig;
import io.biu.redisctl.client.ClusterState;
import io.biu.redisctl.client.InstanceState;
import io.biu.redisctl.redis.RedisAdmin;
import io.biu.redisctl.store.Cluster;
import io.biu.redisctl.store.ClusterRepository;
import io.biu.redisctl.store.Instance;
import io.biu.redisctl.store.InstanceRepository;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.BatchPoints;
import org.influxdb.dto.Point;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every few seconds, INFO and CLUSTER INFO of every instance of every formed cluster into InfluxDB:
 * measurement {@code redis_instance} (tags tenant, cluster, instance, node, role) and the per-cluster sums
 * in {@code redis_cluster} (tags tenant, cluster). One process at a time collects (lease {@code stats}).
 */
@Singleton
@Requires(property = "biu.redis-ctl.background", notEquals = "false")
class InfoCollector {

    private static final Logger LOG = LoggerFactory.getLogger(InfoCollector.class);

    private final ProxyAdminClient proxyAdmin;
    private final ClusterRepository clusters;
    private final InstanceRepository instances;
    private final RedisAdmin redis;
    private final Leases leases;
    private final RedisCtlConfig config;
    private final InfluxDB influx;
    private final String database;
    private boolean failing;

    InfoCollector(ClusterRepository clusters, InstanceRepository instances, RedisAdmin redis, Leases leases,
            RedisCtlConfig config, ProxyAdminClient proxyAdmin, @Value("${biu.influxdb.url}") String url,
            @Value("${biu.influxdb.database}") String database) {
        this.proxyAdmin = proxyAdmin;
        this.clusters = clusters;
        this.instances = instances;
        this.redis = redis;
        this.leases = leases;
        this.config = config;
        this.influx = InfluxDBFactory.connect(url);
        this.database = database;
    }

    private record Info(Map<String, String> info, Map<String, String> cluster) {
    }

    /** One instance's figures, as INFO states them. */
    record Figures(long usedMemory, long maxmemory, long opsPerSecond, long clients, long keys, long hits,
            long misses, long evicted, double cpuSeconds, boolean clusterOk) {

        static Figures of(Map<String, String> info, Map<String, String> clusterInfo) {
            long keys = 0;
            for (Map.Entry<String, String> e : info.entrySet()) {
                if (e.getKey().startsWith("db")) {
                    // db0:keys=12,expires=0,avg_ttl=0
                    String v = e.getValue();
                    keys += Long.parseLong(v.substring(v.indexOf("keys=") + 5, v.indexOf(',')));
                }
            }
            return new Figures(number(info, "used_memory"), number(info, "maxmemory"),
                    number(info, "instantaneous_ops_per_sec"), number(info, "connected_clients"), keys,
                    number(info, "keyspace_hits"), number(info, "keyspace_misses"), number(info, "evicted_keys"),
                    decimal(info, "used_cpu_sys") + decimal(info, "used_cpu_user"),
                    "ok".equals(clusterInfo.get("cluster_state")));
        }

        static long number(Map<String, String> info, String field) {
            String v = info.get(field);
            return v == null ? 0 : Long.parseLong(v);
        }

        private static double decimal(Map<String, String> info, String field) {
            String v = info.get(field);
            return v == null ? 0 : Double.parseDouble(v);
        }
    }

    @Scheduled(fixedDelay = "${biu.redis-ctl.stats-interval}", initialDelay = "3s")
    void collect() {
        try {
            if (!leases.hold("stats", config.statsInterval().multipliedBy(3))) {
                return;
            }
            BatchPoints batch = BatchPoints.database(database).build();
            long now = System.currentTimeMillis();
            for (Cluster c : clusters.findAll()) {
                if (c.state() == ClusterState.READY) {
                    cluster(c, batch, now);
                    proxies(c, batch, now);
                }
            }
            if (!batch.getPoints().isEmpty()) {
                influx.write(batch);
            }
            if (failing) {
                LOG.info("INFO samples reach InfluxDB again");
                failing = false;
            }
        } catch (RuntimeException e) {
            if (!failing) {
                LOG.warn("cannot collect INFO into InfluxDB: {}", e.toString());
                failing = true;
            }
        }
    }

    private void cluster(Cluster c, BatchPoints batch, long now) {
        long used = 0;
        long max = 0;
        long ops = 0;
        long clients = 0;
        long keys = 0;
        long hits = 0;
        long misses = 0;
        long evicted = 0;
        int answering = 0;
        int masters = 0;
        boolean ok = true;
        for (Instance i : instances.findByClusterIdOrderByShardAndRoleAndId(c.id())) {
            if (i.state() != InstanceState.ACTIVE && i.state() != InstanceState.DRAINING) {
                continue;
            }
            Figures f;
            String role;
            try {
                Info read = redis.on(i.address(), i.port(), c.password(), r -> new Info(RedisInfo.fields(r.info()),
                        RedisInfo.fields(r.clusterInfo())));
                f = Figures.of(read.info(), read.cluster());
                role = "master".equals(read.info().get("role")) ? "master" : "replica";
            } catch (RuntimeException unreachable) {
                ok = false;
                continue;
            }
            answering++;
            ok &= f.clusterOk();
            batch.point(Point.measurement("redis_instance").time(now, TimeUnit.MILLISECONDS)
                    .tag("tenant", c.tenant()).tag("cluster", c.name()).tag("instance", i.hostPort())
                    .tag("node", i.node()).tag("role", role)
                    .addField("used_memory", f.usedMemory()).addField("maxmemory", f.maxmemory())
                    .addField("ops_per_sec", f.opsPerSecond()).addField("clients", f.clients())
                    .addField("keys", f.keys()).addField("hits", f.hits()).addField("misses", f.misses())
                    .addField("evicted_keys", f.evicted()).addField("cpu_seconds", f.cpuSeconds())
                    .addField("cluster_ok", f.clusterOk() ? 1 : 0).build());
            clients += f.clients();
            ops += f.opsPerSecond();
            if ("master".equals(role)) {
                // data is counted once: on the masters
                masters++;
                used += f.usedMemory();
                max += f.maxmemory();
                keys += f.keys();
                evicted += f.evicted();
            }
            hits += f.hits();
            misses += f.misses();
        }
        batch.point(Point.measurement("redis_cluster").time(now, TimeUnit.MILLISECONDS)
                .tag("tenant", c.tenant()).tag("cluster", c.name())
                .addField("used_memory", used).addField("maxmemory", max).addField("memory_ratio",
                        max == 0 ? 0.0 : (double) used / max)
                .addField("ops_per_sec", ops).addField("clients", clients).addField("keys", keys)
                .addField("hit_ratio", hits + misses == 0 ? 0.0 : (double) hits / (hits + misses))
                .addField("evicted_keys", evicted).addField("instances", answering).addField("masters", masters)
                .addField("cluster_ok", ok ? 1 : 0).build());
    }

    /** The figures of the cluster's proxies, as proxy-admin reads them (nothing if it does not answer). */
    private void proxies(Cluster c, BatchPoints batch, long now) {
        List<EndpointView> endpoints;
        try {
            endpoints = proxyAdmin.endpoints(c.tenant(), c.id());
        } catch (HttpClientException unavailable) {
            return;
        }
        for (EndpointView summary : endpoints) {
            EndpointView e;
            try {
                e = proxyAdmin.endpoint(c.tenant(), summary.id());
            } catch (HttpClientException unavailable) {
                continue;
            }
            for (ProxyView p : e == null ? List.<ProxyView>of() : e.proxyList()) {
                Map<String, String> s = p.stats();
                if (s == null || !s.containsKey("total_commands_processed")) {
                    continue;
                }
                batch.point(Point.measurement("proxy").time(now, TimeUnit.MILLISECONDS)
                        .tag("tenant", c.tenant()).tag("cluster", c.name()).tag("endpoint", String.valueOf(e.id()))
                        .tag("proxy", p.address() + ":" + p.port()).tag("node", p.node())
                        .addField("connections", Figures.number(s, "connected_clients"))
                        .addField("ops_per_sec", Figures.number(s, "instantaneous_ops_per_sec"))
                        .addField("commands", Figures.number(s, "total_commands_processed"))
                        .addField("errors", Figures.number(s, "total_error_replies"))
                        .addField("retries", Figures.number(s, "retries"))
                        .addField("redirections", Figures.number(s, "moved_redirections")
                                + Figures.number(s, "ask_redirections"))
                        .addField("latency_p50_us", Figures.number(s, "latency_p50_us"))
                        .addField("latency_p99_us", Figures.number(s, "latency_p99_us")).build());
            }
        }
    }

    @PreDestroy
    void close() {
        influx.close();
    }
}
