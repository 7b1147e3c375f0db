package io.biu.redisctl.backup;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away {@code redis-server} on a free loopback port with a password and without persistence, alone or with
 * cluster mode on, its files in a temporary directory. Stopped by the process it started. A machine without
 * redis-server fails such tests with a message that says so (scripts/packages.sh lists the package).
 */
public final class LocalRedis implements AutoCloseable {

    public static final String PASSWORD = "s3cret-pw";
    private static final Path SERVER = Path.of("/usr/bin/redis-server");

    private final Process process;
    private final int port;
    private final int busPort;
    private final Path dir;
    private final String[] extra;

    private LocalRedis(Process process, int port, int busPort, Path dir, String... extra) {
        this.process = process;
        this.port = port;
        this.busPort = busPort;
        this.dir = dir;
        this.extra = extra;
    }

    /** A server; {@code cluster}: in cluster mode; {@code extra}: more settings as {@code --name value} pairs. */
    public static LocalRedis start(boolean cluster, String... extra) {
        // the bus port is given: the port + 10000 may be past 65535
        return launch(freePort(), cluster ? freePort() : 0, extra);
    }

    /**
     * Stops this server and starts another on the same port(s) with the same settings, empty (nothing is persisted):
     * what its clients see of a server that went away and came back.
     */
    public LocalRedis restart() {
        close();
        return launch(port, busPort, extra);
    }

    private static LocalRedis launch(int port, int busPort, String... extra) {
        if (!Files.isExecutable(SERVER)) {
            throw new AssertionError(SERVER + " is missing: backups are tested against real Redis servers; install "
                    + "the redis-server package (scripts/packages.sh lists it)");
        }
        boolean cluster = busPort != 0;
        Path dir;
        Process process;
        try {
            dir = Files.createTempDirectory("biu-redis-" + port);
            List<String> args = new ArrayList<>(List.of(SERVER.toString(), "--bind", "127.0.0.1", "--port",
                    String.valueOf(port), "--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel",
                    "warning", "--dir", dir.toString(), "--requirepass", PASSWORD, "--masterauth", PASSWORD,
                    "--repl-diskless-sync-delay", "0"));
            if (cluster) {
                args.addAll(List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                        "--cluster-node-timeout", "5000", "--cluster-port", String.valueOf(busPort)));
            }
            args.addAll(List.of(extra));
            process = new ProcessBuilder(args).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + SERVER, e);
        }
        LocalRedis redis = new LocalRedis(process, port, busPort, dir, extra);
        try {
            await("redis-server on port " + port).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("redis-server exited with " + process.exitValue());
                        }
                        return answers(port);
                    });
        } catch (RuntimeException e) {
            redis.close();
            throw e;
        }
        return redis;
    }

    public int port() {
        return port;
    }

    /** The server's working directory, where SAVE writes dump.rdb. */
    Path dir() {
        return dir;
    }

    /** The cluster bus port (cluster mode only). */
    public int busPort() {
        return busPort;
    }

    /**
     * Kills the server as a crash would (SIGKILL: no shutdown, nothing saved, connections cut) and waits until it is
     * gone. Its files stay until {@link #close}.
     */
    public void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                throw new IllegalStateException("redis-server on port " + port + " outlived SIGKILL for 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing redis-server on port " + port, e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean answers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            socket.getOutputStream().write("PING\r\n".getBytes());
            byte[] reply = new byte[16];
            int n = socket.getInputStream().read(reply);
            // a server that requires a password answers NOAUTH: it is up
            return n > 0 && (new String(reply, 0, n).startsWith("+PONG") || new String(reply, 0, n).startsWith("-NOAUTH"));
        } catch (IOException e) {
            return false;
        }
    }
}
