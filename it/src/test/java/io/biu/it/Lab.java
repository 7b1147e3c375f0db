package io.biu.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The running instance the end-to-end scenarios use, as {@code ./biu test} describes it through
 * system properties: {@code biu.root} (the checkout), {@code biu.instance} and {@code biu.data-dir}.
 * Facts come from the {@code lab.properties} and {@code infra.properties} that {@code ./biu up}
 * writes there.
 */
final class Lab {

    /** One simulated Docker host. */
    record Node(int index, String name, String address, String dockerHost, String cgroupParent) {
    }

    /** What a {@code ./biu} invocation printed (stdout and stderr together) and its exit code. */
    record Run(int exitCode, String output) {
    }

    private static Lab current;

    final Path root;
    final String instance;
    final Path dataDir;
    private final Properties lab;
    private final Properties infra;
    private final Properties services;

    private Lab(Path root, String instance, Path dataDir) {
        this.root = root;
        this.instance = instance;
        this.dataDir = dataDir;
        this.lab = load(dataDir.resolve("lab.properties"));
        this.infra = load(dataDir.resolve("infra.properties"));
        this.services = load(dataDir.resolve("services.properties"));
    }

    /** The instance this test run was given; fails with what to do when run outside {@code ./biu test}. */
    static synchronized Lab get() {
        if (current == null) {
            current = new Lab(Path.of(required("biu.root")), required("biu.instance"),
                    Path.of(required("biu.data-dir")));
        }
        return current;
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + property + " is not set: end-to-end tests run "
                    + "against a running instance, so start them with ./biu test");
        }
        return value;
    }

    private static Properties load(Path file) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": is the instance up (./biu up)?", e);
        }
        return p;
    }

    String lab(String key) {
        return value(lab, "lab", key);
    }

    String infra(String key) {
        return value(infra, "infra", key);
    }

    /** How many series a query of the lab's InfluxDB returns. */
    int influxSeries(String query) throws Exception {
        java.net.URI uri = java.net.URI.create(infra("influxdb.url") + "/query?db=" + infra(
                "influxdb.database") + "&q=" + java.net.URLEncoder.encode(query, java.nio.charset.StandardCharsets.UTF_8));
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        JsonNode reply = Scheduler.JSON.readTree(http.send(java.net.http.HttpRequest.newBuilder(uri).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body());
        if (!reply.has("results") || reply.get("results").get(0).has("error")) {
            throw new AssertionError("InfluxDB refused " + query + ": " + reply);
        }
        JsonNode result = reply.get("results").get(0);
        return result.has("series") ? result.get("series").size() : 0;
    }

    String service(String key) {
        return value(services, "services", key);
    }

    private static String value(Properties properties, String file, String key) {
        String value = properties.getProperty(key);
        if (value == null) {
            throw new IllegalStateException(file + ".properties has no " + key);
        }
        return value;
    }

    List<Node> nodes() {
        int n = Integer.parseInt(lab("nodes"));
        List<Node> nodes = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            nodes.add(new Node(i, lab("node." + i + ".name"), lab("node." + i + ".address"),
                    lab("node." + i + ".docker.host"), lab("node." + i + ".cgroup.parent")));
        }
        return nodes;
    }

    Node node(int index) {
        return nodes().get(index - 1);
    }

    /**
     * An address of the lab's MacVLAN range for a test container: {@code <range prefix>.200.<host>}
     * (the range is a /17 starting at x.y.128.0, so x.y.200.host always lies in it).
     */
    String podAddress(int host) {
        String range = lab("pod.range");
        String[] octets = range.substring(0, range.indexOf('/')).split("\\.");
        return octets[0] + "." + octets[1] + ".200." + host;
    }

    /** A docker-java client for a node's TCP API, authenticated with the lab's client certificate. */
    DockerClient docker(Node node) {
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(node.dockerHost())
                .withDockerTlsVerify(true)
                .withDockerCertPath(lab("docker.tls.dir"))
                .build();
        ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .connectionTimeout(Duration.ofSeconds(3))
                .responseTimeout(Duration.ofSeconds(60))
                .build();
        return DockerClientImpl.getInstance(config, http);
    }

    /** Runs {@code ./biu} for this instance. */
    Run biu(String... args) {
        // as ./biu test brought the instance up: without the demo cluster
        return biu(Map.of("BIU_INSTANCE", instance, "BIU_DEMO", "0"), args);
    }

    /**
     * Runs {@code ./biu} with the given instance settings; settings not given are removed from the
     * environment, so the caller's own never leak in.
     */
    static Run biu(Path root, Map<String, String> env, Duration timeout, String... args) {
        List<String> command = new ArrayList<>();
        command.add(root.resolve("biu").toString());
        command.addAll(List.of(args));
        try {
            // A file, not a pipe: a daemon that ./biu starts must not keep the caller waiting.
            Path output = Files.createTempFile("biu-run", ".log");
            ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile())
                    .redirectErrorStream(true).redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().keySet().removeIf(k -> k.startsWith("BIU_"));
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("./biu " + String.join(" ", args) + " took longer than " + timeout
                        + "; it printed:\n" + Files.readString(output));
            }
            String out = Files.readString(output, StandardCharsets.UTF_8);
            Files.delete(output);
            return new Run(p.exitValue(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running ./biu", e);
        }
    }

    Run biu(Map<String, String> env, String... args) {
        return biu(root, env, Duration.ofMinutes(5), args);
    }
}
