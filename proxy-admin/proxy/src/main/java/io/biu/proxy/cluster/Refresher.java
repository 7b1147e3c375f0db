package io.biu.proxy.cluster;

import io.biu.proxy.resp.Resp;
import io.biu.proxy.resp.RespScanner;
import io.biu.proxy.resp.RespValue;
import io.biu.proxy.resp.Slots;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the {@link SlotTable} current: reads CLUSTER SLOTS from the masters it knows (then the seeds) at a
 * fixed interval, and soon after anyone asks (a MOVED reply, a master that cannot be reached), at most every
 * {@link #MIN_GAP_MILLIS}. It runs on a thread of its own with plain blocking sockets: it is rare work, and
 * keeps the event loops free of it.
 */
public final class Refresher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Refresher.class.getName());
    private static final long MIN_GAP_MILLIS = 100;

    private final SlotTable table;
    private final Members members;
    private final List<Address> seeds;
    private final String password;
    private final Duration timeout;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "slot-table");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean requested = new AtomicBoolean();
    private volatile long lastRefreshMillis;

    public Refresher(SlotTable table, Members members, List<Address> seeds, String password, Duration timeout) {
        this.table = table;
        this.members = members;
        this.seeds = List.copyOf(seeds);
        this.password = password;
        this.timeout = timeout;
    }

    /** Reads the table once now (so that the proxy starts with one), then every {@code interval}. */
    public boolean start(Duration interval) {
        boolean ok = refresh();
        thread.scheduleWithFixedDelay(this::refresh, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return ok;
    }

    /** Asks for a refresh soon; requests meanwhile are one. */
    public void request() {
        if (requested.compareAndSet(false, true)) {
            long wait = Math.max(0, lastRefreshMillis + MIN_GAP_MILLIS - System.currentTimeMillis());
            thread.schedule(() -> {
                requested.set(false);
                refresh();
            }, wait, TimeUnit.MILLISECONDS);
        }
    }

    synchronized boolean refresh() {
        lastRefreshMillis = System.currentTimeMillis();
        Set<Address> candidates = new LinkedHashSet<>(table.masters());
        candidates.addAll(seeds);
        candidates.addAll(members.all());
        String last = "no instance to ask";
        // a node that just joined knows the others before it knows their slots: a view that covers every
        // slot is taken at once, else the one that covers most
        List<SlotTable.Range> best = List.of();
        int bestCovered = 0;
        for (Address a : candidates) {
            if (!members.allows(a, "a question for the slot table")) {
                continue;
            }
            try {
                // slots said to be served by an address that is not one of the cluster's are left unserved: their
                // commands wait, then fail, and are never sent there
                List<SlotTable.Range> ranges = clusterSlots(a).stream()
                        .filter(r -> members.allows(r.master(), a + "'s slot table")).toList();
                int covered = ranges.stream().mapToInt(r -> r.last() - r.first() + 1).sum();
                if (covered == Slots.COUNT) {
                    table.replace(ranges);
                    return true;
                }
                if (covered > bestCovered) {
                    best = ranges;
                    bestCovered = covered;
                }
                last = a + " knows " + covered + " slots";
            } catch (IOException | RuntimeException e) {
                last = a + ": " + e.getMessage();
            }
        }
        if (!best.isEmpty()) {
            table.replace(best);
            return true;
        }
        LOG.log(Level.WARNING, "cannot read the slot table: {0}", last);
        return false;
    }

    private List<SlotTable.Range> clusterSlots(Address a) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(a.host(), a.port()), (int) timeout.toMillis());
            s.setSoTimeout((int) timeout.toMillis());
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            if (password != null) {
                write(out, Resp.command(ByteBufAllocator.DEFAULT, "AUTH", password));
                RespValue auth = read(in);
                if (auth instanceof RespValue.Error e) {
                    throw new IOException("AUTH refused: " + e.message());
                }
            }
            write(out, Resp.command(ByteBufAllocator.DEFAULT, "CLUSTER", "SLOTS"));
            RespValue reply = read(in);
            if (!(reply instanceof RespValue.Array slots) || slots.items() == null) {
                throw new IOException("CLUSTER SLOTS answered " + reply);
            }
            List<SlotTable.Range> ranges = new ArrayList<>();
            for (RespValue item : slots.items()) {
                List<RespValue> r = ((RespValue.Array) item).items();
                List<RespValue> master = ((RespValue.Array) r.get(2)).items();
                String host = ((RespValue.Bulk) master.get(0)).text();
                int port = (int) ((RespValue.Int) master.get(1)).value();
                ranges.add(new SlotTable.Range((int) ((RespValue.Int) r.get(0)).value(),
                        (int) ((RespValue.Int) r.get(1)).value(), new Address(host.isEmpty() ? a.host() : host, port)));
            }
            return ranges;
        }
    }

    private static void write(OutputStream out, ByteBuf command) throws IOException {
        try {
            byte[] bytes = new byte[command.readableBytes()];
            command.readBytes(bytes);
            out.write(bytes);
            out.flush();
        } finally {
            command.release();
        }
    }

    private static RespValue read(InputStream in) throws IOException {
        ByteBuf buf = Unpooled.buffer(4096);
        byte[] chunk = new byte[8192];
        while (true) {
            int n = in.read(chunk);
            if (n < 0) {
                throw new IOException("the connection closed before the reply ended");
            }
            buf.writeBytes(chunk, 0, n);
            if (RespScanner.end(buf, 0, buf.writerIndex()) >= 0) {
                return RespValue.decode(buf);
            }
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
