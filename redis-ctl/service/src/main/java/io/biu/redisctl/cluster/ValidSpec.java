package io.biu.redisctl.cluster;

import io.biu.kit.text.Brief;
import io.biu.kit.text.ByteSizes;
import io.biu.redisctl.api.CtlError;
import io.biu.redisctl.api.CtlException;
import io.biu.redisctl.client.ClusterSpec;
import io.biu.redisctl.client.Persistence;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** A cluster request with the defaults applied and every field checked: what a cluster is made of. */
public record ValidSpec(String name, String pod, int masters, int replicas, BigDecimal cpu, long memory,
        String memoryText, Persistence persistence, String eviction) {

    static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,39}");
    static final List<String> EVICTIONS = List.of("noeviction", "allkeys-lru", "allkeys-lfu", "allkeys-random",
            "volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl");
    static final int MAX_MASTERS = 128;
    static final int MAX_REPLICAS = 5;
    static final BigDecimal MAX_CPU = BigDecimal.valueOf(64);
    static final int MAX_CPU_DECIMALS = 6;
    static final long MIN_MEMORY = 64 * RedisConf.MIB;
    static final long MAX_MEMORY = 512L * 1024 * RedisConf.MIB;

    /** The request with defaults applied, or an error that says which field to fix and how. */
    public static ValidSpec of(ClusterSpec spec) {
        String name = spec.name();
        String pod = spec.pod();
        Integer masters = spec.masters();
        Integer replicas = spec.replicas();
        BigDecimal cpu = spec.cpu();
        String memory = spec.memory();
        String persistence = spec.persistence();
        String eviction = spec.eviction();
        if (name == null || !NAME.matcher(name).matches()) {
            throw CtlException.invalid("name '%s' is not valid: use 1 to 40 lowercase letters, digits and dashes, "
                    + "starting with a letter", name);
        }
        if (pod == null || pod.isBlank()) {
            throw CtlException.invalid("pod is missing: name the pod the cluster's instances run on");
        }
        int m = masters == null ? 3 : masters;
        if (m < 1 || m > MAX_MASTERS) {
            throw CtlException.invalid("masters must be between 1 and %d, not %d", MAX_MASTERS, m);
        }
        int r = replicas == null ? 1 : replicas;
        if (r < 0 || r > MAX_REPLICAS) {
            throw CtlException.invalid("replicas (per master) must be between 0 and %d, not %d", MAX_REPLICAS, r);
        }
        BigDecimal c = cpu == null ? new BigDecimal("0.5") : cpu;
        // quoted as written (toString, briefly): the plain form of 1E-999999999 would be a billion digits long
        if (c.signum() <= 0 || c.compareTo(MAX_CPU) > 0 || c.scale() > MAX_CPU_DECIMALS) {
            throw CtlException.invalid("cpu must be more than 0 and at most %s cores, with at most %d decimals, "
                    + "not %s", MAX_CPU, MAX_CPU_DECIMALS, Brief.of(c.toString()));
        }
        String memoryText = memory == null ? "1GiB" : memory;
        long bytes = parseSize(memoryText);
        if (bytes < MIN_MEMORY || bytes > MAX_MEMORY) {
            throw CtlException.invalid("memory must be between 64MiB and 512GiB per instance, not %s", memoryText);
        }
        String p = persistence == null ? "aof" : persistence.toLowerCase(Locale.ROOT);
        if (!p.equals("aof") && !p.equals("rdb") && !p.equals("none")) {
            throw CtlException.invalid("persistence must be aof, rdb or none, not '%s'", persistence);
        }
        String e = eviction == null ? "noeviction" : eviction.toLowerCase(Locale.ROOT);
        if (!EVICTIONS.contains(e)) {
            throw CtlException.invalid("eviction must be one of %s, not '%s'", EVICTIONS, eviction);
        }
        return new ValidSpec(name, pod, m, r, c, bytes, memoryText, Persistence.valueOf(p.toUpperCase(
                Locale.ROOT)), e);
    }

    /** 64MiB, 1.5GiB, 512m or bytes; units are binary, as the scheduler reads them. */
    static long parseSize(String text) {
        try {
            return ByteSizes.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CtlException(CtlError.INVALID, "memory " + e.getMessage());
        }
    }
}
