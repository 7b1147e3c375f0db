package io.biu.scheduler.agent;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.biu.scheduler.SchedulerFixture;
import io.biu.scheduler.client.ContainerState;
import io.biu.scheduler.client.EventType;
import io.biu.scheduler.container.Container;
import io.biu.scheduler.container.ContainerStates;
import io.biu.scheduler.engine.FakeEngine;
import io.biu.scheduler.event.Event;
import io.biu.scheduler.event.EventRepository;
import io.biu.scheduler.node.Node;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A container that exits on its own is restarted in place by its engine (restart policy), with its volume: the
 * scheduler records it died, then runs again (not ready until its probe passes), announcing both, and never takes
 * its resources or address away meanwhile.
 */
class RestartInPlaceTest {

    private static final String TENANT = "team-a";

    @Test
    void aDiedContainerThatItsEngineRestartedRunsAgainWithItsVolume() {
        try (SchedulerFixture scheduler = SchedulerFixture.start(Map.of())) {
            scheduler.pod("web", "10.74.0.0/29", TENANT);
            Node node = scheduler.node("web-1", "web", List.of(0, 1), "1GiB");
            scheduler.app(TENANT, "web", "web", "1", "512MiB", null);
            Container deployed = scheduler.deploy(TENANT, "web", 1).get(0);
            FakeEngine engine = scheduler.engine(node);
            Reconciler reconciler = scheduler.bean(Reconciler.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> row(scheduler, deployed).ready());
            long before = lastSeq(scheduler);

            engine.exit(deployed.name(), 137, false);
            reconciler.reconcile(node, engine);
            Container died = row(scheduler, deployed);
            assertEquals(ContainerState.DIED, died.state());

            engine.restart(deployed.name());
            reconciler.reconcile(node, engine);
            Container back = row(scheduler, deployed);
            assertEquals(ContainerState.RUNNING, back.state(), "running again, in place");
            assertFalse(back.ready(), "not ready until its probe passes again");
            assertEquals(deployed.engineId(), back.engineId(), "the same engine container");
            assertEquals(deployed.address(), back.address(), "with its address");
            assertEquals(List.of(EventType.CONTAINER_DIED.wireName(), EventType.CONTAINER_STARTED.wireName()),
                    types(scheduler, before), "both announced, once");

            reconciler.reconcile(node, engine);
            assertEquals(2, types(scheduler, before).size(), "a second round announces nothing more");
            assertNull(scheduler.bean(ContainerStates.class).restarted(back), "only a died container restarts");
            assertEquals(1, engine.containers().size());
        }
    }

    private static Container row(SchedulerFixture scheduler, Container c) {
        return scheduler.rows("web").stream().filter(r -> r.id().equals(c.id())).findFirst().orElseThrow();
    }

    private static long lastSeq(SchedulerFixture scheduler) {
        List<Event> all = scheduler.bean(EventRepository.class).after(0, 10_000);
        return all.isEmpty() ? 0 : all.get(all.size() - 1).seq();
    }

    private static List<String> types(SchedulerFixture scheduler, long after) {
        return scheduler.bean(EventRepository.class).after(after, 10_000).stream().map(Event::type).toList();
    }
}
