package io.biu.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.biu.redisctl.client.TaskKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * redis-ctl's database stalls for longer than a task's lease while a join migrates slots, with two redis-ctl
 * processes running: once the database answers again the task is carried to its end by one claim at a time. Each
 * step is recorded once and in order (none skipped, none recorded by a run whose claim was taken), no slot is left
 * open, the client writing all along sees no error, and every key written is there. The processes run on the
 * instance's PostgreSQL, in a schema of their own, so the instance's redis-ctl cannot take their tasks; the stall is
 * PostgreSQL's own: redis-ctl's tables held locked by another session.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DatabaseStallIT {

    private static final String TENANT = "ctl-stall";
    private static final Duration LEASE = Duration.ofSeconds(2);
    private static final Duration STALL = LEASE.multipliedBy(3);

    private final Lab lab = Lab.get();
    private final Scheduler operator = Scheduler.operator(lab);
    private final String name = "stall-" + Long.toHexString(System.nanoTime() & 0xffffff);
    /** The schema of this scenario's redis-ctl processes in redis-ctl's database. */
    private final String schema = "stall_" + Long.toHexString(System.nanoTime() & 0xffffff);
    private final List<String> processes = List.of("stall-first-" + schema, "stall-second-" + schema);
    private Scheduler scheduler;
    private String token;
    private long id;
    private String password;

    private Map<String, String> settings() {
        return Map.of(
                "datasources.default.url", databaseUrl() + "?currentSchema=" + schema,
                "datasources.default.driver-class-name", "org.postgresql.Driver",
                "datasources.default.username", lab.infra("postgres.user"),
                "datasources.default.password", databasePassword(),
                "biu.redis-ctl.task-lease", LEASE.toSeconds() + "s",
                "biu.redis-ctl.task-takeover-grace", "700ms",
                "biu.redis-ctl.task-poll", "200ms",
                "biu.redis-ctl.drain-grace", "2s");
    }

    private String databaseUrl() {
        return "jdbc:postgresql://" + lab.infra("postgres.host") + ":" + lab.infra("postgres.port") + "/redis_ctl";
    }

    private String databasePassword() {
        try {
            return Files.readString(Path.of(lab.infra("postgres.password.file"))).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Connection database(String url) throws SQLException {
        return DriverManager.getConnection(url, lab.infra("postgres.user"), databasePassword());
    }

    private ServiceProcess redisCtl(String processName) throws Exception {
        return ServiceProcess.start(lab, "redis-ctl", processName, settings());
    }

    private Scheduler api(ServiceProcess p) {
        return operator.at(p.url).as(token);
    }

    @BeforeAll
    void setUp() throws Exception {
        try (Connection c = database(databaseUrl()); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        Scheduler.ensureLabPod(operator, TENANT);
        token = operator.issueTenantToken(TENANT);
        scheduler = operator.as(token);
    }

    @AfterAll
    void tearDown() throws Exception {
        try {
            if (id != 0) {
                try (ServiceProcess last = redisCtl("stall-cleanup-" + schema)) {
                    Scheduler ctl = api(last);
                    await("cluster deleted").atMost(Duration.ofSeconds(60)).until(() -> {
                        ctl.delete("/clusters/" + id);
                        return ctl.get("/clusters/" + id).status() == 404;
                    });
                }
            }
        } finally {
            try (Connection c = database(databaseUrl()); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    @Test
    void aJoinWhoseDatabaseStallsPastItsLeaseRecordsEachStepOnceAndLosesNothing() throws Exception {
        try (ServiceProcess first = redisCtl(processes.get(0)); ServiceProcess second = redisCtl(processes.get(1))) {
            Scheduler ctl = api(first);
            JsonNode created = ctl.post("/clusters", Map.of("name", name, "pod", "lab", "masters", 2,
                    "replicas", 0, "cpu", 0.1, "memory", "64MiB", "persistence", "none")).expect(202).body();
            id = created.get("id").asLong();
            password = created.get("password").asText();
            RedisCtlRecoveryIT.awaitTask(ctl, created.get("taskId").asLong());
            String seed = ctl.get("/clusters/" + id).expect(200).body().get("instances").get(0).get("address")
                    .asText();
            try (VerifyingLoad load = new VerifyingLoad(seed, password)) {
                load.preload(5_000);
                load.start(2);
                long container = scheduler.post("/apps/redis-" + name + "/containers",
                        Map.of("count", 1, "role", "master")).expect(201).body().get(0).get("id").asLong();
                await("container ready").atMost(Duration.ofSeconds(30)).until(() -> scheduler
                        .get("/containers/" + container).expect(200).body().get("ready").asBoolean());
                long task = ctl.post("/clusters/" + id + "/members", Map.of("members",
                        List.of(Map.of("container", container, "role", "master")))).expect(202).body().get("id")
                        .asLong();
                await("the join migrates").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                        .until(() -> ctl.get("/tasks/" + task).expect(200).body().path("step").asText(),
                                TaskKind.Join.MIGRATE.id()::equals);
                int stepAtStall = stall(task);
                assertEquals(TaskKind.Join.MIGRATE.ordinal(), stepAtStall, "the stall began while the join migrated");

                JsonNode done = RedisCtlRecoveryIT.awaitTask(api(second), task);
                List<String> recorded = new ArrayList<>();
                done.get("timings").forEach(t -> recorded.add(t.get("step").asText()));
                assertEquals(TaskKind.JOIN.stepIds(), recorded, "each step recorded once, in order: " + done);
                RedisCtlRecoveryIT.assertNothingOpen(ctl, id, password);
                load.stop();
                System.out.println("database stall: " + STALL.toSeconds() + " s (" + STALL.dividedBy(LEASE)
                        + " leases) during the join's migration; the task ran under " + claims(task)
                        + " claims in all; " + load.writes() + " writes, " + load.unroutable()
                        + " commands held back while the client's view lacked a slot's owner");
                assertEquals(List.of(), load.errors().stream().limit(10).toList(), "client errors");
                List<String> bad = load.verify();
                assertEquals(List.of(), bad.stream().limit(10).toList(), bad.size() + " of "
                        + load.acknowledgedKeys() + " keys lost or changed");
            }
        }
    }

    /**
     * Holds redis-ctl's tables locked for {@link #STALL}, so that whatever touches them waits, as on a database that
     * stalls; answers the index of the task's step when the stall began.
     */
    private int stall(long task) throws SQLException, InterruptedException {
        try (Connection c = database(databaseUrl() + "?currentSchema=" + schema); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("LOCK TABLE task, instance, cluster, lease IN ACCESS EXCLUSIVE MODE");
            int step;
            try (ResultSet r = s.executeQuery("SELECT step FROM task WHERE id = " + task)) {
                assertTrue(r.next(), "task " + task + " is recorded");
                step = r.getInt(1);
            }
            Thread.sleep(STALL.toMillis());
            c.commit();
            return step;
        }
    }

    /** How many times the processes' logs say a run of the task began (under a claim of its own). */
    private long claims(long task) throws IOException {
        long runs = 0;
        for (String p : processes) {
            try (Stream<String> lines = Files.lines(lab.dataDir.resolve("logs/redis-ctl-" + p + ".log"))) {
                runs += lines.filter(l -> l.contains("task " + task + " (") && l.contains(" under claim ")).count();
            }
        }
        return runs;
    }
}
