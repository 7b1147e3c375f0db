package io.biu.redismonitor.collect;

import io.biu.redisctl.client.ClusterView;
import io.biu.redisctl.client.InstanceView;
import io.biu.redismonitor.policy.Sample;
import io.biu.redismonitor.policy.Window;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads INFO of every active master of a cluster once per round and keeps the cluster's recent samples as a
 * {@link Window}. CPU is the growth of {@code used_cpu_sys + used_cpu_user} since the master's previous round.
 */
@Singleton
public class Collector {

    private static final Logger LOG = LoggerFactory.getLogger(Collector.class);

    private final InfoReader reader;
    private final Map<Long, Window> windows = new ConcurrentHashMap<>();
    /** Per master id: CPU seconds and the instant they were read. */
    private final Map<String, CpuReading> cpu = new ConcurrentHashMap<>();

    private record CpuReading(double seconds, Instant at) {
    }

    Collector(InfoReader reader) {
        this.reader = reader;
    }

    /** The figures of one round of the cluster's masters, added to its window (kept {@code maxAge} deep). */
    public Window collect(ClusterView cluster, String password, Instant at, Duration maxAge) {
        List<Sample> samples = new ArrayList<>();
        for (InstanceView i : cluster.activeMasters()) {
            if (i.redisId() == null) {
                continue;
            }
            try {
                Map<String, String> info = reader.info(i.address(), i.port(), password);
                if (!"master".equals(info.get("role"))) {
                    continue;
                }
                samples.add(new Sample(i.redisId(), at, number(info, "used_memory"), number(info, "maxmemory"),
                        number(info, "instantaneous_ops_per_sec"), cores(i.redisId(), info, at)));
            } catch (RuntimeException e) {
                LOG.debug("cluster {}: no INFO from {}:{}: {}", cluster.name(), i.address(), i.port(), e.toString());
            }
        }
        Window window = windows.get(cluster.id());
        if (window == null || !window.maxAge().equals(maxAge)) {
            Window resized = Window.empty(maxAge);
            if (window != null) {
                resized = resized.with(window.samples().values().stream().flatMap(List::stream).toList());
            }
            window = resized;
        }
        window = window.with(samples);
        windows.put(cluster.id(), window);
        return window;
    }

    /** Forgets clusters that are gone, and connections to instances no longer listed. */
    public void retain(List<ClusterView> clusters) {
        Set<Long> ids = new HashSet<>();
        Set<String> instances = new HashSet<>();
        Set<String> masters = new HashSet<>();
        for (ClusterView c : clusters) {
            ids.add(c.id());
            for (InstanceView i : c.members()) {
                instances.add(i.address() + ":" + i.port());
                if (i.redisId() != null) {
                    masters.add(i.redisId());
                }
            }
        }
        windows.keySet().retainAll(ids);
        cpu.keySet().retainAll(masters);
        reader.retain(instances);
    }

    private double cores(String master, Map<String, String> info, Instant at) {
        double seconds = decimal(info, "used_cpu_sys") + decimal(info, "used_cpu_user");
        CpuReading previous = cpu.put(master, new CpuReading(seconds, at));
        if (previous == null || !at.isAfter(previous.at()) || seconds < previous.seconds()) {
            return 0;
        }
        return (seconds - previous.seconds()) / (Duration.between(previous.at(), at).toMillis() / 1000.0);
    }

    private static long number(Map<String, String> info, String field) {
        String v = info.get(field);
        return v == null ? 0 : Long.parseLong(v);
    }

    private static double decimal(Map<String, String> info, String field) {
        String v = info.get(field);
        return v == null ? 0 : Double.parseDouble(v);
    }
}
