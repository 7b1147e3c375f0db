package io.biu.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Every command line this machine's processes show while it runs, as another local user would see them with
 * {@code ps}: /proc is read over and over on a thread of its own, so even short-lived processes (a curl) are seen.
 */
final class CommandLines implements AutoCloseable {

    /** A Biu token, whoever's. */
    static final Pattern TOKEN = Pattern.compile("biu_[A-Za-z0-9_-]{43}");
    /** A password given as an argument (redis-cli's and redis-benchmark's -a, a Redis server's own options). */
    static final Pattern ARGUMENT = Pattern.compile("\\s(-a|--pass|--password|--requirepass|--masterauth)\\s+\\S");

    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final Thread reader;
    private volatile boolean running = true;
    private volatile int sweeps;

    private CommandLines() {
        reader = new Thread(this::readAll, "command-lines");
        reader.setDaemon(true);
        reader.start();
    }

    static CommandLines watch() {
        return new CommandLines();
    }

    private void readAll() {
        while (running) {
            try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
                for (Path proc : procs) {
                    try {
                        byte[] raw = Files.readAllBytes(proc.resolve("cmdline"));
                        if (raw.length > 0 && seen.size() < 200_000) {
                            seen.add(new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').trim());
                        }
                    } catch (IOException gone) {
                        // ended meanwhile
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot list /proc", e);
            }
            sweeps++;
        }
    }

    /** The command lines seen that hold any of {@code secrets}, a token, or a password given as an argument. */
    List<String> leaking(List<String> secrets) {
        return seen.stream().filter(line -> secrets.stream().anyMatch(s -> !s.isBlank() && line.contains(s))
                || TOKEN.matcher(line).find()
                || ARGUMENT.matcher(line).find()
                || line.contains("Authorization: Bearer")).sorted().toList();
    }

    int seen() {
        return seen.size();
    }

    int sweeps() {
        return sweeps;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        reader.join(5_000);
    }
}
