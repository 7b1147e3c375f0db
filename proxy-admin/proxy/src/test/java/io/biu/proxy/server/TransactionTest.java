package io.biu.proxy.server;

import static io.biu.proxy.server.SessionFixture.command;
import static io.biu.proxy.server.SessionFixture.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A client's MULTI ... EXEC through the proxy: what is queued, what is refused, and what reaches the cluster. */
class TransactionTest {

    private final SessionFixture client = new SessionFixture();

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void execSendsTheQueuedCommandsAsOneMultiExecToTheirSlotAndNothingBefore() {
        assertEquals("+OK\r\n", client.send("MULTI"));
        assertEquals("+QUEUED\r\n", client.send("SET", "{u1}a", "1"));
        assertEquals("+QUEUED\r\n", client.send("INCR", "{u1}b"));
        assertEquals("+QUEUED\r\n", client.send("EVAL", "return 1", "0"));
        assertEquals(List.of(), client.parts(), "nothing sent before EXEC");

        client.send("EXEC");
        List<Part> parts = client.parts();
        assertEquals(1, parts.size());
        Part exec = parts.get(0);
        assertEquals("*1\r\n$5\r\nMULTI\r\n" + command("SET", "{u1}a", "1") + command("INCR", "{u1}b")
                + command("EVAL", "return 1", "0") + "*1\r\n$4\r\nEXEC\r\n", text(exec));
        assertEquals(SessionFixture.slot("u1"), exec.slot, "a command without keys joins the others' slot");
        assertEquals(5, exec.replies, "MULTI's, each command's QUEUED, then EXEC's");

        exec.deliver(Unpooled.copiedBuffer("*3\r\n+OK\r\n:1\r\n:1\r\n", StandardCharsets.UTF_8));
        assertEquals("*3\r\n+OK\r\n:1\r\n:1\r\n", client.written());
        assertEquals("-ERR EXEC without MULTI\r\n", client.send("EXEC"), "the transaction ended");
    }

    @Test
    void aCommandTheProxyCannotQueueAbortsTheTransaction() {
        client.send("MULTI");
        assertTrue(client.send("PING").startsWith("-ERR the proxy cannot run 'PING' in a transaction"));
        assertEquals("+QUEUED\r\n", client.send("GET", "k"));
        assertEquals("-EXECABORT Transaction discarded because of previous errors.\r\n", client.send("EXEC"));
        client.send("MULTI");
        assertTrue(client.send("NOSUCH").startsWith("-ERR the proxy cannot run 'NOSUCH'"));
        assertTrue(client.send("EXEC").startsWith("-EXECABORT"));
        assertEquals(List.of(), client.parts());
    }

    @Test
    void commandsThatEndOrCannotJoinATransactionRunAtOnce() {
        client.send("MULTI");
        assertTrue(client.send("WATCH", "k").startsWith("-ERR WATCH is not supported"));
        assertEquals("-ERR MULTI calls can not be nested\r\n", client.send("MULTI"));
        assertEquals("+OK\r\n", client.send("DISCARD"));
        assertEquals("-ERR DISCARD without MULTI\r\n", client.send("DISCARD"));
        client.send("MULTI");
        assertEquals("+RESET\r\n", client.send("RESET"));
        assertEquals("-ERR EXEC without MULTI\r\n", client.send("EXEC"), "RESET ended the transaction");
    }

    /**
     * Sends MULTI and two commands in one buffer, then {@code end}: returns how many references to that buffer are
     * left besides the test's own (the queued commands keep slices of it).
     */
    private int referencesLeftAfter(Runnable end) {
        ByteBuf in = Unpooled.copiedBuffer(command("MULTI") + command("SET", "{u}a", "1") + command("SET", "{u}b", "2"),
                StandardCharsets.UTF_8);
        in.retain();
        client.channel.writeInbound(in);
        client.written();
        end.run();
        int left = in.refCnt() - 1;
        in.release();
        return left;
    }

    @Test
    void theQueuedCommandsAreHeldUntilTheTransactionEnds() {
        assertEquals(2, referencesLeftAfter(() -> { }));
        client.send("DISCARD");
    }

    @Test
    void theQueuedCommandsAreFreedOnDiscard() {
        assertEquals(0, referencesLeftAfter(() -> client.send("DISCARD")));
    }

    @Test
    void theQueuedCommandsAreFreedOnReset() {
        assertEquals(0, referencesLeftAfter(() -> client.send("RESET")));
    }

    @Test
    void theQueuedCommandsAreFreedWhenTheClientGoes() {
        assertEquals(0, referencesLeftAfter(() -> client.channel.close()));
    }

    @Test
    void theQueuedCommandsAreFreedWhenExecIsAborted() {
        assertEquals(0, referencesLeftAfter(() -> {
            client.send("GET", "other");
            client.send("EXEC");
        }));
    }

    @Test
    void theQueuedCommandsAreFreedOnceExecCopiedThem() {
        assertEquals(0, referencesLeftAfter(() -> client.send("EXEC")));
        client.parts().forEach(p -> p.request.release());
    }
}
