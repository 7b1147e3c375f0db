package io.biu.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.biu.redisctl.client.Naming;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The {@code biu} client as people and scripts use it, run as a subprocess (the built jar, and once through
 * {@code ./biu}) against the running instance: an operator with the bootstrap token, a tenant with a token the
 * operator issued through the client, a small cluster created, scaled out and in, given an endpoint and deleted
 * with the progress and results printed; and the error paths with their exit codes: no token, a wrong or revoked
 * token, an unknown cluster, invalid sizes, services down.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliIT {

    /** A tenant of this run only, so that concurrent runs never see each other's clusters. */
    private final String tenant = "cli-" + Long.toHexString(System.nanoTime() & 0xffffff);
    private final String cluster = "c" + Long.toHexString(System.nanoTime() & 0xffff);

    private final Lab lab = Lab.get();
    private final Scheduler operator = Scheduler.operator(lab);
    private Path home;
    private String tenantToken;

    /** What a client run printed (stdout and stderr apart) and its exit code. */
    record Run(int exitCode, String out, String err) {
        String both() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }

        Run expect(int code) {
            assertEquals(code, exitCode, both());
            return this;
        }

        Run says(String text) {
            assertTrue(out.contains(text) || err.contains(text), "expected '" + text + "' in:\n" + both());
            return this;
        }

        JsonNode json() {
            try {
                return Scheduler.JSON.readTree(out);
            } catch (IOException e) {
                throw new AssertionError("not JSON:\n" + both(), e);
            }
        }
    }

    @BeforeAll
    void setUp() throws IOException {
        home = Files.createTempDirectory("biu-cli-home");
        Scheduler.ensureLabPod(operator, tenant);
    }

    /** Deletes the cluster if a scenario failed half-way, and revokes the tenant's tokens. */
    @AfterAll
    void tearDown() {
        if (tenantToken != null) {
            Scheduler redisCtl = operator.at(lab.service("redis-ctl.url")).as(tenantToken);
            await("the tenant's clusters deleted").atMost(Duration.ofSeconds(60)).until(() -> {
                JsonNode all = redisCtl.get("/clusters").expect(200).body();
                for (JsonNode c : all) {
                    redisCtl.delete("/clusters/" + c.get("id").asLong());
                }
                return all.isEmpty();
            });
        }
        for (JsonNode t : operator.get("/tokens").expect(200).body()) {
            if (tenant.equals(t.path("tenant").asText()) && t.path("revokedAt").asText("").isEmpty()) {
                operator.delete("/tokens/" + t.get("id").asLong());
            }
        }
    }

    /** The instance's environment, without any BIU_ setting of the caller and with a home of its own. */
    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("BIU_INSTANCE", lab.instance);
        env.put("BIU_DATA_DIR", lab.dataDir.toString());
        env.put("HOME", home.toString());
        return env;
    }

    private Map<String, String> asTenant() {
        Map<String, String> env = env();
        env.put("BIU_TOKEN", tenantToken());
        return env;
    }

    private synchronized String tenantToken() {
        if (tenantToken == null) {
            JsonNode issued = client(env(), "token", "create", tenant + " cli test", "--for", tenant, "-o", "json")
                    .expect(0).json();
            tenantToken = issued.get("secret").asText();
        }
        return tenantToken;
    }

    /** Whether {@link #client} runs the client in this JVM rather than as a subprocess. */
    private boolean inProcess;
    private java.lang.reflect.Method embedded;

    private Run client(Map<String, String> env, String... args) {
        if (inProcess) {
            return embedded(env, args);
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-jar");
        command.add(lab.root.resolve("cli/target/biu-cli.jar").toString());
        command.addAll(List.of(args));
        return run(command, env, Duration.ofMinutes(3));
    }

    /**
     * The client in this JVM: the built jar in a class loader of its own (so its libraries do not meet this
     * module's), through its embedding entry point, with {@code env} as its whole environment.
     */
    private synchronized Run embedded(Map<String, String> env, String... args) {
        try {
            if (embedded == null) {
                java.net.URLClassLoader loader = new java.net.URLClassLoader(new java.net.URL[] {
                    lab.root.resolve("cli/target/biu-cli.jar").toUri().toURL()}, ClassLoader.getPlatformClassLoader());
                embedded = loader.loadClass("io.biu.cli.BiuCommand").getMethod("run", String[].class,
                        java.io.PrintWriter.class, java.io.PrintWriter.class, Map.class);
            }
            java.io.StringWriter out = new java.io.StringWriter();
            java.io.StringWriter err = new java.io.StringWriter();
            int code = (int) embedded.invoke(null, args, new java.io.PrintWriter(out, true),
                    new java.io.PrintWriter(err, true), Map.copyOf(env));
            return new Run(code, out.toString(), err.toString());
        } catch (ReflectiveOperationException | IOException e) {
            throw new AssertionError("cannot run the client in process", e);
        }
    }

    private static Run run(List<String> command, Map<String, String> env, Duration timeout) {
        try {
            Path out = Files.createTempFile("biu-cli", ".out");
            Path err = Files.createTempFile("biu-cli", ".err");
            ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().keySet().removeIf(k -> k.startsWith("BIU_") || k.equals("XDG_CONFIG_HOME"));
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " took longer than " + timeout + ":\n"
                        + Files.readString(out) + Files.readString(err));
            }
            Run run = new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            Files.delete(out);
            Files.delete(err);
            return run;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Test
    void anOperatorUsesTheBootstrapTokenWithoutSetUp() {
        // through ./biu, which hands the verb to the client jar
        Lab.Run pods = lab.biu("pod", "list");
        assertEquals(0, pods.exitCode(), pods.output());
        assertTrue(pods.output().matches("(?s)NAME\\s+GRANULARITY.*\\nlab\\s+.*"), pods.output());

        JsonNode nodes = client(env(), "node", "list", "--output", "json").expect(0).json();
        assertEquals(lab.nodes().size(), nodes.size(), nodes.toString());
        client(env(), "node", "show", lab.node(1).name()).expect(0).says("in pod lab");
        client(env(), "events", "--type", "node.*", "--limit", "3").expect(0);
    }

    @Test
    void aRevokedTokenIsRefusedWithExitCodeFour() {
        JsonNode issued = client(env(), "token", "create", tenant + " short-lived", "--for", tenant, "-o", "json")
                .expect(0).json();
        long id = issued.get("token").get("id").asLong();
        Map<String, String> holder = env();
        holder.put("BIU_TOKEN", issued.get("secret").asText());
        client(holder, "pod", "list").expect(0).says("lab");
        client(env(), "token", "list").expect(0).says(tenant + " short-lived");
        client(env(), "token", "revoke", String.valueOf(id)).expect(0).says("revoked");
        client(holder, "pod", "list").expect(4).says("unknown or revoked").says("--token");
    }

    @Test
    void inProcessTooTheOperatorWorksAndErrorsSayWhatToDo() throws IOException {
        inProcess = true;
        try {
            client(env(), "pod", "list").expect(0).says("lab");
            errorsSayWhatToDoAndExitWithTheirCode();
        } finally {
            inProcess = false;
        }
    }

    @Test
    void errorsSayWhatToDoAndExitWithTheirCode() throws IOException {
        // no token anywhere: a data directory with the services but no operator token
        Path bare = Files.createTempDirectory("biu-cli-bare");
        Files.copy(lab.dataDir.resolve("services.properties"), bare.resolve("services.properties"));
        Map<String, String> noToken = env();
        noToken.put("BIU_DATA_DIR", bare.toString());
        client(noToken, "cluster", "list").expect(4).says("no token").says("BIU_TOKEN");

        // a wrong token, from the config file
        Files.createDirectories(home.resolve(".config/biu"));
        Files.writeString(home.resolve(".config/biu/config"), "token=not-a-token\ntenant=" + tenant + "\n");
        try {
            client(noToken, "cluster", "list").expect(4).says("the token is unknown or revoked");
        } finally {
            Files.delete(home.resolve(".config/biu/config"));
        }

        // an operator must say which tenant; an unknown cluster is named
        client(env(), "cluster", "list").expect(1).says("--tenant");
        client(env(), "cluster", "show", "nosuch", "--tenant", tenant).expect(1).says("no cluster 'nosuch'")
                .says("biu cluster list");

        // invalid sizes: caught by the client (usage, 2) or by redis-ctl (1), both saying what to write
        client(asTenant(), "cluster", "create", "x", "--masters", "0").expect(2).says("--masters must be at least 1");
        client(asTenant(), "cluster", "create", "x", "--memory", "lots").expect(2).says("write e.g. 256MiB");
        client(asTenant(), "cluster", "create", "x", "--cpu", "-1").expect(2).says("--cpu must be more than 0");
        client(asTenant(), "cluster", "create", "x", "--memory", "1MiB", "--cpu", "0.1").expect(1)
                .says("memory must be between 64MiB");
        client(asTenant(), "cluster", "frobnicate").expect(2).says("Usage:");

        // services down: an instance that is not up, and services that do not answer
        Map<String, String> other = env();
        other.put("BIU_INSTANCE", "biunone");
        other.remove("BIU_DATA_DIR");
        client(other, "cluster", "list").expect(3).says("not up").says("./biu up");
        Path down = Files.createTempDirectory("biu-cli-down");
        Files.writeString(down.resolve("services.properties"), "scheduler.url=http://127.0.0.1:1\n"
                + "redis-ctl.url=http://127.0.0.1:1\n");
        Files.writeString(down.resolve("operator.token"), "whatever\n");
        Map<String, String> dead = env();
        dead.put("BIU_DATA_DIR", down.toString());
        client(dead, "cluster", "list", "--tenant", tenant).expect(3)
                .says("cannot reach the redis-ctl at http://127.0.0.1:1").says("./biu status");
    }

    @Test
    void aTenantCreatesScalesConnectsToAndDeletesACluster() throws Exception {
        Map<String, String> me = asTenant();
        Path followed = Files.createTempFile("biu-cli-events", ".out");
        Process events = followEvents(me, followed);
        try {
            Run created = client(me, "cluster", "create", cluster, "--masters", "1", "--replicas", "0", "--cpu", "0.1",
                    "--memory", "64MiB", "--persistence", "none").expect(0);
            created.says("password (shown only now, keep it): ").says("cluster " + cluster + " ready in ")
                    .says(": 1 master, 0 replicas");
            assertFalse(created.out().contains("\r"), "no redrawing when stdout is not a terminal");

            Run list = client(me, "cluster", "list").expect(0);
            assertTrue(list.out().matches("(?s)NAME\\s+ID\\s+STATE.*\\n" + cluster + "\\s+\\d+\\s+ready\\s+1\\s+0.*"),
                    list.both());
            JsonNode shown = client(me, "cluster", "show", cluster, "-o", "json").expect(0).json();
            assertEquals(1, shown.get("instances").size(), shown.toString());
            assertFalse(shown.toString().contains("password"), shown.toString());

            // scale out and in again, with the migration's progress, then the policy refuses what it would undo
            client(me, "cluster", "scale", cluster, "--masters", "2").expect(0)
                    .says("migrate").says("scaled from 1 to 2 masters in ").says("moved 8192 slots");
            client(me, "cluster", "scale", cluster, "--masters", "1").expect(0).says("scaled from 2 to 1 master in ");
            assertEquals(1, client(me, "cluster", "show", cluster, "-o", "json").expect(0).json().get("instances")
                    .size());
            client(me, "cluster", "policy", "set", cluster, "--max", "2", "--scale-out-at", "75%").expect(0)
                    .says("maxMasters");
            JsonNode policy = client(me, "cluster", "policy", "show", cluster, "-o", "json").expect(0).json();
            assertEquals(2, policy.get("policy").get("maxMasters").asInt(), policy.toString());
            assertEquals(0.75, policy.get("chosen").get("scaleOutMean").asDouble(), policy.toString());
            client(me, "cluster", "scale", cluster, "--masters", "3").expect(1).says("between 1 and 2 masters")
                    .says("policy set " + cluster + " --min 1 --max 3");
            client(me, "cluster", "decisions", cluster).expect(0);

            // an endpoint, and the redis-cli line for it
            client(me, "connect", cluster).expect(1).says("biu endpoint issue " + cluster);
            Run issued = client(me, "endpoint", "issue", cluster, "--proxies", "1").expect(0)
                    .says("password (shown only now, keep it): ").says(" ready in ");
            JsonNode endpoints = client(me, "endpoint", "list", cluster, "-o", "json").expect(0).json();
            assertEquals(1, endpoints.size(), issued.both());
            String address = endpoints.get(0).get("addresses").get(0).asText();
            client(me, "connect", cluster).expect(0).says("redis-cli -h " + address.replace(":", " -p ")
                    + " --askpass");
            client(me, "endpoint", "revoke", endpoints.get(0).get("id").asText()).expect(0).says("revoked");

            client(me, "cluster", "delete", cluster).expect(2).says("add --yes");
            client(me, "cluster", "delete", cluster, "--yes").expect(0).says("cluster " + cluster + " deleted in ");
            client(me, "cluster", "show", cluster).expect(1).says("no cluster '" + cluster + "'");

            await("the followed events").atMost(Duration.ofSeconds(10)).until(() -> {
                String seen = Files.readString(followed);
                return seen.contains("container.started") && seen.contains("container.removed");
            });
        } finally {
            events.destroy();
            events.waitFor(5, TimeUnit.SECONDS);
            Files.deleteIfExists(followed);
        }
    }

    /** {@code biu events --follow} of the cluster's app, printing into a file until destroyed. */
    private Process followEvents(Map<String, String> env, Path output) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", lab.root.resolve("cli/target/biu-cli.jar").toString(), "events", "--follow",
                "--app", Naming.app(cluster), "--type", "container.*"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().keySet().removeIf(k -> k.startsWith("BIU_") || k.equals("XDG_CONFIG_HOME"));
        pb.environment().putAll(env);
        return pb.start();
    }
}
