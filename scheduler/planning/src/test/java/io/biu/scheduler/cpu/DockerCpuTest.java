package io.biu.scheduler.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class DockerCpuTest {

    @ParameterizedTest
    @CsvSource({
        // base, pieces, exclusive cores, fragment core, fragment pieces, cpuset, shares, quota
        "10,   5,    '',    3, 5,   3,     512,  50000",
        "10,   15,   '0',   2, 5,   '0,2', 1536, 150000",
        "10,   20,   '4 1', -1, 0,  '1,4', 2048, 200000",
        "100,  1,    '',    0, 1,   0,     10,   1000",
        "100,  250,  '0 1', 7, 50,  '0,1,7', 2560, 250000",
        "1000, 1,    '',    5, 1,   5,     2,    1000",
        "1000, 1500, '2',   3, 500, '2,3', 1536, 150000",
    })
    void boundPlansPinTheirCoresWithSharesInProportionAndAnOptionalQuota(int base, int pieces, String exclusive,
            int fragmentCore, int fragmentPieces, String cpuset, int shares, long quota) {
        List<Integer> cores = exclusive.isBlank() ? List.of()
                : java.util.Arrays.stream(exclusive.split(" ")).map(Integer::valueOf).toList();
        CpuPlan plan = new CpuPlan(pieces, cores, fragmentCore, fragmentPieces);
        ShareBase shareBase = ShareBase.of(base);

        DockerCpu shared = DockerCpu.of(plan, shareBase, CpuLimit.SHARES);
        assertEquals(cpuset, shared.cpusetCpus());
        assertEquals(shares, shared.cpuShares());
        assertEquals(0, shared.cpuQuota(), "no quota: a container may burst into idle time");
        assertEquals(0, shared.cpuPeriod());

        DockerCpu hard = DockerCpu.of(plan, shareBase, CpuLimit.QUOTA);
        assertEquals(cpuset, hard.cpusetCpus());
        assertEquals(shares, hard.cpuShares());
        assertEquals(DockerCpu.PERIOD_MICROS, hard.cpuPeriod());
        assertEquals(quota, hard.cpuQuota());
    }

    @Test
    void publicPlansAreNotPinned() {
        DockerCpu cpu = DockerCpu.of(CpuPlan.unbound(5), ShareBase.TENTHS, CpuLimit.SHARES);
        assertNull(cpu.cpusetCpus());
        assertEquals(512, cpu.cpuShares());
    }
}
