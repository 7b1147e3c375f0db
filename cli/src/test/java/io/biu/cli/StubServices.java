package io.biu.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A stand-in for the services' HTTP APIs, for unit tests of how the client maps replies (errors, task progress)
 * to output and exit codes; not a model of the services. Replies are queued per "METHOD path": the last one of a
 * queue is repeated; an unexpected request gets a 404 error body.
 */
final class StubServices implements AutoCloseable {

    record Reply(int status, String body) {
    }

    private final HttpServer server;
    private final Map<String, Deque<Reply>> replies = new HashMap<>();
    final List<String> requests = new ArrayList<>();
    final List<String> tokens = new ArrayList<>();
    private final Map<String, String> bodies = new HashMap<>();

    StubServices() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String key = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath().replaceFirst(
                    "^/api/v1", "") + (exchange.getRequestURI().getQuery() == null ? ""
                    : "?" + exchange.getRequestURI().getQuery());
            String sent = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Reply reply;
            synchronized (this) {
                requests.add(key);
                bodies.put(key, sent);
                tokens.add(exchange.getRequestHeaders().getFirst("Authorization"));
                Deque<Reply> queue = replies.get(key);
                reply = queue == null ? new Reply(404, "{\"error\":\"NOT_FOUND\",\"message\":\"stub: no " + key + "\"}")
                        : queue.size() > 1 ? queue.removeFirst() : queue.peekFirst();
            }
            byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    synchronized StubServices on(String request, int status, String body) {
        replies.computeIfAbsent(request, k -> new ArrayDeque<>()).addLast(new Reply(status, body));
        return this;
    }

    /** The body of the last "METHOD path" request, or null when there was none. */
    synchronized String body(String request) {
        return bodies.get(request);
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A data directory whose services all are this stub. */
    StubServices dataDir(Path dir) throws IOException {
        Files.writeString(dir.resolve("services.properties"), "scheduler.url=" + url() + "\nredis-ctl.url=" + url()
                + "\nredis-monitor.url=" + url() + "\nadmin.url=" + url() + "\n");
        return this;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
