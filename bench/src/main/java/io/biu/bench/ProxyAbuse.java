package io.biu.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Clients that misbehave against one proxy, while a well-behaved client keeps working beside them: many idle
 * connections (authenticated, and not), malformed frames before and after AUTH, a bulk length of 2^31, a thousand
 * wrong passwords, clients that pipeline big replies and never read them, and one that pipelines more reads of a
 * large value than its master could hold the replies of. It
 * measures the good client's round trips before and during the abuse, the proxy's resident memory before,
 * during and after, and checks what a proxy must do: stay up, answer every good command right, close
 * each malformed client with an error, and keep its memory bounded. Exit status 1 if any check fails.
 *
 * <p>Arguments: host port password idle-connections never-reading-clients proxy-pid (0: no memory figures).
 */
public final class ProxyAbuse {

    private static final int ROUND_TRIPS = 2_000;
    /** What never-reading clients ask for, over and over: enough that their replies outgrow their buffers. */
    private static final int VALUE = 4 << 10;
    private static final long MEMORY_LIMIT_KIB = 256L << 10;
    /** The proxy's {@code client-buffer-hard-bytes}. */
    private static final long HARD_LIMIT = 32L << 20;
    /** How many reads of a 1 MiB value a never-reading client pipelines: eight times a 256 MiB master. */
    private static final int LARGE_GETS = 2_000;
    /** The proxy's {@code max-unauthenticated-per-source}. */
    private static final int UNAUTHENTICATED_PER_SOURCE = 64;
    /** The proxy's {@code max-auth-failures}. */
    private static final int AUTH_FAILURES = 3;
    private static final int WRONG_PASSWORDS = 1_000;

    private final InetSocketAddress proxy;
    private final String password;
    private final long pid;
    private final List<String> failures = new ArrayList<>();

    private ProxyAbuse(InetSocketAddress proxy, String password, long pid) {
        this.proxy = proxy;
        this.password = password;
        this.pid = pid;
    }

    public static void main(String[] args) throws Exception {
        String password = System.getenv("BIU_PROXY_PASSWORD");
        if (args.length != 5 || password == null) {
            System.err.println("usage: BIU_PROXY_PASSWORD=... ProxyAbuse HOST PORT IDLE_CONNECTIONS NEVER_READING "
                    + "PROXY_PID");
            System.exit(2);
        }
        ProxyAbuse abuse = new ProxyAbuse(new InetSocketAddress(args[0], Integer.parseInt(args[1])), password,
                Long.parseLong(args[4]));
        try {
            abuse.run(Integer.parseInt(args[2]), Integer.parseInt(args[3]));
        } catch (IOException e) {
            abuse.failures.add("the well-behaved client lost the proxy: " + e);
        }
        if (!abuse.failures.isEmpty()) {
            abuse.failures.forEach(f -> System.out.println("FAILED: " + f));
            System.exit(1);
        }
    }

    private void run(int idle, int neverReading) throws Exception {
        long rssBefore = rssKib();
        try (Resp good = connect()) {
            good.call("SET", "abuse:value", "x".repeat(VALUE));
            Trips before = roundTrips(good, "before");
            long disconnectedBefore = infoField(good, "client_buffer_disconnections");

            long authFailuresBefore = infoField(good, "auth_failures");
            String unauthenticated = unauthenticatedIdle(idle);
            String wrongPasswords = wrongPasswords();
            long authFailures = infoField(good, "auth_failures") - authFailuresBefore;
            List<SocketChannel> idlers = openIdle(idle);
            List<String> malformed = sendMalformed();
            List<Socket> stuck = neverRead(neverReading);
            long disconnected = infoField(good, "client_buffer_disconnections") - disconnectedBefore;
            String tooMuch = neverReadsTooMuch(good);
            String largeValues = neverReadsLargeValues(good);
            long rssDuring = rssKib();
            Trips during = roundTrips(good, "during");
            long clients = infoField(good, "connected_clients");

            for (SocketChannel c : idlers) {
                c.close();
            }
            for (Socket s : stuck) {
                s.close();
            }
            awaitClients(good, 1);
            Trips after = roundTrips(good, "after");
            long rssAfter = rssKib();
            good.call("DEL", "abuse:value");

            System.out.printf(Locale.ROOT, "%-52s %s%n", "figure", "value");
            System.out.printf(Locale.ROOT, "%-52s %s%n", "unauthenticated idle connections from one address",
                    unauthenticated);
            System.out.printf(Locale.ROOT, "%-52s %s; the proxy counted %d%n", WRONG_PASSWORDS + " wrong passwords",
                    wrongPasswords, authFailures);
            check(authFailures >= WRONG_PASSWORDS, "the proxy counted " + authFailures + " failed AUTHs of "
                    + WRONG_PASSWORDS);
            System.out.printf(Locale.ROOT, "%-52s %d of %d open (proxy counts %d clients)%n",
                    "authenticated idle connections held", idlers.size(), idle, clients);
            for (String m : malformed) {
                System.out.printf(Locale.ROOT, "%-52s %s%n", "malformed", m);
            }
            System.out.printf(Locale.ROOT, "%-52s %d; %d GETs of 4 KiB accepted from them in all%n",
                    "clients that never read", stuck.size(), stuckCommands.get());
            System.out.printf(Locale.ROOT, "%-52s %d%n", "of them disconnected by the proxy", disconnected);
            System.out.printf(Locale.ROOT, "%-52s %s%n", "one with 64 MiB of MGET replies unread", tooMuch);
            System.out.printf(Locale.ROOT, "%-52s %s%n", LARGE_GETS + " GETs of a 1 MiB value pipelined, unread",
                    largeValues);
            System.out.printf(Locale.ROOT, "%-52s %.0f / %.0f / %.0f per s (during/before %.2f)%n",
                    "good client SET+GET round trips, before/during/after", before.perSecond(), during.perSecond(),
                    after.perSecond(), during.perSecond() / before.perSecond());
            System.out.printf(Locale.ROOT, "%-52s %.2f / %.2f / %.2f ms%n", "good client slowest round trip",
                    before.slowestMs, during.slowestMs, after.slowestMs);
            if (pid > 0) {
                System.out.printf(Locale.ROOT, "%-52s %.1f / %.1f / %.1f MiB (limit 256)%n",
                        "proxy resident memory before/during/after", rssBefore / 1024.0, rssDuring / 1024.0,
                        rssAfter / 1024.0);
                check(rssDuring < MEMORY_LIMIT_KIB, "resident memory " + rssDuring + " KiB under abuse");
            }
            check(idlers.size() == idle, "only " + idlers.size() + " of " + idle + " idle connections opened");
        }
    }

    private final AtomicLong stuckCommands = new AtomicLong();

    /** ROUND_TRIPS SETs each followed by its GET, every reply checked. */
    private Trips roundTrips(Resp good, String phase) throws IOException {
        long start = System.nanoTime();
        long slowest = 0;
        for (int i = 0; i < ROUND_TRIPS; i++) {
            long t = System.nanoTime();
            String key = "abuse:" + phase + ":" + i;
            String value = phase + ":" + i;
            Object set = good.call("SET", key, value);
            Object got = good.call("GET", key);
            slowest = Math.max(slowest, System.nanoTime() - t);
            check("OK".equals(set), phase + ": SET answered " + set);
            check(value.equals(got), phase + ": GET " + key + " answered " + got);
            good.call("DEL", key);
        }
        return new Trips(ROUND_TRIPS * 1e9 / (System.nanoTime() - start), slowest / 1e6);
    }

    private record Trips(double perSecond, double slowestMs) {
    }

    /**
     * Connections that authenticate and then never send a byte, opened a few at a time without blocking on each
     * (fewer than the proxy lets one address hold unauthenticated at once).
     */
    private List<SocketChannel> openIdle(int count) throws IOException {
        List<SocketChannel> open = new ArrayList<>();
        byte[] auth = ("*2\r\n$4\r\nAUTH\r\n$" + password.getBytes(StandardCharsets.UTF_8).length + "\r\n" + password
                + "\r\n").getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < count; i += UNAUTHENTICATED_PER_SOURCE / 2) {
            List<SocketChannel> wave = new ArrayList<>();
            for (int k = i; k < Math.min(count, i + UNAUTHENTICATED_PER_SOURCE / 2); k++) {
                try {
                    SocketChannel c = SocketChannel.open();
                    c.configureBlocking(false);
                    c.connect(proxy);
                    wave.add(c);
                } catch (IOException e) {
                    failures.add("idle connection " + k + ": " + e);
                    break;
                }
            }
            for (SocketChannel c : wave) {
                try {
                    c.configureBlocking(true);
                    c.finishConnect();
                    c.write(ByteBuffer.wrap(auth));
                    ByteBuffer ok = ByteBuffer.allocate(5);
                    while (ok.hasRemaining() && c.read(ok) >= 0) {
                        // "+OK\r\n"
                    }
                    c.configureBlocking(false);
                } catch (IOException e) {
                    // counted as not connected below
                }
            }
            open.addAll(wave);
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        List<SocketChannel> connected = new ArrayList<>();
        for (SocketChannel c : open) {
            c.configureBlocking(true);
            try {
                if (c.isConnectionPending() && System.nanoTime() < deadline) {
                    c.finishConnect();
                }
                if (c.isConnected()) {
                    connected.add(c);
                    continue;
                }
            } catch (IOException e) {
                // counted as not connected
            }
            c.close();
        }
        return connected;
    }

    /**
     * Connections from this one address that never authenticate: the proxy must hold at most
     * {@link #UNAUTHENTICATED_PER_SOURCE} of them and refuse the rest with an error. Returns what it did.
     */
    private String unauthenticatedIdle(int count) throws IOException, InterruptedException {
        List<Socket> open = new ArrayList<>();
        long start = System.nanoTime();
        try {
            for (int i = 0; i < count; i++) {
                Socket socket = new Socket();
                open.add(socket);
                socket.connect(proxy, 5_000);
            }
            Thread.sleep(500);
            int held = 0;
            for (Socket socket : open) {
                // a refused connection has its error waiting, and is closed
                if (socket.getInputStream().available() == 0) {
                    held++;
                }
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            int expected = Math.min(count, UNAUTHENTICATED_PER_SOURCE);
            check(held == expected, held + " unauthenticated idle connections held of " + count + ", expected "
                    + expected);
            return String.format(Locale.ROOT, "%d of %d held, the rest refused (%d ms)", held, count, ms);
        } finally {
            for (Socket socket : open) {
                socket.close();
            }
        }
    }

    /**
     * {@link #WRONG_PASSWORDS} AUTHs with a wrong password, each connection trying until the proxy closes it: the
     * proxy must close each after {@link #AUTH_FAILURES}. Returns how many connections that took, and how long.
     */
    private String wrongPasswords() throws IOException {
        long start = System.nanoTime();
        int tried = 0;
        int connections = 0;
        int most = 0;
        while (tried < WRONG_PASSWORDS) {
            Socket socket = new Socket();
            socket.connect(proxy, 5_000);
            socket.setSoTimeout(5_000);
            connections++;
            try (Resp r = new Resp(socket)) {
                int here = 0;
                while (tried < WRONG_PASSWORDS) {
                    Object answer;
                    try {
                        answer = r.call("AUTH", "wrong-" + tried);
                    } catch (IOException e) {
                        break; // closed by the proxy
                    }
                    if (!String.valueOf(answer).startsWith("ERROR WRONGPASS")) {
                        check(String.valueOf(answer).startsWith("ERROR ERR " + AUTH_FAILURES + " failed AUTH"),
                                "a wrong password answered " + answer);
                        break;
                    }
                    tried++;
                    here++;
                }
                most = Math.max(most, here);
            }
        }
        check(most <= AUTH_FAILURES, "a connection was allowed " + most + " wrong passwords");
        return String.format(Locale.ROOT, "%d connections, at most %d tries each, %d ms", connections, most,
                (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * Each malformed frame, on its own connection (authenticated, or not for the frames marked so): the proxy must
     * answer an error and close.
     */
    private List<String> sendMalformed() throws IOException {
        // name, bytes, whether the connection must be closed (a line of garbage is an inline command, as in Redis),
        // whether it is sent before AUTH
        String[][] frames = {
            {"before AUTH: a declared 60 MB bulk", "*2\r\n$4\r\nAUTH\r\n$60000000\r\n", "close", "unauthenticated"},
            {"before AUTH: an array of 1048576", "*1048576\r\n", "close", "unauthenticated"},
            {"bulk length of 2^31", "*2\r\n$3\r\nGET\r\n$2147483648\r\n", "close"},
            {"array length of 2^31", "*2147483648\r\n", "close"},
            {"bulk length not a number", "*2\r\n$3\r\nGET\r\n$abc\r\n", "close"},
            {"bulk without its CRLF", "*2\r\n$3\r\nGET\r\n$1\r\nkXY", "close"},
            {"binary bytes for a bulk header", "*1\r\n\u0000\u00ff\u0013\r\n", "close"},
            {"a line of binary garbage", "\u0000\u00ff\u0013*\r\n", "open"},
        };
        List<String> outcomes = new ArrayList<>();
        for (String[] f : frames) {
            try (Resp r = f.length > 3 ? connectUnauthenticated() : connect()) {
                r.out.write(f[1].getBytes(StandardCharsets.ISO_8859_1));
                r.out.flush();
                String answer = r.readUntilClosed(f[2].equals("close") ? 5_000 : 1_000).strip();
                boolean error = answer.startsWith("-") && !answer.contains("\n");
                boolean closed = r.closed;
                outcomes.add(String.format(Locale.ROOT, "%-36s -> %s, %s", f[0],
                        answer.isEmpty() ? "(nothing)" : answer.replaceAll("[^ -~]", "?"), closed ? "closed" : "kept"));
                check(error && closed == f[2].equals("close"), f[0] + ": answered '" + answer + "', closed " + closed);
            }
        }
        return outcomes;
    }

    /**
     * Clients that pipeline GETs of a 4 KiB value for 3 s and never read a reply: the proxy must stop reading
     * from each once its replies waiting for it reach the client buffer limit, and disconnect those whose replies
     * still pile up (the hard limit, or buffers running short).
     */
    private List<Socket> neverRead(int count) throws IOException, InterruptedException {
        List<Socket> stuck = new ArrayList<>();
        List<Thread> writers = new ArrayList<>();
        byte[] gets = "*2\r\n$3\r\nGET\r\n$11\r\nabuse:value\r\n".repeat(64).getBytes(StandardCharsets.US_ASCII);
        long deadline = System.nanoTime() + 3_000_000_000L;
        for (int i = 0; i < count; i++) {
            Resp r = connect();
            stuck.add(r.socket);
            Thread writer = new Thread(() -> {
                try {
                    while (System.nanoTime() < deadline) {
                        r.out.write(gets);
                        r.out.flush();
                        stuckCommands.addAndGet(64);
                    }
                } catch (IOException e) {
                    // the proxy closed it: bounded too
                }
            });
            writer.setDaemon(true); // one blocked in a write the proxy no longer reads ends with the JVM
            writer.start();
            writers.add(writer);
        }
        for (Thread w : writers) {
            w.join(1_000 + Math.max(0, (deadline - System.nanoTime()) / 1_000_000));
        }
        return stuck;
    }

    /**
     * A client that pipelines 16 MGETs of 1,000 copies of the 4 KiB value (64 MiB of replies) and never reads.
     * The proxy must not hold more than the hard limit of its replies: either it takes so few of its commands
     * that their replies stay below it, or it disconnects the client. Returns what it did, for the report.
     */
    private String neverReadsTooMuch(Resp good) throws IOException, InterruptedException {
        long before = infoField(good, "client_buffer_disconnections");
        long memoryBefore = infoField(good, "used_buffer_memory");
        StringBuilder mget = new StringBuilder("*1001\r\n$4\r\nMGET\r\n");
        mget.append("$11\r\nabuse:value\r\n".repeat(1000));
        byte[] mgets = mget.toString().repeat(16).getBytes(StandardCharsets.US_ASCII);
        long peak = 0;
        try (Resp r = connect()) {
            r.socket.setReceiveBufferSize(4096);
            r.out.write(mgets);
            r.out.flush();
            long deadline = System.nanoTime() + 10_000_000_000L;
            long steadySince = System.nanoTime();
            while (System.nanoTime() < deadline) {
                if (infoField(good, "client_buffer_disconnections") > before) {
                    return "disconnected (its replies reached the hard limit)";
                }
                long held = infoField(good, "used_buffer_memory") - memoryBefore;
                if (held > peak + (1 << 20)) {
                    steadySince = System.nanoTime();
                }
                peak = Math.max(peak, held);
                if (System.nanoTime() - steadySince > 2_000_000_000L) {
                    break; // the proxy stopped taking its commands
                }
                Thread.sleep(100);
            }
        }
        check(peak <= HARD_LIMIT, "a client with 64 MiB of unread replies was neither disconnected nor held to "
                + "the hard limit: " + peak + " bytes of buffers more");
        return String.format(Locale.ROOT, "held: buffers grew by %.1f MiB at most, its other commands not read",
                peak / 1048576.0);
    }

    /**
     * A client that pipelines {@link #LARGE_GETS} GETs of a 1 MiB value (2 GiB of replies) and never reads. The
     * proxy stops reading it, but whatever it has sent on, Redis answers in full before writing: sent all at
     * once, the master would hold gigabytes of replies and be killed with its data. The value must still be
     * there, whole, afterwards, and the good client served meanwhile. Returns what happened, for the report.
     */
    private String neverReadsLargeValues(Resp good) throws IOException, InterruptedException {
        StringBuilder value = new StringBuilder(1 << 20);
        Random random = new Random(42);
        while (value.length() < 1 << 20) {
            value.append((char) ('a' + random.nextInt(26)));
        }
        String big = value.toString();
        Object set = good.call("SET", "abuse:large", big);
        check("OK".equals(set), "SET of a 1 MiB value answered " + set);
        byte[] gets = "*2\r\n$3\r\nGET\r\n$11\r\nabuse:large\r\n".repeat(LARGE_GETS)
                .getBytes(StandardCharsets.US_ASCII);
        long disconnectedBefore = infoField(good, "client_buffer_disconnections");
        Trips during;
        try (Resp r = connect()) {
            r.socket.setReceiveBufferSize(4096);
            r.out.write(gets);
            r.out.flush();
            during = roundTrips(good, "large");
        }
        long disconnected = infoField(good, "client_buffer_disconnections") - disconnectedBefore;
        Object got = good.call("GET", "abuse:large");
        boolean whole = big.equals(got);
        check(whole, "the 1 MiB value read back after a client pipelined " + LARGE_GETS + " GETs of it is "
                + (got == null ? "gone" : got instanceof String g ? g.length() + " bytes, not the value" : got)
                + ": its master may have run out of memory");
        good.call("DEL", "abuse:large");
        return String.format(Locale.ROOT, "value %s afterwards; good client %.0f round trips/s meanwhile; %s",
                whole ? "whole" : "NOT whole", during.perSecond(),
                disconnected > 0 ? "client disconnected by the proxy" : "client not disconnected");
    }

    /** Until the proxy counts no more than {@code count} clients (it has seen the others go), for at most 30 s. */
    private void awaitClients(Resp good, long count) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        long clients;
        while ((clients = infoField(good, "connected_clients")) > count) {
            if (System.nanoTime() > deadline) {
                failures.add("the proxy still counts " + clients + " clients 30 s after all but one closed");
                return;
            }
            Thread.sleep(100);
        }
    }

    private long infoField(Resp good, String field) throws IOException {
        for (String line : String.valueOf(good.call("INFO")).split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).trim());
            }
        }
        return -1;
    }

    private long rssKib() {
        if (pid <= 0) {
            return 0;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            failures.add("the proxy process " + pid + " is gone: " + e.getMessage());
        }
        return 0;
    }

    private void check(boolean ok, String what) {
        if (!ok) {
            failures.add(what);
        }
    }

    private Resp connectUnauthenticated() throws IOException {
        Socket socket = new Socket();
        socket.connect(proxy, 5_000);
        socket.setSoTimeout(10_000);
        return new Resp(socket);
    }

    private Resp connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(proxy, 5_000);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        Resp r = new Resp(socket);
        Object auth = r.call("AUTH", password);
        if (!"OK".equals(auth)) {
            socket.close();
            throw new IOException("AUTH answered " + auth);
        }
        return r;
    }

    /** A minimal blocking RESP2 client: enough for simple strings, integers, errors and bulk replies. */
    private static final class Resp implements AutoCloseable {
        final Socket socket;
        final OutputStream out;
        final InputStream in;
        boolean closed;

        Resp(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
            this.in = new BufferedInputStream(socket.getInputStream());
        }

        Object call(String... args) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            for (String a : args) {
                byte[] bytes = a.getBytes(StandardCharsets.UTF_8);
                b.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                b.writeBytes(bytes);
                b.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.write(b.toByteArray());
            return read();
        }

        private Object read() throws IOException {
            String line = line(in);
            switch (line.charAt(0)) {
                case '+':
                    return line.substring(1);
                case '-':
                    return "ERROR " + line.substring(1);
                case ':':
                    return Long.parseLong(line.substring(1));
                case '$': {
                    int n = Integer.parseInt(line.substring(1));
                    if (n < 0) {
                        return null;
                    }
                    byte[] data = in.readNBytes(n + 2);
                    return new String(data, 0, n, StandardCharsets.UTF_8);
                }
                default:
                    throw new IOException("unexpected reply " + line);
            }
        }

        private static String line(InputStream input) throws IOException {
            StringBuilder s = new StringBuilder();
            int c;
            while ((c = input.read()) != '\n') {
                if (c < 0) {
                    throw new IOException("closed");
                }
                if (c != '\r') {
                    s.append((char) c);
                }
            }
            return s.toString();
        }

        /** Everything the peer sends until it closes, or until {@code millis} pass (then closed stays false). */
        String readUntilClosed(int millis) throws IOException {
            socket.setSoTimeout(millis);
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            try {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    b.write(buffer, 0, n);
                }
                closed = true;
            } catch (SocketTimeoutException e) {
                closed = false;
            } catch (IOException e) {
                closed = true; // reset by the proxy
            }
            return b.toString(StandardCharsets.ISO_8859_1);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
