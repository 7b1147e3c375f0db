package io.biu.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One more process of a service of the instance (its jar and configuration), with its own port and any
 * extra settings (a crash point, another database, say).
 */
final class ServiceProcess implements AutoCloseable {

    private final Process process;
    final String url;

    private ServiceProcess(Process process, String url) {
        this.process = process;
        this.url = url;
    }

    /** Another scheduler process, on the instance's database (which must be PostgreSQL, to be shared). */
    static ServiceProcess scheduler(Lab lab, String name, Map<String, String> settings) throws IOException {
        assertTrue(Files.readString(lab.dataDir.resolve("conf/scheduler.yml")).contains("jdbc:postgresql:"),
                "another scheduler process needs the PostgreSQL profile (./biu test runs its instance on it)");
        return start(lab, "scheduler", name, settings);
    }

    static ServiceProcess start(Lab lab, String service, String name, Map<String, String> settings)
            throws IOException {
        String conf = Files.readString(lab.dataDir.resolve("conf/" + service + ".yml"));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path file = Files.createTempFile(service + "-" + name, ".yml");
        Files.writeString(file, conf.replaceFirst("port: \\d+", "port: " + port));
        var command = new java.util.ArrayList<String>(java.util.List.of("java", "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-Dmicronaut.config.files=" + file));
        settings.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(java.util.List.of("-jar", lab.dataDir.resolve("lib/" + service + ".jar").toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(lab.dataDir.resolve("logs/" + service + "-" + name + ".log")
                        .toFile()))
                .start();
        String url = "http://127.0.0.1:" + port;
        HttpClient http = HttpClient.newHttpClient();
        await(service + " " + name + " healthy").atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() ->
                http.send(HttpRequest.newBuilder(URI.create(url + "/health")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
        return new ServiceProcess(process, url);
    }

    /** Waits for the process to end on its own (a crash point) and returns its exit code. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the process did not end within " + timeout);
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
