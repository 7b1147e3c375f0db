package io.biu.proxy.server;

import io.biu.proxy.cluster.Address;
import java.util.HashMap;
import java.util.Map;

/**
 * A client's own connections to the masters, for its commands that may block (BLPOP, XREAD BLOCK...): on a
 * connection shared with other clients, a command that waits would hold up every command behind it.
 *
 * <p>It owns them: at most one per master, opened on first use and again after it closed, all closed with the
 * client ({@link #close}). They live on the client's event loop, like the client.
 */
final class DedicatedConnections {

    /** {@code null} until the client's first blocking command: most clients never send one. */
    private Map<Address, BackendConnection> byMaster;

    /** The client's connection to {@code target}, opened through {@code dispatcher} if there is none open. */
    BackendConnection to(Address target, Dispatcher dispatcher, LoopState loop) {
        if (byMaster == null) {
            byMaster = new HashMap<>();
        }
        BackendConnection c = byMaster.get(target);
        if (c == null || c.closed()) {
            c = new BackendConnection(target, dispatcher, loop, dispatcher.replyDeadlineNanos());
            byMaster.put(target, c);
            loop.putDedicated(c);
            dispatcher.connect(c);
        }
        return c;
    }

    /** The client is gone. */
    void close() {
        if (byMaster != null) {
            byMaster.values().forEach(BackendConnection::close);
        }
    }
}
