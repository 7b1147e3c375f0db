import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * The measuring loop of bench/web.sh, run as {@code java JoinLatency.java ...} (JDK only): how long a container
 * the scheduler just started takes to serve its first request through nginx's Lua balancer.
 *
 * <p>Three parts run at once. A bus reader tails {@code PREFIX:events} with {@code XREAD BLOCK} and notes when
 * it saw each event of the app (and the event's own {@code time}). Hammer threads send {@code GET /cgi-bin/host}
 * to nginx over keep-alive connections at a capped rate, and note when each container name first answered. The
 * main thread runs the cycles: deploy one container, wait for its {@code container.started}, its
 * {@code container.ready} and its first answer, read on nginx's status page when the follower made it a peer
 * ({@code since}, nginx's cached {@code ngx.now()}, millisecond resolution), remove it and wait for
 * {@code container.removed}. Between the peer's arrival and its first answer lies the client's sampling: a new
 * peer's turn in the round robin comes within as many requests as there are peers.
 *
 * <p>Clocks, all of this machine: intervals between two of our own observations use {@link System#nanoTime()};
 * intervals from an event's {@code time} (the scheduler's JVM, {@code Instant.now()}) use our
 * {@code Instant.now()}, the same system clock.
 *
 * <p>Prints one CSV line per cycle: {@code cycle,<container id>,<started seen -> first answer ms>,<ready seen ->
 * first answer ms>,<started seen -> ready seen ms>,<started time -> first answer ms>,<ready time -> first answer
 * ms>,<started time -> started seen ms>,<ready time -> ready seen ms>,<ready seen -> peer in nginx ms>,<1 if the
 * bus connection was lost during the cycle, else 0>}, then {@code hammer,<requests>,<failed>,
 * <mean ms>,<requests per second>} (requests and failures counted from warm-up to the end, the rate over the cycles).
 */
public final class JoinLatency {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int WARM_REQUESTS = 300;
    private static final Pattern TIME = Pattern.compile("\"time\":\"([^\"]+)\"");
    private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");
    private static final Pattern NAME = Pattern.compile("\"name\":\"([^\"]+)\"");
    private static final Pattern APP = Pattern.compile("\"app\":\"([^\"]*)\"");
    private static final Pattern TENANT = Pattern.compile("\"tenant\":\"([^\"]*)\"");
    private static final Pattern ADDRESS = Pattern.compile("\"address\":\"([^\"]+)\"");
    private static final Pattern SINCE = Pattern.compile("\"since\":([0-9.eE+-]+)");

    /** When we saw something: monotonic for our own intervals, wall clock against the scheduler's times. */
    record Mark(long nanos, Instant wall) {
        static Mark now() {
            return new Mark(System.nanoTime(), Instant.now());
        }

        double msSince(Mark earlier) {
            return (nanos - earlier.nanos) / 1e6;
        }

        double msSince(Instant earlier) {
            return Duration.between(earlier, wall).toNanos() / 1e6;
        }
    }

    /** One event of the followed app as the bus reader saw it. */
    record Seen(String type, long container, String name, String address, Instant time, Mark seen) {
    }

    record Settings(URI scheduler, String token, String tenant, String app, String busHost, int busPort,
            String busUser, String busPassword, String busPrefix, URI target, URI status, int cycles, int hammers,
            int rate) {
        static Settings parse(String[] a) {
            if (a.length != 14) {
                throw new IllegalArgumentException("usage: java JoinLatency.java SCHEDULER_API_URL TOKEN_FILE TENANT APP "
                        + "BUS_HOST BUS_PORT BUS_USER BUS_PASSWORD_FILE BUS_PREFIX TARGET_URL STATUS_URL CYCLES "
                        + "HAMMER_THREADS REQUESTS_PER_SECOND");
            }
            try {
                return new Settings(URI.create(a[0]), Files.readString(Path.of(a[1])).trim(), a[2], a[3], a[4],
                        Integer.parseInt(a[5]), a[6], Files.readString(Path.of(a[7])).trim(), a[8],
                        URI.create(a[9]), URI.create(a[10]), Integer.parseInt(a[11]), Integer.parseInt(a[12]),
                        Integer.parseInt(a[13]));
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the token or the bus's password file: " + e);
            }
        }
    }

    private final Settings settings;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Map<String, CompletableFuture<Seen>> events = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Mark>> firstAnswers = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final LongAdder requests = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder requestNanos = new LongAdder();
    private final AtomicLong busLosses = new AtomicLong();
    /** The cycles start once the hammer has had some answers (its JIT and connections warm). */
    private final CountDownLatch warm = new CountDownLatch(WARM_REQUESTS);

    private JoinLatency(Settings settings) {
        this.settings = settings;
    }

    public static void main(String[] args) throws Exception {
        new JoinLatency(Settings.parse(args)).run();
    }

    private void run() throws Exception {
        Bus bus = new Bus(settings);
        String position = bus.lastId(settings.busPrefix() + ":events");
        startDaemon("bus-reader", () -> follow(bus, position));
        List<Thread> hammers = new ArrayList<>();
        for (int i = 0; i < settings.hammers(); i++) {
            hammers.add(startDaemon("hammer-" + i, this::hammer));
        }
        if (!warm.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException("the hammer got no answers from " + settings.target());
        }
        long begin = System.nanoTime();
        long before = requests.sum();
        for (int i = 1; i <= settings.cycles(); i++) {
            cycle(i);
        }
        running.set(false);
        for (Thread t : hammers) {
            t.join(5000);
        }
        long n = requests.sum();
        System.out.printf("hammer,%d,%d,%.3f,%.1f%n", n, failed.sum(), n == 0 ? 0 : requestNanos.sum() / 1e6 / n,
                (n - before) * 1e9 / (System.nanoTime() - begin));
    }

    private void cycle(int i) throws Exception {
        long losses = busLosses.get();
        String body = call("POST", "/apps/" + settings.app() + "/containers", "{\"count\":1}", 201);
        Matcher id = ID.matcher(body);
        if (!id.find()) {
            throw new IllegalStateException("cycle " + i + ": no container id in the deployment's answer: " + body);
        }
        long container = Long.parseLong(id.group(1));
        Seen started = await(container, "container.started");
        Seen ready = await(container, "container.ready");
        Mark first = within(firstAnswers.computeIfAbsent(started.name(), k -> new CompletableFuture<>()),
                "no answer from container " + started.name() + " through nginx");
        Instant joined = joined(ready.address());
        call("DELETE", "/containers/" + container, null, 200, 202);
        await(container, "container.removed");
        System.out.printf("cycle,%d,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%d%n", container,
                first.msSince(started.seen()), first.msSince(ready.seen()), ready.seen().msSince(started.seen()),
                first.msSince(started.time()), first.msSince(ready.time()),
                started.seen().msSince(started.time()), ready.seen().msSince(ready.time()),
                Duration.between(ready.seen().wall(), joined).toNanos() / 1e6, busLosses.get() == losses ? 0 : 1);
        System.out.flush();
    }

    /** When nginx's follower made the container at {@code host} a peer: its {@code since} on the status page. */
    private Instant joined(String host) throws Exception {
        String status = http.send(HttpRequest.newBuilder(settings.status()).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        int at = status.indexOf("\"host\":\"" + host + "\"");
        if (at < 0) {
            throw new IllegalStateException("no peer " + host + " on nginx's status page: " + status);
        }
        // a peer is a flat object: its fields lie between the braces around the match
        String peer = status.substring(status.lastIndexOf('{', at), status.indexOf('}', at));
        double since = Double.parseDouble(group(SINCE, peer));
        return Instant.ofEpochSecond(0, Math.round(since * 1e9));
    }

    private Seen await(long container, String type) throws Exception {
        return within(events.computeIfAbsent(container + "/" + type, k -> new CompletableFuture<>()),
                "no " + type + " of container " + container + " on the bus");
    }

    private static <T> T within(CompletableFuture<T> future, String failure) throws Exception {
        try {
            return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException(failure + " within " + WAIT.toSeconds() + " s");
        }
    }

    private String call(String method, String path, String body, int... expected) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(settings.scheduler() + path))
                .timeout(Duration.ofSeconds(120))
                .header("Authorization", "Bearer " + settings.token())
                .header("X-Biu-Tenant", settings.tenant())
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (IntStream.of(expected).noneMatch(code -> code == response.statusCode())) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return response.body();
    }

    /**
     * Sends requests at its share of the rate (late ones go at once, without catching up) and notes when each
     * answering container name was first seen. The rate is capped because every request forks a CGI in a
     * backend: unpaced, the hammer would take the CPUs the scheduler and the nodes need for the cycles.
     */
    private void hammer() {
        HttpRequest request = HttpRequest.newBuilder(settings.target()).timeout(Duration.ofSeconds(10)).build();
        long period = 1_000_000_000L * settings.hammers() / settings.rate();
        long next = System.nanoTime();
        while (running.get()) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            long sent = System.nanoTime();
            next = Math.max(next + period, sent);
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                Mark received = Mark.now();
                requests.increment();
                requestNanos.add(received.nanos() - sent);
                warm.countDown();
                if (response.statusCode() != 200) {
                    failed.increment();
                    continue;
                }
                firstAnswers.computeIfAbsent(response.body().trim(), k -> new CompletableFuture<>()).complete(received);
            } catch (IOException e) {
                requests.increment();
                failed.increment();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Tails the event stream from {@code position} and completes the futures of the app's container events. A lost
     * connection (the bus restarted: other tests do that) is counted, so the cycles it overlapped can be left out,
     * and the reader reconnects and goes on from its position.
     */
    private void follow(Bus first, String start) {
        String stream = settings.busPrefix() + ":events";
        String position = start;
        Bus bus = first;
        long backoffMs = 100;
        while (running.get()) {
            try {
                if (bus == null) {
                    bus = new Bus(settings);
                }
                Object reply = bus.command("XREAD", "COUNT", "200", "BLOCK", "1000", "STREAMS", stream, position);
                backoffMs = 100;
                if (!(reply instanceof List<?> streams)) {
                    continue; // timed out without entries
                }
                Mark seen = Mark.now();
                for (Object s : streams) {
                    for (Object e : (List<?>) ((List<?>) s).get(1)) {
                        List<?> entry = (List<?>) e;
                        position = (String) entry.get(0);
                        accept(fields((List<?>) entry.get(1)), seen);
                    }
                }
            } catch (IOException e) {
                if (bus != null) {
                    bus.close();
                    bus = null;
                    busLosses.incrementAndGet();
                    System.err.println("lost the bus (" + e.getMessage() + "): reconnecting");
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(backoffMs));
                backoffMs = Math.min(backoffMs * 2, 2000);
            } catch (RuntimeException e) {
                System.err.println("the bus reader stopped: " + e);
                System.exit(1);
            }
        }
    }

    private void accept(Map<String, String> fields, Mark seen) {
        String json = fields.getOrDefault("json", "");
        int at = json.indexOf("\"container\":{");
        if (at < 0) {
            return;
        }
        String container = json.substring(at);
        if (!settings.tenant().equals(group(TENANT, container)) || !settings.app().equals(group(APP, container))) {
            return;
        }
        long id = Long.parseLong(group(ID, container));
        Seen event = new Seen(fields.get("type"), id, group(NAME, container), group(ADDRESS, container),
                Instant.parse(group(TIME, json)), seen);
        events.computeIfAbsent(id + "/" + event.type(), k -> new CompletableFuture<>()).complete(event);
    }

    private static String group(Pattern p, String s) {
        Matcher m = p.matcher(s);
        return m.find() ? m.group(1) : null;
    }

    private static Map<String, String> fields(List<?> flat) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            m.put((String) flat.get(i), (String) flat.get(i + 1));
        }
        return m;
    }

    private static Thread startDaemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Just enough RESP2 for XREVRANGE and XREAD: commands out, simple/bulk/integer/array replies in. */
    static final class Bus {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        Bus(Settings settings) throws IOException {
            socket = new Socket(settings.busHost(), settings.busPort());
            socket.setTcpNoDelay(true);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
            command("AUTH", settings.busUser(), settings.busPassword());
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing a connection that already failed
            }
        }

        /** The id of the stream's last entry, or 0-0 for an empty or missing stream. */
        String lastId(String stream) throws IOException {
            List<?> last = (List<?>) command("XREVRANGE", stream, "+", "-", "COUNT", "1");
            return last.isEmpty() ? "0-0" : (String) ((List<?>) last.get(0)).get(0);
        }

        Object command(String... args) throws IOException {
            StringBuilder b = new StringBuilder("*").append(args.length).append("\r\n");
            for (String a : args) {
                b.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
            }
            out.write(b.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return read();
        }

        private Object read() throws IOException {
            int type = in.read();
            String line = line();
            switch (type) {
                case '+', ':' -> {
                    return line;
                }
                case '-' -> throw new IOException("the bus answered: " + line);
                case '$' -> {
                    int n = Integer.parseInt(line);
                    if (n < 0) {
                        return null;
                    }
                    byte[] data = in.readNBytes(n + 2);
                    return new String(data, 0, n, StandardCharsets.UTF_8);
                }
                case '*' -> {
                    int n = Integer.parseInt(line);
                    if (n < 0) {
                        return null;
                    }
                    List<Object> items = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        items.add(read());
                    }
                    return items;
                }
                default -> throw new IOException("unexpected reply type " + type + " from the bus");
            }
        }

        private String line() throws IOException {
            StringBuilder b = new StringBuilder();
            for (int c = in.read(); c != '\r'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("the bus closed the connection");
                }
                b.append((char) c);
            }
            in.read(); // '\n'
            return b.toString();
        }
    }
}
