package io.biu.scheduler.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.biu.scheduler.AgentConfig;
import io.biu.scheduler.SchedulerFixture;
import io.biu.scheduler.client.ContainerState;
import io.biu.scheduler.container.Container;
import io.biu.scheduler.container.ContainerRepository;
import io.biu.scheduler.container.DeployService;
import io.biu.scheduler.engine.FakeEngine.Op;
import io.biu.scheduler.engine.FakeEngine;
import io.biu.scheduler.error.SchedulerError;
import io.biu.scheduler.error.SchedulerException;
import io.biu.scheduler.node.Node;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Fencing: a container's resources and address stay reserved until its engine confirms it is gone. An engine that
 * hangs or refuses leaves the row {@code REMOVING}, holding them, and nothing is handed its address; once the engine
 * answers, the reconciler finishes the removal and only then frees them. Each test has a pod of its own, a /29 with
 * five addresses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FencingTest {

    private static final String TENANT = "team-a";
    private SchedulerFixture scheduler;

    @BeforeAll
    void start() {
        // a hung engine call gives up after 300 ms instead of the default two minutes
        scheduler = SchedulerFixture.start(Map.of("biu.scheduler.engine-timeout", "300ms"));
    }

    @AfterAll
    void stop() {
        scheduler.close();
    }

    private Node podWithOneNode(String pod, String subnet) {
        scheduler.pod(pod, subnet, TENANT);
        Node node = scheduler.node(pod + "-1", pod, List.of(0, 1, 2, 3), "4GiB");
        scheduler.app(TENANT, pod, pod, "0.1", "16MiB", null);
        return node;
    }

    private void reconcileOnceAbandoned(Node node) {
        scheduler.clock().advance(scheduler.bean(AgentConfig.class).reconcileGrace().plusSeconds(1));
        scheduler.bean(Reconciler.class).reconcile(node, scheduler.engine(node));
    }

    private static Set<String> addresses(List<Container> containers) {
        return containers.stream().map(Container::address).collect(Collectors.toSet());
    }

    @Test
    void aRemovalOnAHungEngineKeepsTheAddressUntilTheEngineConfirms() {
        Node node = podWithOneNode("hung", "10.76.0.0/29");
        FakeEngine engine = scheduler.engine(node);
        Container victim = scheduler.deploy(TENANT, "hung", 1).get(0);

        engine.hang(Op.STOP, Op.REMOVE); // it still lists and inspects, but every change hangs
        assertFalse(scheduler.bean(DeployService.class).remove(SchedulerFixture.tenant(TENANT), victim.id()),
                "the engine never confirmed");
        Container held = scheduler.rows("hung").get(0);
        assertEquals(ContainerState.REMOVING, held.state());
        assertEquals(victim.address(), held.address(), "it keeps its address");

        List<Container> others = scheduler.deploy(TENANT, "hung", 4);
        assertFalse(addresses(others).contains(victim.address()), "its address went to no one else");
        SchedulerException full = assertThrows(SchedulerException.class, () -> scheduler.deploy(TENANT, "hung", 1));
        assertEquals(SchedulerError.SUBNET_EXHAUSTED, full.error(), "the held address still counts as taken");

        reconcileOnceAbandoned(node);
        assertEquals(ContainerState.REMOVING, scheduler.bean(ContainerRepository.class).findById(victim.id())
                .orElseThrow().state(), "not while its engine still hangs");

        engine.release();
        reconcileOnceAbandoned(node);
        assertTrue(engine.container(victim.name()).isEmpty(), "the engine removed it");
        assertEquals(5 - 1, scheduler.rows("hung").size(), "and then its row went");
        assertEquals(victim.address(), scheduler.deploy(TENANT, "hung", 1).get(0).address(),
                "its address is free again, and the only one left");
    }

    @Test
    void aFailedLaunchTheEngineRefusesToCleanUpKeepsItsReservation() {
        Node node = podWithOneNode("refusing", "10.77.0.0/29");
        FakeEngine engine = scheduler.engine(node);
        engine.refuse(Op.START, Op.REMOVE);

        SchedulerException e = assertThrows(SchedulerException.class, () -> scheduler.deploy(TENANT, "refusing", 2));
        assertEquals(SchedulerError.ENGINE_FAILED, e.error());
        assertTrue(e.getMessage().contains("2 of 2 containers failed to start, so none was kept"), e.getMessage());
        List<Container> left = scheduler.rows("refusing");
        assertEquals(2, left.size(), "the engine still has them: " + engine.containers());
        assertTrue(left.stream().allMatch(c -> c.state() == ContainerState.REMOVING), left.toString());
        assertEquals(2, engine.containers().size());

        reconcileOnceAbandoned(node);
        assertEquals(2, scheduler.rows("refusing").size(), "not while the engine refuses");

        engine.heal();
        reconcileOnceAbandoned(node);
        assertEquals(List.of(), scheduler.rows("refusing"));
        assertEquals(List.of(), engine.containers());
        assertEquals(5, scheduler.deploy(TENANT, "refusing", 5).size(), "every address is free again");
    }

    @Test
    void aFailedLaunchLeavesNothingBehindWhenTheEngineCleansUp() {
        Node node = podWithOneNode("clean", "10.78.0.0/29");
        FakeEngine engine = scheduler.engine(node);
        engine.refuse(Op.COPY_FILES);

        assertThrows(SchedulerException.class, () -> scheduler.deploy(TENANT, "clean", 3));
        assertEquals(List.of(), scheduler.rows("clean"), "no reservation left");
        assertEquals(List.of(), engine.containers(), "no container left");
        engine.heal();
        assertEquals(5, scheduler.deploy(TENANT, "clean", 5).size(), "every address is free again");
    }
}
