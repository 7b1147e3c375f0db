package io.biu.cli.api;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Where an instance's services listen, from the {@code services.properties} that {@code ./biu up} writes into the
 * instance's data directory.
 */
public final class Services {

    public static final String SCHEDULER = "scheduler";
    public static final String REDIS_CTL = "redis-ctl";
    public static final String REDIS_MONITOR = "redis-monitor";
    public static final String ADMIN = "admin";

    private final Path file;
    private final Properties urls;

    private Services(Path file, Properties urls) {
        this.file = file;
        this.urls = urls;
    }

    /** The services of the instance whose data directory this is; fails with what to do when it is not up. */
    public static Services of(Path dataDir, String instance) {
        Path file = dataDir.resolve("services.properties");
        Properties urls = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            urls.load(in);
        } catch (IOException e) {
            throw CliException.unreachable("instance " + instance + " has no " + file + ": it is not up (or runs "
                    + "elsewhere)", "`./biu up` starts it; BIU_INSTANCE or BIU_DATA_DIR choose another instance");
        }
        return new Services(file, urls);
    }

    /** The base URL of a service: {@link #SCHEDULER}, {@link #REDIS_CTL}, {@link #REDIS_MONITOR} or {@link #ADMIN}. */
    public String url(String service) {
        String url = urls.getProperty(service + ".url");
        if (url == null || url.isBlank()) {
            throw CliException.unreachable(file + " names no " + service + ".url",
                    "`./biu up` writes it; is the instance fully up? `./biu status` shows it");
        }
        return url;
    }
}
