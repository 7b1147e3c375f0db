package io.biu.proxy.server;

import io.biu.proxy.Transport;
import io.biu.proxy.cluster.Address;
import io.biu.proxy.cluster.SlotTable;
import io.biu.proxy.resp.RespScanner;
import io.biu.proxy.resp.RespValue;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A cluster of fake masters on local sockets, for the proxy to run against: each answers CLUSTER SLOTS with the
 * view the test sets ({@link #view}), AUTH, PING, GET and SET from a map of its own, anything else with an
 * error; a master made {@link Node#silent} keeps its connections and reads what comes, but never answers again,
 * as a master cut off by a network partition that drops packets looks to the proxy.
 */
final class FakeCluster implements AutoCloseable {

    private final List<Node> nodes = new CopyOnWriteArrayList<>();
    private volatile List<SlotTable.Range> view = List.of();

    /** A new master, listening on a free port. */
    Node node() throws IOException {
        Node n = new Node();
        nodes.add(n);
        return n;
    }

    /** Every master's address, {@code host:port,...}: the cluster's members, as redis-ctl would list them. */
    String members() {
        return String.join(",", nodes.stream().map(n -> n.address.toString()).toList());
    }

    /** What every master answers to CLUSTER SLOTS from now on. */
    void view(List<SlotTable.Range> ranges) {
        view = List.copyOf(ranges);
    }

    /**
     * A proxy on a free port in front of this cluster, started (its slot table read from {@code seed}), with the
     * cluster's masters as its members, refreshing every 200 ms, and {@code settings} (name, value, ...) on top.
     * The caller closes it.
     */
    ProxyServer proxy(Node seed, String... settings) throws InterruptedException {
        Properties p = new Properties();
        p.setProperty("port", "0");
        p.setProperty("threads", "1");
        p.setProperty("seeds", seed.address.toString());
        p.setProperty("members", members());
        p.setProperty("refresh-interval-ms", "200");
        p.setProperty("connect-timeout-ms", "200");
        for (int i = 0; i < settings.length; i += 2) {
            p.setProperty(settings[i], settings[i + 1]);
        }
        ProxyServer proxy = new ProxyServer(ProxyConfig.of(p), Transport.detect());
        if (!proxy.start()) {
            proxy.close();
            throw new AssertionError("the proxy did not read the slot table");
        }
        return proxy;
    }

    @Override
    public void close() {
        nodes.forEach(Node::close);
    }

    /** One fake master. */
    final class Node {
        final Address address;
        final Map<String, String> data = new ConcurrentHashMap<>();
        /** Commands read while silent, but for the proxy's CLUSTER SLOTS. */
        final AtomicInteger ignored = new AtomicInteger();
        volatile boolean silent;
        /** Where the master sends every GET and SET (MOVED), if anywhere. */
        volatile Address movedTo;
        /** Connections accepted. */
        final AtomicInteger accepted = new AtomicInteger();
        /** How long the master takes to answer a GET or SET. */
        volatile long replyDelayMillis;
        private final ServerSocket server;
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();

        Node() throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            address = new Address("127.0.0.1", server.getLocalPort());
            Thread accept = new Thread(this::accept, "fake-master-" + address.port());
            accept.setDaemon(true);
            accept.start();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    accepted.incrementAndGet();
                    sockets.add(s);
                    Thread t = new Thread(() -> serve(s), "fake-master-" + address.port() + "-conn");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(Socket s) {
            ByteBuf in = Unpooled.buffer();
            byte[] chunk = new byte[8192];
            try (s) {
                InputStream input = s.getInputStream();
                OutputStream out = s.getOutputStream();
                int n;
                while ((n = input.read(chunk)) >= 0) {
                    in.writeBytes(chunk, 0, n);
                    int end;
                    StringBuilder replies = new StringBuilder();
                    while (in.isReadable() && (end = RespScanner.end(in, in.readerIndex(), in.writerIndex())) >= 0) {
                        RespValue command = RespValue.decode(in);
                        in.readerIndex(end);
                        if (silent) {
                            if (!isClusterCommand(command)) {
                                ignored.incrementAndGet();
                            }
                        } else {
                            replies.append(answer(((RespValue.Array) command).items()));
                        }
                    }
                    in.discardReadBytes();
                    if (!replies.isEmpty()) {
                        if (replyDelayMillis > 0 && !replies.toString().startsWith("*")) {
                            Thread.sleep(replyDelayMillis);
                        }
                        out.write(replies.toString().getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // the proxy closed the connection, or the test is over
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                in.release();
            }
        }

        private static boolean isClusterCommand(RespValue command) {
            return ((RespValue.Bulk) ((RespValue.Array) command).items().get(0)).text().equalsIgnoreCase("CLUSTER");
        }

        private String answer(List<RespValue> args) {
            List<String> words = new ArrayList<>();
            args.forEach(a -> words.add(((RespValue.Bulk) a).text()));
            String name = words.get(0).toUpperCase();
            Address moved = movedTo;
            if (moved != null && (name.equals("GET") || name.equals("SET"))) {
                return "-MOVED " + SessionFixture.slot(words.get(1)) + " " + moved + "\r\n";
            }
            return switch (name) {
                case "AUTH", "ASKING" -> "+OK\r\n";
                case "PING" -> "+PONG\r\n";
                case "GET" -> bulk(data.get(words.get(1)));
                case "SET" -> {
                    data.put(words.get(1), words.get(2));
                    yield "+OK\r\n";
                }
                case "CLUSTER" -> slots();
                default -> "-ERR the fake master does not run " + name + "\r\n";
            };
        }

        private static String bulk(String s) {
            return s == null ? "$-1\r\n" : "$" + s.getBytes(StandardCharsets.UTF_8).length + "\r\n" + s + "\r\n";
        }

        private String slots() {
            StringBuilder s = new StringBuilder("*" + view.size() + "\r\n");
            for (SlotTable.Range r : view) {
                s.append("*3\r\n:").append(r.first()).append("\r\n:").append(r.last()).append("\r\n*2\r\n")
                        .append(bulk(r.master().host())).append(':').append(r.master().port()).append("\r\n");
            }
            return s.toString();
        }

        void close() {
            try {
                server.close();
            } catch (IOException e) {
                // closing anyway
            }
            for (Socket s : sockets) {
                try {
                    s.close();
                } catch (IOException e) {
                    // closing anyway
                }
            }
        }
    }
}
