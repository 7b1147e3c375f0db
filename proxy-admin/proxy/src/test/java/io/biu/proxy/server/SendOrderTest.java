package io.biu.proxy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * One client's parts in the order they reach the cluster, with the send order driven as the dispatcher and the
 * backend connections drive it, and connections reduced to what matters here: open or not yet, and the parts
 * each holds until it opens.
 */
class SendOrderTest {

    private final ClientSession client = client();
    private final SendOrder order = client.order;
    /** The parts that reached a backend, by name, in the order they did. */
    private final List<String> sent = new ArrayList<>();
    private final List<Connection> connections = new ArrayList<>();

    private static ClientSession client() {
        Properties p = new Properties();
        p.setProperty("seeds", "127.0.0.1:7000");
        ProxyConfig config = ProxyConfig.of(p);
        Stats stats = new Stats();
        return new ClientSession(Dispatchers.of(config, stats, EmbeddedChannel.class),
                config, stats, new Access(config.passwords(), config.adminPassword()), new PreAuth(64),
                TlsServing.of(config));
    }

    /** A new part of the client's, named {@code name}, for {@code to}: its command was just read. */
    private Part part(String name, Connection to) {
        Part part = new Part(new Pending(client, 0), -1, Unpooled.copiedBuffer(name, StandardCharsets.US_ASCII),
                -1, null, 1, null);
        to.routed.add(part);
        return part;
    }

    /** As {@link Dispatcher#send}. */
    private void send(Part part) {
        if (order.admit(part)) {
            connectionOf(part).write(part);
        }
    }

    /** As {@link Dispatcher#drain}. */
    private void drain() {
        Part part;
        while ((part = order.next()) != null) {
            connectionOf(part).write(part);
        }
    }

    private Connection connectionOf(Part part) {
        return connections.stream().filter(c -> c.routed.contains(part)).findFirst().orElseThrow();
    }

    /** A connection to a master, as {@link BackendConnection} reports to the send order. */
    private final class Connection {
        final List<Part> routed = new ArrayList<>();
        final List<Part> waiting = new ArrayList<>();
        boolean open;

        Connection(boolean open) {
            this.open = open;
            connections.add(this);
        }

        void write(Part part) {
            if (!open) {
                order.waitForConnection(part);
                waiting.add(part);
                return;
            }
            if (part.waitingForConnection) {
                order.doneWaiting(part);
            }
            sent.add(part.request.toString(StandardCharsets.US_ASCII));
            part.request.release();
        }

        /** Connected: the parts that waited go out, then their client's later parts. */
        void opened() {
            open = true;
            List<Part> ready = new ArrayList<>(waiting);
            waiting.clear();
            ready.forEach(this::write);
            drain();
        }

        /** Could not connect: the parts that waited are to be sent again. */
        void failed() {
            List<Part> unsent = new ArrayList<>(waiting);
            waiting.clear();
            for (Part part : unsent) {
                order.doneWaiting(part);
                order.retry(part);
            }
        }
    }

    @Test
    void partsQueuedBehindAConnectionNotYetOpenGoOutInOrderOnceItOpens() {
        Connection master = new Connection(false);
        send(part("set", master));
        send(part("get", master));
        send(part("del", master));
        assertEquals(List.of(), sent);
        assertEquals(1, order.waitingForConnection(), "the first waits in the connection");
        assertEquals(2, order.parked(), "the others behind it");

        master.opened();
        assertEquals(List.of("set", "get", "del"), sent);
        assertEquals(0, order.waitingForConnection());
        assertEquals(0, order.parked());
    }

    @Test
    void aLaterPartToAnOpenConnectionWaitsBehindAnEarlierPartStillWaiting() {
        Connection opening = new Connection(false);
        Connection open = new Connection(true);
        send(part("set a", opening));
        send(part("get b", open));
        send(part("get a", opening));
        assertEquals(List.of(), sent, "the part for the open connection did not overtake");

        opening.opened();
        assertEquals(List.of("set a", "get b", "get a"), sent);
    }

    @Test
    void aParkedPartThatMustWaitForItsOwnConnectionHoldsBackTheOnesBehindIt() {
        Connection first = new Connection(false);
        Connection second = new Connection(false);
        Connection open = new Connection(true);
        send(part("set a", first));
        send(part("set b", second));
        send(part("get c", open));

        first.opened();
        assertEquals(List.of("set a"), sent);
        assertEquals(1, order.waitingForConnection(), "set b waits in its connection now");
        second.opened();
        assertEquals(List.of("set a", "set b", "get c"), sent);
    }

    @Test
    void partsNotHeldBackGoOutAtOnce() {
        Connection open = new Connection(true);
        send(part("set", open));
        send(part("get", open));
        assertEquals(List.of("set", "get"), sent);
        assertEquals(0, order.parked());
    }

    @Test
    void countersReturnToZeroWhenConnectionsFailAndThePartsGoOutInOrderWhenRetried() {
        Connection failing = new Connection(false);
        Connection open = new Connection(true);
        send(part("set a", failing));
        send(part("get b", open));

        failing.failed();
        assertEquals(0, order.waitingForConnection());
        assertNull(order.next(), "nothing leaves before the retry is due");
        send(part("get c", open));
        assertEquals(List.of(), sent, "a new part waits behind the part to send again");

        failing.open = true;
        order.retryDue();
        drain();
        assertEquals(List.of("set a", "get b", "get c"), sent);
        assertEquals(0, order.waitingForConnection());
        assertEquals(0, order.parked());
    }

    @Test
    void aPartRoutedWithANewerSlotTableWaitsWithTheOnesBehindItUntilThePartsInFlightSettle() {
        Connection oldMaster = new Connection(true);
        Connection newMaster = new Connection(true);
        Part first = part("set k first", oldMaster);
        assertTrue(order.mayGo(first, 7));
        order.sent(first);
        Part sameTable = part("get j", oldMaster);
        assertTrue(order.mayGo(sameTable, 7), "routed with the same table: no reason to wait");
        order.sent(sameTable);

        // the table changed: k's slot is the new master's now
        Part second = part("set k second", newMaster);
        assertFalse(order.mayGo(second, 8));
        Part behind = part("get k", newMaster);
        assertFalse(order.admit(behind), "a later part waits behind the held one");
        assertNull(order.next());
        assertFalse(order.settled(sameTable), "one part is still in flight");
        assertNull(order.next());
        order.sent(first); // redirected: in flight still, counted once
        assertEquals(1, order.inFlight());

        assertTrue(order.settled(first), "the last part in flight settled: the held ones may go");
        assertFalse(order.settled(first), "settled once");
        assertSame(second, order.next());
        assertTrue(order.mayGo(second, 8));
        order.sent(second);
        assertSame(behind, order.next());
        assertTrue(order.mayGo(behind, 8));
        order.sent(behind);
        assertNull(order.next());
        assertFalse(order.mayGo(part("get x", oldMaster), -1), "a table read while it changed counts as another");
        List.of(first, sameTable, second, behind).forEach(p -> p.request.release());
        order.discard();
    }

    @Test
    void aPartReportedTwiceIsCountedOnce() {
        Part part = part("get", new Connection(false));
        order.waitForConnection(part);
        order.waitForConnection(part);
        assertEquals(1, order.waitingForConnection());
        order.doneWaiting(part);
        order.doneWaiting(part);
        assertEquals(0, order.waitingForConnection());
        assertFalse(part.waitingForConnection);
        part.request.release();
    }

    @Test
    void partsSentAgainLeaveInTheClientsOrderAfterOneScheduledRetry() {
        Connection open = new Connection(true);
        Part first = part("first", open);
        Part second = part("second", open);
        // both went out; the second's master answers TRYAGAIN before the first's does
        assertTrue(order.admit(first));
        assertTrue(order.admit(second));
        assertTrue(order.retry(second), "the first retry is to be scheduled");
        Part third = part("third", open);
        assertFalse(order.admit(third), "held back behind the part to send again");
        assertFalse(order.retry(first), "a retry is scheduled already");
        assertNull(order.next());

        order.retryDue();
        assertSame(first, order.next());
        assertSame(second, order.next());
        assertSame(third, order.next());
        assertNull(order.next());
        List.of(first, second, third).forEach(p -> p.request.release());
    }

    @Test
    void parkedPartsAreFreedWhenTheClientGoes() {
        Connection opening = new Connection(false);
        Part waiting = part("set", opening);
        Part parked = part("get", opening);
        send(waiting);
        send(parked);
        order.discard();
        assertEquals(0, parked.request.refCnt());
        assertEquals(0, order.parked());
        assertEquals(1, waiting.request.refCnt(), "a part in a connection is the connection's to free");
        waiting.request.release();
    }
}
