package io.biu.scheduler.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.biu.scheduler.SchedulerFixture;
import io.biu.scheduler.api.Caller;
import io.biu.scheduler.client.ContainerState;
import io.biu.scheduler.container.Container;
import io.biu.scheduler.container.ContainerRepository;
import io.biu.scheduler.engine.FakeEngine;
import io.biu.scheduler.engine.FakeEngine.Op;
import io.biu.scheduler.engine.FakeEngine.Status;
import io.biu.scheduler.error.SchedulerError;
import io.biu.scheduler.error.SchedulerException;
import io.biu.scheduler.node.Node;
import io.biu.scheduler.quarantine.Quarantine;
import io.biu.scheduler.quarantine.Quarantined;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reconciler on its own terms: one container it cannot look at holds up none of the others; an engine container
 * it has no row for (as after the database was restored from an older backup) is stopped and quarantined with its
 * data, never removed at sight, and goes only after the quarantine's grace (here 60 s) or on an operator's word.
 */
class QuarantineTest {

    private static final String TENANT = "team-a";
    private static final Caller OPERATOR = SchedulerFixture.OPERATOR;

    private SchedulerFixture scheduler;
    private Node node;
    private FakeEngine engine;

    @BeforeEach
    void start() {
        scheduler = SchedulerFixture.start(Map.of("biu.scheduler.quarantine.grace", "60s"));
        scheduler.pod("web", "10.79.0.0/28", TENANT);
        node = scheduler.node("web-1", "web", List.of(0, 1, 2, 3), "4GiB");
        scheduler.app(TENANT, "web", "web", "0.1", "16MiB", null);
        engine = scheduler.engine(node);
    }

    @AfterEach
    void stop() {
        scheduler.close();
    }

    private void reconcile() {
        scheduler.bean(Reconciler.class).reconcile(node, engine);
    }

    private Container row(Container c) {
        return scheduler.bean(ContainerRepository.class).findById(c.id()).orElseThrow();
    }

    private Quarantine quarantine() {
        return scheduler.bean(Quarantine.class);
    }

    @Test
    void aContainerThatCannotBeInspectedHoldsUpNoneOfTheOthers() {
        List<Container> deployed = scheduler.deploy(TENANT, "web", 3);
        for (Container c : deployed) {
            engine.exit(c.name(), 1, false); // behind the scheduler's back, no one watching
        }
        engine.refuseFor(deployed.get(0).name(), Op.INSPECT);

        reconcile();
        assertEquals(ContainerState.RUNNING, row(deployed.get(0)).state(), "not settled while it cannot be seen");
        assertEquals(ContainerState.DIED, row(deployed.get(1)).state(), "the others are settled all the same");
        assertEquals(ContainerState.DIED, row(deployed.get(2)).state());

        engine.heal();
        reconcile();
        assertEquals(ContainerState.DIED, row(deployed.get(0)).state(), "and it is, once it can be seen");
    }

    @Test
    void aContainerWithoutARowIsStoppedAndKeptWithItsDataUntilTheGraceRunsOut() {
        List<Container> deployed = scheduler.deploy(TENANT, "web", 2);
        Container forgotten = deployed.get(0);
        Container known = deployed.get(1);
        // the database forgets it, as one restored from an older backup would
        scheduler.bean(ContainerRepository.class).deleteById(forgotten.id());

        reconcile();
        FakeEngine.Held held = engine.container(forgotten.name()).orElseThrow(() -> new AssertionError("removed"));
        assertEquals(Status.EXITED, held.status(), "stopped");
        List<Quarantined> quarantined = quarantine().list(OPERATOR);
        assertEquals(1, quarantined.size(), quarantined.toString());
        assertEquals(forgotten.engineId(), quarantined.get(0).engineId());
        assertEquals(forgotten.name(), quarantined.get(0).name());
        assertEquals(String.valueOf(forgotten.id()), quarantined.get(0).labels().get("biu.container"));
        assertEquals(ContainerState.RUNNING, row(known).state(), "the known one is left alone");
        assertEquals(Status.RUNNING, engine.container(known.name()).orElseThrow().status());

        scheduler.clock().advance(Duration.ofSeconds(30));
        reconcile();
        assertTrue(engine.container(forgotten.name()).isPresent(), "kept through the grace");
        assertEquals(quarantined, quarantine().list(OPERATOR), "recorded once, seen first when it was first seen");

        scheduler.clock().advance(Duration.ofSeconds(31));
        engine.refuseFor(forgotten.name(), Op.REMOVE);
        reconcile();
        assertTrue(engine.container(forgotten.name()).isPresent(), "the engine refused");
        assertEquals(1, quarantine().list(OPERATOR).size(), "so it stays quarantined");

        engine.heal();
        reconcile();
        assertTrue(engine.container(forgotten.name()).isEmpty(), "removed once the grace ran out");
        assertEquals(List.of(), quarantine().list(OPERATOR));
        assertEquals(Status.RUNNING, engine.container(known.name()).orElseThrow().status());
    }

    @Test
    void anOperatorDeletesAQuarantinedContainerAndATenantMayNeitherSeeNorDeleteOne() {
        Container forgotten = scheduler.deploy(TENANT, "web", 1).get(0);
        scheduler.bean(ContainerRepository.class).deleteById(forgotten.id());
        reconcile();
        Quarantined q = quarantine().list(OPERATOR).get(0);

        Caller tenant = SchedulerFixture.tenant(TENANT);
        SchedulerException listing = assertThrows(SchedulerException.class, () -> quarantine().list(tenant));
        assertEquals(SchedulerError.FORBIDDEN, listing.error());
        SchedulerException deleting = assertThrows(SchedulerException.class, () -> quarantine().delete(tenant, q.id()));
        assertEquals(SchedulerError.FORBIDDEN, deleting.error());
        assertTrue(engine.container(forgotten.name()).isPresent(), "a tenant deletes nothing");

        quarantine().delete(OPERATOR, q.id());
        assertTrue(engine.container(forgotten.name()).isEmpty(), "the operator's word removes it at once");
        assertEquals(List.of(), quarantine().list(OPERATOR));
        SchedulerException again = assertThrows(SchedulerException.class, () -> quarantine().delete(OPERATOR, q.id()));
        assertEquals(SchedulerError.NOT_FOUND, again.error());
    }
}
