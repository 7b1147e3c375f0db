package io.biu.proxy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** When and in which order a loop flushes the channels written to during an iteration. */
class LoopStateTest {

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final LoopState loop = new LoopState(channel.eventLoop());
    private final List<String> flushed = new ArrayList<>();

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private LoopState.Flushable named(String name) {
        return () -> flushed.add(name);
    }

    @Test
    void nothingIsFlushedUntilTheLoopHasRunWhatIsReady() {
        loop.flushLater(named("client"));
        assertEquals(List.of(), flushed);
        channel.runPendingTasks();
        assertEquals(List.of("client"), flushed);
    }

    @Test
    void connectionsToTheClusterAreFlushedBeforeTheClients() {
        loop.flushLater(named("client 1"));
        loop.flushFirst(named("master 1"));
        loop.flushLater(named("client 2"));
        loop.flushFirst(named("master 2"));
        channel.runPendingTasks();
        assertEquals(List.of("master 1", "master 2", "client 1", "client 2"), flushed);
    }

    @Test
    void aChannelWrittenToDuringAFlushIsFlushedOnceMore() {
        loop.flushLater(() -> {
            flushed.add("client");
            loop.flushFirst(named("master"));
        });
        channel.runPendingTasks();
        assertEquals(List.of("client", "master"), flushed);
        channel.runPendingTasks();
        assertEquals(List.of("client", "master"), flushed);
    }
}
