package io.biu.proxy;

import io.biu.proxy.server.ProxyConfig;
import io.biu.proxy.server.ProxyServer;
import java.nio.file.Path;
import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Entry point of the proxy image: {@code java -jar biu-proxy.jar CONFIG [PORT]} runs the proxy with the
 * settings in the properties file CONFIG (see {@link ProxyConfig}), on PORT if given (a host port, for a proxy
 * sharing its node's network); {@code --check-transport} prints the transport that would run and exits 0 for
 * epoll, 1 for the NIO fallback.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        // the proxy's buffers are handled in few, known places: no reference count check on every byte read
        System.setProperty("io.netty.buffer.checkAccessible",
                System.getProperty("io.netty.buffer.checkAccessible", "false"));
        System.setProperty("io.netty.buffer.checkBounds", System.getProperty("io.netty.buffer.checkBounds", "false"));
        // leak detection wraps sampled buffers, and every read of a wrapped one pays for it
        System.setProperty("io.netty.leakDetection.level",
                System.getProperty("io.netty.leakDetection.level", "disabled"));
        if (args.length == 1 && args[0].equals("--check-transport")) {
            Transport transport = Transport.detect();
            System.out.println(transport.describe());
            System.exit(transport.kind() == Transport.Kind.EPOLL ? 0 : 1);
        }
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: java -jar biu-proxy.jar CONFIG.properties [PORT] | --check-transport");
            System.exit(2);
        }
        logOneLine();
        Logger log = Logger.getLogger("io.biu.proxy");
        ProxyConfig config;
        try {
            config = ProxyConfig.load(Path.of(args[0]));
            if (args.length == 2) {
                config = config.onPort(Integer.parseInt(args[1]));
            }
        } catch (Exception e) {
            System.err.println("cannot read the configuration " + args[0] + ": " + e.getMessage());
            System.exit(2);
            return;
        }
        Transport transport = Transport.detect();
        ProxyServer server;
        try {
            server = new ProxyServer(config, transport);
        } catch (IllegalArgumentException e) {
            System.err.println("cannot serve with the configuration " + args[0] + ": " + e.getMessage());
            System.exit(2);
            return;
        }
        boolean tableRead = server.start();
        log.info("biu proxy listening on port " + server.port() + ", " + server.tlsDescription() + ", "
                + transport.describe() + ", "
                + (config.threads() > 0 ? config.threads() : Runtime.getRuntime().availableProcessors())
                + " event loops, seeds " + config.seeds() + (tableRead ? ", slot table read: "
                + server.table().masters().size() + " masters" : ", slot table not read yet (retrying)"));
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shutdown"));
        Thread.currentThread().join();
    }

    private static void logOneLine() {
        Logger root = Logger.getLogger("");
        for (var h : root.getHandlers()) {
            root.removeHandler(h);
        }
        ConsoleHandler handler = new ConsoleHandler();
        handler.setFormatter(new SimpleFormatter() {
            @Override
            public String format(LogRecord r) {
                return String.format("%1$tFT%1$tT.%1$tLZ %2$s %3$s%n", r.getMillis(), r.getLevel(), formatMessage(r));
            }
        });
        root.addHandler(handler);
        root.setLevel(Level.INFO);
    }
}
