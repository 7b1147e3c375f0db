package io.biu.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * What the client reads from the world besides its arguments: environment variables, the home directory (for the
 * config file), whether output goes to a terminal, and how often long operations are polled. Tests pass their own.
 */
record Environment(Map<String, String> variables, Path home, boolean terminal, Duration poll) {

    Environment {
        variables = Map.copyOf(variables);
        if (poll.isNegative() || poll.isZero()) {
            throw new IllegalArgumentException("poll interval must be positive, not " + poll);
        }
    }

    static Environment system() {
        String home = System.getenv("HOME");
        return new Environment(System.getenv(), Path.of(home != null && !home.isBlank() ? home
                : System.getProperty("user.home")), System.console() != null, Duration.ofMillis(300));
    }

    String get(String name) {
        String value = variables.get(name);
        return value == null || value.isBlank() ? null : value;
    }

    /** The instance {@code ./biu} would use: {@code BIU_INSTANCE}, default {@code biu}. */
    String instance() {
        String instance = get("BIU_INSTANCE");
        return instance == null ? "biu" : instance;
    }

    /** Its data directory: {@code BIU_DATA_DIR}, else {@code /var/lib/biu/<instance>}, as {@code ./biu} has it. */
    Path dataDir() {
        String dir = get("BIU_DATA_DIR");
        return dir != null ? Path.of(dir) : Path.of("/var/lib/biu", instance());
    }
}
