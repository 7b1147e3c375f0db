package io.biu.scheduler.event;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.biu.kit.lease.Leases;
import io.biu.scheduler.LocalRedis;
import io.biu.scheduler.SchedulerFixture;
import io.biu.scheduler.container.Container;
import io.biu.scheduler.container.DeployService;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.micronaut.json.JsonMapper;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The relay against a real Redis: the outbox reaches the stream in sequence order under the ids {@code <seq>-0}, with
 * each app's membership hash beside it, and sending events again, whatever the reason, changes neither.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventRelayTest {

    private static final String TENANT = "team-a";

    private LocalRedis redis;
    private SchedulerFixture scheduler;
    private EventRelay relay;
    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;
    private RedisCommands<String, String> bus;
    private BusConfig config;
    private EventRepository outbox;
    /** Runs once, inside the relay's next MULTI (when it writes a membership), then is cleared. */
    private final AtomicReference<Runnable> duringMulti = new AtomicReference<>();

    /** What the bus holds: the stream's entries (id, then fields), the membership hashes and the last sequence. */
    private record Bus(List<String> stream, Map<String, Map<String, String>> members, String last) {
    }

    @BeforeAll
    void start() {
        redis = LocalRedis.start();
        scheduler = SchedulerFixture.start(Map.of("biu.bus.uri", redis.uri()));
        scheduler.pod("web", "10.75.0.0/24", TENANT);
        scheduler.node("web-1", "web", List.of(0, 1, 2, 3), "4GiB");
        // the relay is background work, off in these schedulers: this one runs when the test says
        outbox = scheduler.bean(EventRepository.class);
        config = scheduler.bean(BusConfig.class);
        relay = new EventRelay(outbox, scheduler.bean(Leases.class), config,
                interfering(scheduler.bean(JsonMapper.class)));
        client = RedisClient.create(redis.uri());
        connection = client.connect();
        bus = connection.sync();
    }

    @AfterAll
    void stop() {
        try {
            if (relay != null) {
                relay.close();
            }
            if (client != null) {
                connection.close();
                client.shutdown();
            }
            if (scheduler != null) {
                scheduler.close();
            }
        } finally {
            if (redis != null) {
                redis.close();
            }
        }
    }

    /** Deploys {@code count} containers of a new app, waits until they are ready, removes the first. */
    private List<Container> events(String app, int count) {
        scheduler.app(TENANT, app, "web", "0.1", "16MiB", null);
        List<Container> deployed = scheduler.deploy(TENANT, app, count);
        await("readiness of " + app).atMost(Duration.ofSeconds(10)).until(() -> scheduler.rows("web").stream()
                .filter(c -> c.name().contains("." + app + ".")).allMatch(Container::ready));
        scheduler.bean(DeployService.class).remove(SchedulerFixture.tenant(TENANT), deployed.get(0).id());
        return deployed;
    }

    /**
     * The relay's JSON mapper, which runs {@link #duringMulti} when the relay writes a membership: between its MULTI and
     * its EXEC, where another writer's change to the bus is what the relay must notice.
     */
    private JsonMapper interfering(JsonMapper json) {
        return (JsonMapper) Proxy.newProxyInstance(JsonMapper.class.getClassLoader(), new Class<?>[] {JsonMapper.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("writeValueAsString")) {
                        Runnable hook = duringMulti.getAndSet(null);
                        if (hook != null) {
                            hook.run();
                        }
                    }
                    try {
                        return method.invoke(json, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private Bus bus() {
        List<String> stream = bus.xrange(config.stream(), Range.create("-", "+")).stream()
                .map(m -> m.getId() + " " + m.getBody()).toList();
        Map<String, Map<String, String>> members = bus.keys(config.prefix() + ":members:*").stream()
                .collect(Collectors.toMap(k -> k, bus::hgetall));
        return new Bus(stream, members, bus.get(config.lastKey()));
    }

    /** The bus holds the outbox, in order, each event once under its own sequence, and the app's living members. */
    private void assertBusMirrorsOutbox(String app, List<Container> deployed) {
        List<Event> all = outbox.after(0, 10_000);
        assertTrue(all.stream().allMatch(Event::published), "the outbox is all published");
        List<StreamMessage<String, String>> stream = bus.xrange(config.stream(), Range.create("-", "+"));
        assertEquals(all.stream().map(e -> e.seq() + "-0").toList(), stream.stream().map(StreamMessage::getId).toList(),
                "every event once, in order, under the id <seq>-0");
        for (int i = 0; i < all.size(); i++) {
            assertEquals(all.get(i).payload(), stream.get(i).getBody().get("json"));
        }
        assertEquals(String.valueOf(all.get(all.size() - 1).seq()), bus.get(config.lastKey()));
        Set<String> living = deployed.stream().skip(1).map(c -> String.valueOf(c.id())).collect(Collectors.toSet());
        assertEquals(living, bus.hgetall(config.membersKey(TENANT, app)).keySet(), "members: all but the removed one");
    }

    @Test
    void eventsSentAgainAfterAHaltBetweenPublishingAndMarkingThemChangeNothing() {
        List<Container> deployed = events("again", 3);
        relay.tick();
        assertBusMirrorsOutbox("again", deployed);
        Bus published = bus();

        // a relay halted after EXEC, before marking its batch published, leaves it unmarked: the next one sends it
        outbox.unpublishAll();
        relay.tick();
        assertEquals(published, bus(), "the stream and the membership are as they were");
        assertBusMirrorsOutbox("again", deployed);

        // and so with newer events behind them: those are added, once
        List<Container> more = events("more", 2);
        outbox.unpublishAll();
        relay.tick();
        assertEquals(published.stream(), bus().stream().subList(0, published.stream().size()));
        assertBusMirrorsOutbox("more", more);
        assertEquals(published.members().get(config.membersKey(TENANT, "again")),
                bus().members().get(config.membersKey(TENANT, "again")));
    }

    @Test
    void theWholeHistorySentAgainOntoAStreamThatHoldsItAddsNothing() {
        List<Container> deployed = events("history", 2);
        relay.tick();
        Bus published = bus();

        // without its last sequence the bus looks emptied to the relay, which sends every event again
        bus.del(config.lastKey());
        relay.tick();
        assertEquals(published, bus(), "the stream refused every id it had; the membership came out the same");
        assertBusMirrorsOutbox("history", deployed);
    }

    @Test
    void aBusThatLostEverythingIsRebuiltFromTheOutbox() {
        List<Container> deployed = events("rebuilt", 2);
        relay.tick();
        Bus published = bus();

        bus.flushall();
        relay.tick();
        assertEquals(published, bus(), "the same stream and membership as before the loss");
        assertBusMirrorsOutbox("rebuilt", deployed);
    }

    @Test
    void aBatchWhoseExecIsDiscardedIsNotPublishedAndGoesOutOnceNextRound() {
        relay.tick();
        Bus before = bus();
        assertTrue(before.last() != null, "something was published before");
        List<Container> deployed = events("discarded", 2);
        // another writer touches the last sequence between the relay's WATCH and its EXEC
        duringMulti.set(() -> bus.set(config.lastKey(), bus.get(config.lastKey())));
        relay.tick();
        assertTrue(duringMulti.get() == null, "the relay wrote memberships inside its MULTI");
        assertEquals(before, bus(), "a discarded EXEC changed nothing");
        assertTrue(!outbox.unpublished(10).isEmpty(), "and its events still wait in the outbox");

        relay.tick();
        assertBusMirrorsOutbox("discarded", deployed);
    }

    @Test
    void aBatchTheBusRefusesInPartIsNotPublishedAndGoesOutOnceWhenTheBusAcceptsIt() {
        relay.tick();
        Bus before = bus();
        List<Container> deployed = events("refused", 2);
        String members = config.membersKey(TENANT, "refused");
        bus.set(members, "not a hash"); // every HSET of this app's membership fails inside the EXEC
        try {
            relay.tick();
            assertTrue(!outbox.unpublished(10).isEmpty(), "a batch the bus refused in part is not published");
            assertEquals(before.last(), bus.get(config.lastKey()), "and the last sequence is as it was");
            assertTrue(bus.xlen(config.stream()) > before.stream().size(), "though its events reached the stream");
        } finally {
            bus.del(members);
        }
        relay.tick();
        assertBusMirrorsOutbox("refused", deployed); // each event once on the stream, the membership complete
    }
}
