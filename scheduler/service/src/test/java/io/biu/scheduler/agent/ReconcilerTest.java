package io.biu.scheduler.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.biu.kit.crash.CrashPoints;
import io.biu.scheduler.AgentConfig;
import io.biu.scheduler.SchedulerFixture;
import io.biu.scheduler.client.ContainerState;
import io.biu.scheduler.client.LifecycleStep;
import io.biu.scheduler.container.CapacityService;
import io.biu.scheduler.container.Container;
import io.biu.scheduler.container.DeployService;
import io.biu.scheduler.engine.FakeEngine.Op;
import io.biu.scheduler.engine.FakeEngine.Status;
import io.biu.scheduler.engine.FakeEngine;
import io.biu.scheduler.node.Node;
import io.biu.scheduler.node.NodeRepository;
import io.biu.scheduler.placement.NodeCapacity;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Recovery from a scheduler halted right after each step of a deployment and of a removal ({@code biu.crash-after},
 * one scheduler per step, as a halted process is one per step). The halt leaves the rows and the engine as that step
 * left them; the reconciler leaves them alone while the step is recent (it may still be under way), then keeps a
 * deployment that started, undoes one that did not, and finishes every removal. A container's resources and address
 * are freed only once its engine confirms it is gone: while the engine refuses to remove it, its row keeps them.
 */
class ReconcilerTest {

    private static final String TENANT = "team-a";

    static Stream<LifecycleStep> deploySteps() {
        return LifecycleStep.DEPLOY.stream();
    }

    static Stream<LifecycleStep> removalSteps() {
        return LifecycleStep.REMOVAL.stream();
    }

    /** A scheduler that halts after {@code step}, with a node that has room for two containers of app "web". */
    private static SchedulerFixture halting(LifecycleStep step) {
        SchedulerFixture scheduler = SchedulerFixture.start(Map.of("biu.crash-after", step.id()));
        scheduler.pod("web", "10.74.0.0/29", TENANT);
        scheduler.node("web-1", "web", List.of(0, 1), "1GiB");
        scheduler.app(TENANT, "web", "web", "1", "512MiB", null);
        return scheduler;
    }

    @ParameterizedTest
    @MethodSource("deploySteps")
    void aDeploymentHaltedAfterAStepIsKeptIfItStartedAndUndoneOtherwise(LifecycleStep step) {
        try (SchedulerFixture scheduler = halting(step)) {
            CrashPoints.Halted halted = assertThrows(CrashPoints.Halted.class,
                    () -> scheduler.deploy(TENANT, "web", 1));
            assertTrue(halted.getMessage().contains(step.id()), halted.getMessage());
            Node node = node(scheduler);
            FakeEngine engine = scheduler.engine(node);
            Container left = only(scheduler);
            assertLeftAsTheStepLeftIt(step, left, engine);

            reconcile(scheduler, node);
            assertEquals(left, only(scheduler), "a recent step may still be under way: left alone");
            assertLeftAsTheStepLeftIt(step, left, engine);

            boolean started = step == LifecycleStep.STARTED;
            if (!started && left.engineId() != null) {
                engine.refuse(Op.REMOVE);
                scheduler.clock().advance(grace(scheduler));
                reconcile(scheduler, node);
                assertEquals(left.id(), only(scheduler).id(), "kept while the engine cannot confirm its removal");
                assertEquals(1, room(scheduler), "and so are its resources");
                engine.heal();
            }
            scheduler.clock().advance(grace(scheduler));
            reconcile(scheduler, node);

            if (started) {
                assertEquals(ContainerState.RUNNING, only(scheduler).state(), "a started container is kept");
                assertEquals(Status.RUNNING, engine.container(left.name()).orElseThrow().status());
                assertEquals(1, room(scheduler));
            } else {
                assertEquals(List.of(), scheduler.rows("web"), "a deployment that never started is undone");
                assertEquals(List.of(), engine.containers(), "on the engine too");
                assertEquals(2, room(scheduler), "its resources are free again");
            }
        }
    }

    private static void assertLeftAsTheStepLeftIt(LifecycleStep step, Container row, FakeEngine engine) {
        Optional<FakeEngine.Held> held = engine.container(row.name());
        switch (step) {
            case RESERVED -> {
                assertEquals(ContainerState.RESERVED, row.state());
                assertTrue(held.isEmpty(), "nothing on the engine yet");
            }
            case CREATED, FILES_COPIED -> {
                assertEquals(ContainerState.CREATED, row.state());
                assertEquals(row.engineId(), held.orElseThrow().id());
                assertEquals(Status.CREATED, held.get().status());
                assertEquals(step == LifecycleStep.FILES_COPIED, held.get().files().containsKey("/run/secrets/token"),
                        "files copied only by then");
            }
            case STARTED -> {
                assertEquals(ContainerState.RUNNING, row.state());
                assertEquals(Status.RUNNING, held.orElseThrow().status());
            }
            default -> throw new IllegalArgumentException("not a deployment step: " + step);
        }
    }

    @ParameterizedTest
    @MethodSource("removalSteps")
    void aRemovalHaltedAfterAnyStepIsFinished(LifecycleStep step) {
        try (SchedulerFixture scheduler = halting(step)) {
            Container running = scheduler.deploy(TENANT, "web", 1).get(0);
            assertThrows(CrashPoints.Halted.class, () -> scheduler.bean(DeployService.class)
                    .remove(SchedulerFixture.tenant(TENANT), running.id()));
            Node node = node(scheduler);
            FakeEngine engine = scheduler.engine(node);
            Container left = only(scheduler);
            Optional<FakeEngine.Held> held = engine.container(running.name());
            switch (step) {
                case STOPPING -> {
                    assertEquals(ContainerState.STOPPING, left.state());
                    assertEquals(Status.RUNNING, held.orElseThrow().status());
                }
                case STOPPED -> {
                    assertEquals(ContainerState.STOPPED, left.state());
                    assertEquals(Status.EXITED, held.orElseThrow().status());
                }
                case ENGINE_REMOVED -> {
                    assertEquals(ContainerState.STOPPED, left.state(), "its resources are not freed yet");
                    assertTrue(held.isEmpty(), "but the engine has removed it");
                }
                default -> throw new IllegalArgumentException("not a removal step: " + step);
            }

            reconcile(scheduler, node);
            assertEquals(left, only(scheduler), "a recent step may still be under way: left alone");

            engine.refuse(Op.REMOVE);
            scheduler.clock().advance(grace(scheduler));
            reconcile(scheduler, node);
            if (held.isPresent()) {
                assertEquals(left.id(), only(scheduler).id(), "kept while the engine cannot confirm its removal");
                assertEquals(1, room(scheduler), "and so are its resources and address");
                engine.heal();
                reconcile(scheduler, node);
            }
            assertEquals(List.of(), scheduler.rows("web"), "the removal was finished");
            assertEquals(List.of(), engine.containers(), "on the engine too");
            assertEquals(2, room(scheduler), "its resources are free again");
        }
    }

    private static Node node(SchedulerFixture scheduler) {
        return scheduler.bean(NodeRepository.class).findByName("web-1").orElseThrow();
    }

    private static Container only(SchedulerFixture scheduler) {
        List<Container> rows = scheduler.rows("web");
        assertEquals(1, rows.size(), "one row: " + rows);
        return rows.get(0);
    }

    private static void reconcile(SchedulerFixture scheduler, Node node) {
        scheduler.bean(Reconciler.class).reconcile(node, scheduler.engine(node));
    }

    /** Just past the age at which the reconciler takes a step for abandoned. */
    private static Duration grace(SchedulerFixture scheduler) {
        return scheduler.bean(AgentConfig.class).reconcileGrace().plusSeconds(1);
    }

    /** How many more containers of app "web" the node has room for. */
    private static int room(SchedulerFixture scheduler) {
        return scheduler.bean(CapacityService.class).capacity(SchedulerFixture.OPERATOR, "web", BigDecimal.ONE,
                512L << 20, Map.of()).stream().mapToInt(NodeCapacity::count).sum();
    }
}
