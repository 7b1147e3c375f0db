package io.biu.proxy.server;

import io.biu.proxy.resp.Slots;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * A client session on an {@link EmbeddedChannel}, with a cluster whose slot table is empty: what the session sends
 * on finds no master and is parked to be sent again, where {@link #parts()} picks it up, in the order sent.
 */
final class SessionFixture implements AutoCloseable {

    final Stats stats = new Stats();
    final ClientSession session;
    final EmbeddedChannel channel;

    /** A session configured with the proxy's defaults and {@code settings} (name, value, ...). */
    SessionFixture(String... settings) {
        Properties p = new Properties();
        p.setProperty("seeds", "127.0.0.1:7000");
        for (int i = 0; i < settings.length; i += 2) {
            p.setProperty(settings[i], settings[i + 1]);
        }
        ProxyConfig config = ProxyConfig.of(p);
        session = new ClientSession(Dispatchers.of(config, stats, EmbeddedChannel.class),
                config, stats, new Access(config.passwords(), config.adminPassword()), new PreAuth(64),
                TlsServing.of(config));
        channel = new EmbeddedChannel(session);
    }

    /** The cluster slot of {@code key}. */
    static int slot(String key) {
        return Slots.slot(key.getBytes(StandardCharsets.UTF_8));
    }

    /** A key named {@code prefix} and a number whose slot is in {@code [first, last]}. */
    static String keyIn(int first, int last, String prefix) {
        for (int i = 0; ; i++) {
            int slot = slot(prefix + i);
            if (slot >= first && slot <= last) {
                return prefix + i;
            }
        }
    }

    /** The command {@code args} spell, in RESP. */
    static String command(String... args) {
        StringBuilder s = new StringBuilder("*" + args.length + "\r\n");
        for (String a : args) {
            s.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
        }
        return s.toString();
    }

    /** Sends the command {@code args} spell and returns everything written back. */
    String send(String... args) {
        return sendBytes(command(args));
    }

    /** Sends {@code bytes} and returns everything written back. */
    String sendBytes(String bytes) {
        channel.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.UTF_8));
        return written();
    }

    /** Everything written back so far. */
    String written() {
        return written(channel);
    }

    /** Everything {@code channel} wrote back so far, as text. */
    static String written(EmbeddedChannel channel) {
        channel.runPendingTasks();
        StringBuilder out = new StringBuilder();
        ByteBuf b;
        while ((b = channel.readOutbound()) != null) {
            out.append(b.toString(StandardCharsets.UTF_8));
            b.release();
        }
        return out.toString();
    }

    /**
     * The parts the session sent on since last asked, in the order sent (taken out of its send order: a test
     * answers them with {@link Part#deliver}, or releases their requests).
     */
    List<Part> parts() {
        List<Part> parts = new ArrayList<>();
        session.order.retryDue();
        Part p;
        while ((p = session.order.next()) != null) {
            parts.add(p);
        }
        return parts;
    }

    /** The bytes a part sends. */
    static String text(Part part) {
        return part.request.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        channel.finishAndReleaseAll();
    }
}
