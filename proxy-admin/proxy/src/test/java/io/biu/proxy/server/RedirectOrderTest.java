package io.biu.proxy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.biu.proxy.Transport;
import io.biu.proxy.resp.RespScanner;
import io.biu.proxy.resp.RespValue;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** An earlier write parked for a retry while later writes of the same key, sent behind it, come back redirected. */
class RedirectOrderTest {

    @Test
    void aLaterWriteRedirectedWhileAnEarlierOneWaitsForItsRetryDoesNotRunFirst() throws Exception {
        try (FakeCluster cluster = new FakeCluster(); ServerSocket source = new ServerSocket(0, 50,
                InetAddress.getLoopbackAddress())) {
            FakeCluster.Node target = cluster.node();
            String src = "127.0.0.1:" + source.getLocalPort();
            Thread t = new Thread(() -> serve(source, target.address.toString()));
            t.setDaemon(true);
            t.start();
            Properties p = new Properties();
            p.setProperty("port", "0");
            p.setProperty("threads", "1");
            p.setProperty("seeds", src);
            p.setProperty("members", src + "," + target.address);
            try (ProxyServer proxy = new ProxyServer(ProxyConfig.of(p), Transport.detect())) {
                proxy.start();
                try (SocketClient client = new SocketClient(proxy.port())) {
                    client.send(cmd("GET", "warm")); // opens both connections (the source ASKs it to the target)
                    assertEquals("$null", client.reply());
                    client.send(cmd("SET", "k", "first"), cmd("SET", "k", "second"), cmd("GET", "k"));
                    assertEquals(new RespValue.Simple("OK"), client.reply());
                    assertEquals(new RespValue.Simple("OK"), client.reply());
                    assertEquals("$second", client.reply());
                    assertEquals("second", target.data.get("k"), "the last write wins");
                }
            }
        }
    }

    private static String cmd(String... args) {
        return SessionFixture.command(args);
    }

    /**
     * The slot's old master: CLUSTER SLOTS names it for every slot; k's first three commands are answered in one
     * segment, TRYAGAIN for the first, ASK for the others; everything else is ASKed to the target.
     */
    private static void serve(ServerSocket server, String target) {
        int[] keyed = {0};
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> {
                    ByteBuf in = Unpooled.buffer();
                    StringBuilder held = new StringBuilder();
                    byte[] chunk = new byte[8192];
                    try (s) {
                        OutputStream out = s.getOutputStream();
                        for (int n; (n = s.getInputStream().read(chunk)) >= 0; ) {
                            in.writeBytes(chunk, 0, n);
                            for (int end; (end = RespScanner.end(in, in.readerIndex(), in.writerIndex())) >= 0; ) {
                                var items = ((RespValue.Array) RespValue.decode(in)).items();
                                in.readerIndex(end);
                                String name = ((RespValue.Bulk) items.get(0)).text().toUpperCase();
                                String key = items.size() > 1 ? ((RespValue.Bulk) items.get(1)).text() : "";
                                String ask = "-ASK " + SessionFixture.slot(key) + " " + target + "\r\n";
                                held.append(name.equals("CLUSTER") ? "*1\r\n*3\r\n:0\r\n:16383\r\n*2\r\n$9\r\n"
                                        + "127.0.0.1\r\n:" + server.getLocalPort() + "\r\n"
                                        : !name.equals("SET") && !name.equals("GET") ? "+OK\r\n"
                                        : !key.equals("k") ? ask
                                        : ++keyed[0] == 1 ? "-TRYAGAIN Multiple keys request during rehashing\r\n"
                                        : ask);
                            }
                            in.discardReadBytes();
                            if (held.length() > 0 && (keyed[0] == 0 || keyed[0] >= 3)) {
                                out.write(held.toString().getBytes(StandardCharsets.UTF_8));
                                held.setLength(0);
                            }
                        }
                    } catch (Exception e) {
                        // closed
                    } finally {
                        in.release();
                    }
                });
                t.setDaemon(true);
                t.start();
            } catch (Exception e) {
                return;
            }
        }
    }
}
