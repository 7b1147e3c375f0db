package io.biu.scheduler.engine;

import com.github.dockerjava.api.model.BlkioStatEntry;
import com.github.dockerjava.api.model.CpuStatsConfig;
import com.github.dockerjava.api.model.StatisticNetworksConfig;
import com.github.dockerjava.api.model.Statistics;
import java.util.List;
import java.util.Map;

/** Docker's raw statistics as the usage figures the scheduler records. */
final class Stats {

    private Stats() {
    }

    static Engine.Usage usage(Statistics s) {
        return new Engine.Usage(cpuPercent(s.getCpuStats(), s.getPreCpuStats()),
                orZero(s.getMemoryStats() == null ? null : s.getMemoryStats().getUsage()),
                orZero(s.getMemoryStats() == null ? null : s.getMemoryStats().getLimit()),
                network(s.getNetworks(), true), network(s.getNetworks(), false),
                blkio(s, "read"), blkio(s, "write"));
    }

    /** Percent of one core, as `docker stats` computes it. */
    private static double cpuPercent(CpuStatsConfig now, CpuStatsConfig before) {
        if (now == null || before == null || now.getCpuUsage() == null || before.getCpuUsage() == null) {
            return 0;
        }
        long cpuDelta = orZero(now.getCpuUsage().getTotalUsage()) - orZero(before.getCpuUsage().getTotalUsage());
        long systemDelta = orZero(now.getSystemCpuUsage()) - orZero(before.getSystemCpuUsage());
        long cpus = now.getOnlineCpus() != null ? now.getOnlineCpus()
                : now.getCpuUsage().getPercpuUsage() == null ? 1 : now.getCpuUsage().getPercpuUsage().size();
        return cpuDelta > 0 && systemDelta > 0 ? 100.0 * cpuDelta / systemDelta * cpus : 0;
    }

    private static long network(Map<String, StatisticNetworksConfig> networks, boolean rx) {
        if (networks == null) {
            return 0;
        }
        long sum = 0;
        for (StatisticNetworksConfig n : networks.values()) {
            sum += orZero(rx ? n.getRxBytes() : n.getTxBytes());
        }
        return sum;
    }

    private static long blkio(Statistics s, String op) {
        if (s.getBlkioStats() == null) {
            return 0;
        }
        List<BlkioStatEntry> entries = s.getBlkioStats().getIoServiceBytesRecursive();
        if (entries == null) {
            return 0;
        }
        return entries.stream().filter(e -> op.equalsIgnoreCase(e.getOp())).mapToLong(e -> orZero(e.getValue())).sum();
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }
}
