package io.biu.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Every command line this machine's processes show while it runs, as another local user would see them with
 * {@code ps}: /proc is read over and over on a thread of its own, so even short-lived processes (a curl) are seen.
 * A command line is searched for the platform's own secrets wherever it shows; the shapes of a secret (a token, a
 * password argument) are looked for only in this process's descendants, since other programs on the machine may
 * well say "password" for reasons of their own.
 */
final class CommandLines implements AutoCloseable {

    /** A Biu token, whoever's. */
    static final Pattern TOKEN = Pattern.compile("biu_[A-Za-z0-9_-]{43}");
    /** A password given as an argument (redis-cli's and redis-benchmark's -a, a Redis server's own options). */
    static final Pattern ARGUMENT = Pattern.compile("\\s(-a|--pass|--password|--requirepass|--masterauth)\\s+\\S");

    /** Each command line seen, and whether it was ever one of this process's descendants. */
    private final Map<String, Boolean> seen = new ConcurrentHashMap<>();
    private final long self = ProcessHandle.current().pid();
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
                            String line = new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').trim();
                            if (!seen.getOrDefault(line, false)) {
                                seen.put(line, descends(Long.parseLong(proc.getFileName().toString())));
                            }
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

    private boolean descends(long pid) {
        Optional<ProcessHandle> at = ProcessHandle.of(pid);
        for (int depth = 0; depth < 64 && at.isPresent(); depth++) {
            at = at.get().parent();
            if (at.isPresent() && at.get().pid() == self) {
                return true;
            }
        }
        return false;
    }

    /**
     * The command lines seen that hold any of {@code secrets}, and those of this process's descendants that hold a
     * token or a password given as an argument.
     */
    List<String> leaking(List<String> secrets) {
        return seen.entrySet().stream().filter(e -> {
            String line = e.getKey();
            return secrets.stream().anyMatch(s -> !s.isBlank() && line.contains(s))
                    || e.getValue() && (TOKEN.matcher(line).find()
                            || ARGUMENT.matcher(line).find()
                            || line.contains("Authorization: Bearer"));
        }).map(Map.Entry::getKey).sorted().toList();
    }

    /** How many of the command lines seen were this process's descendants'. */
    long ours() {
        return seen.values().stream().filter(Boolean::booleanValue).count();
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
