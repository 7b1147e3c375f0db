package io.biu.scheduler.engine;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.biu.scheduler.cpu.DockerCpu;
import io.biu.scheduler.engine.FakeEngine.Op;
import io.biu.scheduler.engine.FakeEngine.Status;
import io.biu.scheduler.error.SchedulerError;
import io.biu.scheduler.error.SchedulerException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The fake behaves as the scheduler expects a Docker engine to, and misbehaves as told. */
class FakeEngineTest {

    private final FakeEngine engine = new FakeEngine("tcp://node.fake:2376", FakeEngines.DEFAULT,
            Duration.ofMillis(300));

    private static Engine.Spec spec(String name, String address) {
        return new Engine.Spec(name, "biu/web:1", List.of("httpd"), Map.of(), Map.of("biu.container", name,
                "biu.pod", "web"), "biu-web", address, new DockerCpu("0", 1024, 0, 0), 64L << 20,
                Engine.DataVolume.own(name, "/data"), Duration.ofSeconds(1), Engine.Hardening.NONE);
    }

    private static Engine.Spec keyed(String name, String volume) {
        Engine.Spec own = spec(name, null);
        return new Engine.Spec(name, own.image(), own.command(), own.env(), own.labels(), null, null, own.cpu(),
                own.memory(), new Engine.DataVolume(volume, "/data", Map.of("biu.volume-key", "k")), own.stopGrace(),
                Engine.Hardening.NONE);
    }

    @Test
    void aKeysVolumeOutlivesItsContainersAndGoesOnlyWhenNoneMountsIt() {
        String first = engine.create(keyed("a", "biu-a1-k-00"));
        engine.start(first);
        assertEquals(Map.of("biu.volume-key", "k"), engine.volume("biu-a1-k-00").orElseThrow());
        assertEquals(SchedulerError.ENGINE_FAILED, assertThrows(SchedulerException.class,
                () -> engine.removeVolume("biu-a1-k-00"), "mounted by a running container").error());
        engine.remove(first);
        assertEquals(java.util.Set.of("biu-a1-k-00"), engine.volumes(), "the key's volume stays");
        String second = engine.create(keyed("b", "biu-a1-k-00"));
        assertEquals(java.util.Set.of("biu-a1-k-00"), engine.volumes(), "and is mounted again, not made anew");
        assertThrows(SchedulerException.class, () -> engine.removeVolume("biu-a1-k-00"),
                "mounted by a container that is only created");
        engine.remove(second);
        engine.removeVolume("biu-a1-k-00");
        engine.removeVolume("biu-a1-k-00");
        assertEquals(java.util.Set.of(), engine.volumes());
    }

    @Test
    void containersGoThroughDockersLifecycle() {
        engine.ensureNetwork("biu-web", "10.9.0.0/24", "10.9.0.1", "eth0", Map.of());
        String id = engine.create(spec("a", "10.9.0.2"));
        engine.copyFiles(id, List.of(new Engine.File("/run/token", 0400, new byte[] {1})), Engine.Hardening.NONE);
        assertEquals(Status.CREATED, engine.container("a").orElseThrow().status());
        assertEquals(1, engine.container(id.substring(0, 12)).orElseThrow().files().size(), "found by a short id");
        engine.start(id);
        engine.start(id);
        assertTrue(engine.inspect("a").orElseThrow().running());
        assertEquals(Status.RUNNING, engine.list(Map.of("biu.pod", "web")).stream().findFirst()
                .map(c -> engine.container(c.id()).orElseThrow().status()).orElseThrow());
        engine.stop(id, Duration.ofSeconds(1));
        assertFalse(engine.inspect(id).orElseThrow().running(), "a stopped container stays, exited");
        assertEquals(1, engine.list(Map.of("biu.pod", "web")).size(), "and is listed");
        assertEquals(java.util.Set.of("a-data"), engine.volumes());
        engine.remove(id);
        engine.remove(id);
        engine.stop(id, Duration.ofSeconds(1));
        assertTrue(engine.inspect(id).isEmpty());
        assertEquals(java.util.Set.of(), engine.volumes(), "its data volume went with it");
    }

    @Test
    void refusesWhatDockerRefuses() {
        SchedulerException noNetwork = assertThrows(SchedulerException.class, () -> engine.create(spec("a", null)));
        assertEquals(SchedulerError.ENGINE_FAILED, noNetwork.error());
        engine.ensureNetwork("biu-web", "10.9.0.0/24", "10.9.0.1", "eth0", Map.of());
        assertEquals(SchedulerError.IN_USE, assertThrows(SchedulerException.class,
                () -> engine.ensureNetwork("biu-web", "10.8.0.0/24", "10.8.0.1", "eth0", Map.of())).error());
        engine.start(engine.create(spec("a", "10.9.0.2")));
        assertThrows(SchedulerException.class, () -> engine.create(spec("a", "10.9.0.3")), "the name is taken");
        String twin = engine.create(spec("b", "10.9.0.2"));
        assertTrue(assertThrows(SchedulerException.class, () -> engine.start(twin)).getMessage()
                .contains("address 10.9.0.2 is in use"));
        assertThrows(SchedulerException.class, () -> engine.exec(twin, List.of("true"), Duration.ofSeconds(1)),
                "nothing runs in a container that is not running");
    }

    @Test
    void refusedOperationsFailUntilHealed() {
        engine.refuse(Op.CREATE);
        SchedulerException e = assertThrows(SchedulerException.class, () -> engine.create(spec("a", null)));
        assertEquals(SchedulerError.ENGINE_FAILED, e.error());
        assertTrue(engine.ping(), "the rest answers");
        engine.heal();
        engine.ensureNetwork("biu-web", "10.9.0.0/24", "10.9.0.1", "eth0", Map.of());
        engine.create(spec("a", null));
        assertEquals(2, engine.calls(Op.CREATE));
    }

    @Test
    void aHungCallFailsAfterTheTimeoutOrGoesThroughWhenReleased() {
        engine.hang(Op.LIST, Op.PING);
        long start = System.nanoTime();
        SchedulerException e = assertThrows(SchedulerException.class, () -> engine.list(Map.of()));
        assertEquals(SchedulerError.ENGINE_UNREACHABLE, e.error());
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(300).toNanos(), "it waited for its timeout");

        CompletableFuture<Integer> listing = CompletableFuture.supplyAsync(() -> engine.list(Map.of()).size());
        await().atMost(Duration.ofSeconds(5)).until(() -> engine.hanging() == 1);
        assertFalse(listing.isDone());
        engine.release();
        assertEquals(0, listing.join());
        assertTrue(engine.ping());
    }

    @Test
    void anUnreachableEngineFailsEveryCallAndEndsItsEventStreams() throws Exception {
        engine.ensureNetwork("biu-web", "10.9.0.0/24", "10.9.0.1", "eth0", Map.of());
        String id = engine.create(spec("a", "10.9.0.2"));
        engine.start(id);
        List<Engine.ContainerEvent> events = new ArrayList<>();
        AtomicBoolean closed = new AtomicBoolean();
        AutoCloseable watch = engine.watch(events::add, () -> closed.set(true));
        engine.exit("a", 137, true);
        assertEquals(List.of("oom", "die"), events.stream().map(Engine.ContainerEvent::action).toList());
        assertEquals(137, events.get(1).exitCode());
        assertEquals("a", events.get(1).labels().get("biu.container"));

        engine.unreachable(true);
        assertTrue(closed.get(), "the event stream ended");
        assertFalse(engine.ping());
        assertEquals(SchedulerError.ENGINE_UNREACHABLE,
                assertThrows(SchedulerException.class, () -> engine.inspect(id)).error());
        engine.heal();
        assertTrue(engine.inspect(id).isPresent(), "its containers are still there");
        watch.close();
    }
}
