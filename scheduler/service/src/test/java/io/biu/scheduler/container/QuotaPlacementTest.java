package io.biu.scheduler.container;

import static io.biu.scheduler.SchedulerFixture.OPERATOR;
import static io.biu.scheduler.SchedulerFixture.tenant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.biu.scheduler.SchedulerFixture;
import io.biu.scheduler.client.Schema;
import io.biu.scheduler.error.SchedulerError;
import io.biu.scheduler.error.SchedulerException;
import io.biu.scheduler.quota.QuotaService;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A quota counts what a reservation plans, not what it asks (one per node asks for one), and the containers that
 * are or may run again: a replacement for a lost container does not wait for the lost one's removal, but a dead one,
 * which its engine may restart, still counts.
 */
class QuotaPlacementTest {

    private SchedulerFixture scheduler;
    private DeployService deploys;

    @BeforeEach
    void start() {
        scheduler = SchedulerFixture.start(Map.of());
        scheduler.hostPod("p", "team-a");
        for (int i = 1; i <= 3; i++) {
            scheduler.node("p-" + i, "p", List.of(0, 1, 2, 3), "4GiB");
        }
        scheduler.app("team-a", "a", "p", "0.5", "64MiB", null);
        scheduler.bean(QuotaService.class).set(OPERATOR, "team-a", new Schema.QuotaSpec(null, null, 3, null, null));
        deploys = scheduler.bean(DeployService.class);
    }

    @AfterEach
    void stop() {
        scheduler.close();
    }

    @Test
    void oneContainerPerNodeCountsEveryNode() {
        scheduler.bean(QuotaService.class).set(OPERATOR, "team-a", new Schema.QuotaSpec(null, null, 2, null, null));
        // asks for one, plans one on each of the three nodes
        SchedulerException over = assertThrows(SchedulerException.class, () -> deploys.deploy(tenant("team-a"), "a",
                new Schema.Deploy(1, "each-node", null, null, null)));
        assertEquals(SchedulerError.QUOTA_EXCEEDED, over.error());
        assertEquals(0, scheduler.rows("p").size());
        scheduler.bean(QuotaService.class).set(OPERATOR, "team-a", new Schema.QuotaSpec(null, null, 3, null, null));
        assertEquals(3, deploys.deploy(tenant("team-a"), "a", new Schema.Deploy(1, "each-node", null, null, null))
                .size());
    }

    @Test
    void aLostContainerDoesNotHoldTheQuotaAndADeadOneDoes() {
        List<Container> running = scheduler.deploy("team-a", "a", 3);
        assertThrows(SchedulerException.class, () -> scheduler.deploy("team-a", "a", 1));
        ContainerRepository rows = scheduler.bean(ContainerRepository.class);
        rows.update(running.get(0).withExit(137, scheduler.clock().instant()));
        assertEquals(3, scheduler.bean(QuotaService.class).usage("team-a").containers(), "it may restart in place");
        assertThrows(SchedulerException.class, () -> scheduler.deploy("team-a", "a", 1));
        rows.update(running.get(1).withState(io.biu.scheduler.client.ContainerState.LOST,
                scheduler.clock().instant()));
        assertEquals(2, scheduler.bean(QuotaService.class).usage("team-a").containers());
        assertEquals(1, scheduler.deploy("team-a", "a", 1).size());
    }
}
