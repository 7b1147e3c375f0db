package io.biu.redisctl.backup;

import io.biu.redisctl.api.CtlError;
import io.biu.redisctl.api.CtlException;
import io.biu.redisctl.client.TaskKind;
import io.biu.redisctl.redis.RedisAdmin;
import io.biu.redisctl.store.Cluster;
import io.biu.redisctl.task.StepHandler;
import io.biu.redisctl.task.Task;
import io.biu.redisctl.task.TaskContext;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports data into a cluster ({@link TaskKind.Import}); the task's subject is the {@link DataImport}. The source is
 * checked first (an RDB file is read to its end, a live source must answer), then that the target holds no key; then
 * every key is loaded into the master that owns its slot, and a live source's writes are applied until the import
 * caught up. The source's password is forgotten when the task ends.
 */
@Singleton
final class Imports implements StepHandler<TaskKind.Import> {

    private static final Logger LOG = LoggerFactory.getLogger(Imports.class);
    /** How long a live source must take no write, once caught up with, for its import to end. */
    private static final Duration QUIET = Duration.ofSeconds(2);

    private final DataImportRepository imports;
    private final LiveCluster live;
    private final BackupSettings settings;
    private final Loader loader;
    private final LiveImport online;

    Imports(DataImportRepository imports, LiveCluster live, RedisAdmin redis, BackupSettings settings, Clock clock,
            @Named(TaskExecutors.BLOCKING) ExecutorService executor) {
        this.imports = imports;
        this.live = live;
        this.settings = settings;
        this.loader = new Loader(redis, settings.batch(), clock, executor);
        this.online = new LiveImport(redis, settings.batch(), clock, settings.follow(), QUIET);
    }

    @Override
    public TaskKind kind() {
        return TaskKind.IMPORT;
    }

    @Override
    public Class<TaskKind.Import> steps() {
        return TaskKind.Import.class;
    }

    @Override
    public StepCode code(TaskKind.Import step, Cluster cluster, Task task) {
        return switch (step) {
            case CHECK_SOURCE -> context -> checkSource(source(task), context);
            case CHECK_EMPTY -> context -> checkEmpty(cluster, context);
            case LOAD -> context -> load(cluster, source(task), context);
        };
    }

    private DataImport source(Task task) {
        return imports.findById(task.subject()).orElseThrow(() -> new IllegalStateException("task " + task.id()
                + " imports " + task.subject() + ", which is no longer recorded"));
    }

    /** The file an import names, in its tenant's folder. */
    static Path file(BackupSettings settings, DataImport i) {
        return settings.importDir().resolve(i.tenant()).resolve(i.rdb());
    }

    private void checkSource(DataImport i, TaskContext context) {
        if (i.rdb() != null) {
            try (InputStream in = Files.newInputStream(file(settings, i))) {
                long keys = RdbKeys.read(new CountingStream(in), "file " + i.rdb(), key -> { });
                context.progress("file " + i.rdb() + " reads to its end: " + keys + " keys");
            } catch (NoSuchFileException e) {
                throw new CtlException(CtlError.NOT_FOUND, "there is no file " + i.rdb() + " in the import folder of "
                        + "tenant " + i.tenant() + ": put it there first");
            } catch (IOException e) {
                throw new CtlException(CtlError.CONFLICT, e.getMessage() + "; nothing was imported");
            }
            return;
        }
        RedisClient client = RedisClient.create();
        RedisURI.Builder uri = RedisURI.builder().withHost(i.sourceHost()).withPort(i.sourcePort())
                .withTimeout(Duration.ofSeconds(5));
        if (i.sourcePassword() != null) {
            uri.withAuthentication("default", i.sourcePassword().toCharArray());
        }
        long keys;
        try (StatefulRedisConnection<String, String> c = client.connect(uri.build())) {
            keys = c.sync().dbsize();
        } catch (RuntimeException e) {
            throw new CtlException(CtlError.CONFLICT, "source " + i.source() + " does not answer: "
                    + e.getMessage());
        } finally {
            client.shutdown();
        }
        // outside the catch: a lost claim is not the source's fault
        context.progress("source " + i.source() + " answers: " + keys + " keys in database 0");
    }

    private void checkEmpty(Cluster cluster, TaskContext context) {
        String held = live.keysHeld(cluster);
        if (!held.isEmpty()) {
            throw new CtlException(CtlError.CONFLICT, "cluster " + cluster.name() + " is not empty (" + held
                    + "): data is imported only into a cluster without keys");
        }
        context.progress("cluster " + cluster.name() + " holds no key");
    }

    private void load(Cluster cluster, DataImport i, TaskContext context) {
        try {
            if (i.rdb() != null) {
                try (InputStream in = Files.newInputStream(file(settings, i))) {
                    Loader.Loaded loaded = loader.load(in, "file " + i.rdb(), live.topology(cluster),
                            cluster.password(), context);
                    context.progress(loaded.written() + " keys imported from " + i.rdb()
                            + (loaded.otherDatabases() > 0 ? ", " + loaded.otherDatabases()
                            + " keys of databases other than 0 left out" : ""));
                }
                return;
            }
            LiveImport.Imported done = online.run(i.sourceHost(), i.sourcePort(), i.sourcePassword(),
                    live.topology(cluster), cluster.password(), context);
            context.progress(done.keys() + " keys and " + done.commands() + " writes imported from " + i.source()
                    + " up to its offset " + done.offset() + (done.behind() > 0 ? ", " + done.behind()
                    + " bytes of writes behind when following stopped" : ", caught up"));
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    @Override
    public void succeeded(Cluster cluster) {
        forgetPasswords(cluster);
        LOG.info("cluster {}/{}: import complete", cluster.tenant(), cluster.name());
    }

    @Override
    public void failed(Cluster cluster, String why) {
        forgetPasswords(cluster);
        LOG.warn("cluster {}/{}: import failed: {}", cluster.tenant(), cluster.name(), why);
    }

    private void forgetPasswords(Cluster cluster) {
        imports.findByClusterId(cluster.id()).stream().filter(i -> i.sourcePassword() != null)
                .forEach(i -> imports.update(i.withoutPassword()));
    }
}
