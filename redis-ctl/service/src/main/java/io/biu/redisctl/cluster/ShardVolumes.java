package io.biu.redisctl.cluster;

import io.biu.redisctl.api.CtlError;
import io.biu.redisctl.api.CtlException;
import io.biu.redisctl.client.InstanceState;
import io.biu.redisctl.client.Naming;
import io.biu.redisctl.client.Role;
import io.biu.redisctl.store.Cluster;
import io.biu.redisctl.store.Instance;
import io.biu.redisctl.store.InstanceRepository;
import io.biu.scheduler.client.SchedulerClient;
import io.biu.scheduler.client.SchedulerErrors;
import io.biu.scheduler.client.Schema;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data volumes of a cluster's shard positions, as the scheduler keeps them. A cluster that keeps data deploys each
 * container with the volume key of a position of its shard ({@link Naming#volumeKey}: the master's first, position 0,
 * then the replicas'); the volume belongs to the position and outlives the container, so the next container of the key
 * starts from what the last one left: its data, and in {@code nodes.conf} its identity in the cluster. A position is
 * free while no live container of the shard mounts its key.
 */
@Singleton
final class ShardVolumes {

    private static final Logger LOG = LoggerFactory.getLogger(ShardVolumes.class);

    /** What became of removing a key's volumes. */
    enum Removal {
        /** None is left (or there was none). */
        REMOVED,
        /** Some wait for their node to answer; the scheduler mounts none of them meanwhile, and removes them then. */
        PENDING,
        /** A container of the key still exists, and its removal was not asked for: nothing was removed. */
        MOUNTED
    }

    private final SchedulerClient scheduler;
    private final InstanceRepository instances;

    ShardVolumes(SchedulerClient scheduler, InstanceRepository instances) {
        this.scheduler = scheduler;
        this.instances = instances;
    }

    /** Whether the cluster's containers mount keyed volumes: only a cluster that keeps data has volumes at all. */
    static boolean keyed(Cluster cluster) {
        return cluster.persistence().keepsData();
    }

    /** The instance row of a container of the cluster, with the key of the volume it mounts. */
    static Instance instance(Cluster cluster, Schema.Container c, int shard, Role role, InstanceState state,
            Instant now) {
        return new Instance(null, cluster.id(), c.id(), c.name(), c.node(), c.host(), c.port(RedisConf.PORT), shard,
                role, null, now, state, null, c.volumeKey());
    }

    /**
     * The keys of the shard's positions (0 to the cluster's replicas) that no live container of the cluster mounts,
     * lowest first; none if the cluster keeps no data.
     */
    static List<String> free(Cluster cluster, int shard, List<Schema.Container> live) {
        if (!keyed(cluster)) {
            return List.of();
        }
        Set<String> held = live.stream().map(Schema.Container::volumeKey).filter(Objects::nonNull)
                .collect(Collectors.toSet());
        List<String> free = new ArrayList<>();
        for (int position = 0; position <= cluster.replicas(); position++) {
            String key = Naming.volumeKey(shard, position);
            if (!held.contains(key)) {
                free.add(key);
            }
        }
        return free;
    }

    /**
     * The key of the shard's lowest position that neither a live container mounts nor any volume is left of (removals
     * pending included), past the cluster's positions if all of those have one: a key whose container starts empty,
     * and whose taking destroys nothing.
     */
    String unused(Cluster cluster, int shard) {
        return unused(cluster, shard, Set.of());
    }

    /** The same, also passing over {@code also}: keys chosen for containers not deployed yet. */
    private String unused(Cluster cluster, int shard, Set<String> also) {
        Set<String> taken = live(scheduler, cluster).stream().map(Schema.Container::volumeKey).filter(Objects::nonNull)
                .collect(Collectors.toSet());
        volumes(cluster).forEach(v -> taken.add(v.key()));
        taken.addAll(also);
        for (int position = 0; ; position++) {
            String key = Naming.volumeKey(shard, position);
            if (!taken.contains(key)) {
                return key;
            }
        }
    }

    /**
     * The keys for containers of the shard that must start empty (formation's), one per key {@code wanted}: each key
     * itself once what is left of its volumes is removed (a removal that waits for its node is as good: the scheduler
     * mounts none of it meanwhile), or, where a container of the key still exists and holds the removal back, the
     * shard's lowest key with neither a container nor a volume. A key is wanted only while no live container mounts it
     * ({@link #free}), so a container an earlier run of the same step deployed keeps its key and its volume; what is
     * left belongs to containers that are gone or dead, and to nobody's data: a cluster being formed holds none.
     * Without this, the scheduler would mount the left volume, and Redis would start from its {@code nodes.conf} (an
     * identity the cluster never had) and its data.
     */
    List<String> emptied(Cluster cluster, int shard, List<String> wanted) {
        Set<String> left = volumes(cluster).stream().filter(v -> !v.removalPending()).map(Schema.Volume::key)
                .collect(Collectors.toSet());
        Set<String> chosen = new HashSet<>(wanted);
        List<String> keys = new ArrayList<>(wanted.size());
        for (String key : wanted) {
            if (!left.contains(key) || remove(cluster, key) != Removal.MOUNTED) {
                keys.add(key);
                continue;
            }
            String other = unused(cluster, shard, chosen);
            chosen.add(other);
            keys.add(other);
            LOG.info("cluster {}/{}: a container of key {} still holds its volume: its shard's new container takes key {}",
                    cluster.tenant(), cluster.name(), key, other);
        }
        return keys;
    }

    /**
     * A live container of the shard's group that mounts a key and that no instance row records: one an earlier run of
     * the same step deployed before it could record it.
     */
    Optional<Schema.Container> unrecorded(Cluster cluster, int shard) {
        String group = Naming.shardGroup(cluster.id(), shard);
        return live(scheduler, cluster).stream()
                .filter(c -> group.equals(c.group()) && c.volumeKey() != null
                        && instances.findByContainerId(c.id()).isEmpty())
                .min(Comparator.comparing(Schema.Container::id));
    }

    /** The live container that mounts {@code key}, if any (the scheduler lets one at a time). */
    Optional<Schema.Container> mounting(Cluster cluster, String key) {
        return live(scheduler, cluster).stream().filter(c -> key.equals(c.volumeKey())).findFirst();
    }

    /** The key's volume on {@code node}, unless its removal is pending: where that node's container of the key left its data. */
    Optional<Schema.Volume> on(Cluster cluster, String key, String node) {
        return volumes(cluster).stream()
                .filter(v -> key.equals(v.key()) && node.equals(v.node()) && !v.removalPending()).findFirst();
    }

    /** Removes the key's volumes on every node (see {@link Removal}). */
    Removal remove(Cluster cluster, String key) {
        int status;
        String message;
        try {
            HttpResponse<Schema.VolumeRemoval> response = scheduler.deleteVolume(cluster.tenant(), cluster.app(), key);
            status = response.getStatus().getCode();
            message = response.getBody().map(Schema.VolumeRemoval::message).orElse("");
        } catch (HttpClientResponseException e) {
            status = e.getStatus().getCode();
            message = SchedulerErrors.message(e);
        }
        Removal outcome = switch (status) {
            case 200, 204, 404 -> Removal.REMOVED;
            case 202 -> Removal.PENDING;
            case 409 -> Removal.MOUNTED;
            default -> throw new CtlException(CtlError.UNAVAILABLE, "cannot remove the volumes of key " + key
                    + " of cluster " + cluster.name() + ": the scheduler answered " + status + ": " + message);
        };
        LOG.info("cluster {}/{}: volumes of key {}: {} ({})", cluster.tenant(), cluster.name(), key,
                outcome.name().toLowerCase(), message);
        return outcome;
    }

    /** The cluster's containers that are, or are about to be, running; its app gone is an error. */
    static List<Schema.Container> live(SchedulerClient scheduler, Cluster cluster) {
        List<Schema.Container> all = scheduler.containers(cluster.tenant(), cluster.app());
        if (all == null) {
            throw new CtlException(CtlError.NOT_FOUND, "the scheduler no longer has the cluster's app '"
                    + cluster.app() + "'");
        }
        return all.stream().filter(Schema.Container::live).toList();
    }

    private List<Schema.Volume> volumes(Cluster cluster) {
        List<Schema.Volume> all = scheduler.volumes(cluster.tenant(), cluster.app());
        return all == null ? List.of() : all;
    }
}
