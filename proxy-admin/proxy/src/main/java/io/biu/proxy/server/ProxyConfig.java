package io.biu.proxy.server;

import io.biu.proxy.cluster.Address;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The proxy's settings, from a properties file (delivered to the container as a secret file: it holds the
 * cluster's password and the hashes of the endpoint's passwords).
 *
 * @param port            where clients connect
 * @param threads         event loops (0: one per core)
 * @param seeds           cluster instances to learn the slot table from
 * @param members         every instance of the cluster: the only addresses the proxy connects to (default: the
 *                        seeds); proxy-admin keeps the list current ({@code BIUPROXY MEMBERS})
 * @param backendPassword the cluster's password ({@code null}: none)
 * @param passwords       hashes of the passwords clients authenticate with
 * @param adminPassword   hash of the password of proxy-admin (user {@code biu-admin}); none: no admin
 * @param maxClients      connections beyond this are refused with an error
 * @param maxRequestBytes a larger command closes its client with an error
 * @param maxPipeline     commands a client may have waiting before the proxy stops reading from it
 * @param clientBufferBytes reply bytes a client may have waiting before the proxy stops reading from it
 * @param clientBufferHardBytes reply bytes waiting for a client beyond which it is disconnected (its pipeline
 *                        was already sent on, and a client that does not read must not hold the proxy's memory);
 *                        also, above {@code clientBufferBytes}, when the proxy's buffers run short
 * @param idleTimeout     a client silent this long is closed (zero: never)
 * @param retryWindow     how long a command is retried through failovers and slot moves
 * @param nodeTimeout     the cluster's {@code cluster-node-timeout}: how long a master may be silent before the
 *                        cluster fails it over. With the retry window it makes the reply deadline of every command
 *                        the proxy sends ({@link #replyDeadline()})
 * @param refreshInterval how often the slot table is read again without being asked to
 * @param connectTimeout  for connections to the cluster's instances
 * @param authTimeout     a client that has not authenticated this long after connecting is closed (when a
 *                        password is required)
 * @param maxAuthFailures a client whose AUTH failed this many times is closed
 * @param maxUnauthenticatedPerSource connections from one address that have not authenticated yet beyond this are
 *                        refused
 * @param tls             the key and certificate read from {@code tls.file}, a secret file holding a PEM certificate
 *                        (then any that signed it) and the PKCS#8 key: clients connect with TLS, and must complete
 *                        their handshake within the auth timeout, or 10 s if that is shorter ({@code null}, when the
 *                        setting is absent or empty: plain TCP)
 */
public record ProxyConfig(int port, int threads, List<Address> seeds, List<Address> members,
        String backendPassword, Passwords passwords,
        Passwords adminPassword,
        int maxClients, long maxRequestBytes, int maxPipeline, long clientBufferBytes, long clientBufferHardBytes,
        Duration idleTimeout,
        Duration retryWindow, Duration nodeTimeout, Duration refreshInterval, Duration connectTimeout,
        Duration authTimeout, int maxAuthFailures, int maxUnauthenticatedPerSource, TlsCredentials tls) {

    public ProxyConfig {
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("seeds: give at least one instance of the cluster (host:port)");
        }
        seeds = List.copyOf(seeds);
        members = List.copyOf(members.isEmpty() ? seeds : members);
        if (clientBufferHardBytes < clientBufferBytes) {
            throw new IllegalArgumentException("client-buffer-hard-bytes (" + clientBufferHardBytes + ") must be at "
                    + "least client-buffer-bytes (" + clientBufferBytes + ")");
        }
        if (retryWindow.isNegative()) {
            throw new IllegalArgumentException("retry-window-ms (" + retryWindow.toMillis() + ") must not be negative");
        }
        if (authTimeout.isNegative() || authTimeout.isZero()) {
            throw new IllegalArgumentException("auth-timeout-ms (" + authTimeout.toMillis() + ") must be positive");
        }
        if (maxAuthFailures < 1 || maxUnauthenticatedPerSource < 1) {
            throw new IllegalArgumentException("max-auth-failures (" + maxAuthFailures + ") and "
                    + "max-unauthenticated-per-source (" + maxUnauthenticatedPerSource + ") must be at least 1");
        }
        if (nodeTimeout.isNegative() || nodeTimeout.isZero()) {
            throw new IllegalArgumentException("node-timeout-ms (" + nodeTimeout.toMillis() + ") must be positive: "
                    + "give the cluster's cluster-node-timeout");
        }
    }

    /**
     * How long a backend may leave a command the proxy sent unanswered before the proxy gives up on the connection
     * (and answers or re-sends what was waiting on it): the node timeout, after which the cluster would have replaced
     * a master that went silent, plus the retry window, in which the proxy would have found the new one.
     */
    public Duration replyDeadline() {
        return nodeTimeout.plus(retryWindow);
    }

    /** The same settings, listening on {@code otherPort}. */
    public ProxyConfig onPort(int otherPort) {
        if (otherPort <= 0 || otherPort > 65535) {
            throw new IllegalArgumentException("port " + otherPort + " is out of range");
        }
        return new ProxyConfig(otherPort, threads, seeds, members, backendPassword, passwords, adminPassword,
                maxClients, maxRequestBytes, maxPipeline, clientBufferBytes, clientBufferHardBytes, idleTimeout, retryWindow,
                nodeTimeout, refreshInterval, connectTimeout, authTimeout, maxAuthFailures,
                maxUnauthenticatedPerSource, tls);
    }

    public static ProxyConfig load(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        return of(p);
    }

    /** The settings in {@code p}; a {@code tls.file} is read now, and one missing or unfit is refused. */
    public static ProxyConfig of(Properties p) {
        return new ProxyConfig(
                Integer.parseInt(p.getProperty("port", "6379")),
                Integer.parseInt(p.getProperty("threads", "0")),
                addresses(p.getProperty("seeds", "")),
                addresses(p.getProperty("members", "")),
                emptyToNull(p.getProperty("backend.password")),
                Passwords.parse(p.getProperty("passwords", "")),
                Passwords.parse(p.getProperty("admin.password", "")),
                Integer.parseInt(p.getProperty("max-clients", "16384")),
                Long.parseLong(p.getProperty("max-request-bytes", String.valueOf(64L << 20))),
                Integer.parseInt(p.getProperty("max-pipeline", "4096")),
                Long.parseLong(p.getProperty("client-buffer-bytes", String.valueOf(4L << 20))),
                Long.parseLong(p.getProperty("client-buffer-hard-bytes", String.valueOf(32L << 20))),
                Duration.ofMillis(Long.parseLong(p.getProperty("idle-timeout-ms", "0"))),
                Duration.ofMillis(Long.parseLong(p.getProperty("retry-window-ms", "10000"))),
                Duration.ofMillis(Long.parseLong(p.getProperty("node-timeout-ms", "15000"))),
                Duration.ofMillis(Long.parseLong(p.getProperty("refresh-interval-ms", "5000"))),
                Duration.ofMillis(Long.parseLong(p.getProperty("connect-timeout-ms", "1000"))),
                Duration.ofMillis(Long.parseLong(p.getProperty("auth-timeout-ms", "10000"))),
                Integer.parseInt(p.getProperty("max-auth-failures", "3")),
                Integer.parseInt(p.getProperty("max-unauthenticated-per-source", "64")),
                tls(p.getProperty("tls.file")));
    }

    /** {@code host:port,...} */
    public static List<Address> addresses(String list) {
        List<Address> addresses = new ArrayList<>();
        for (String s : list.split(",")) {
            if (!s.isBlank()) {
                addresses.add(Address.parse(s.trim()));
            }
        }
        return addresses;
    }

    /** The credentials in {@code file}, read now ({@code null} or blank: no TLS). */
    private static TlsCredentials tls(String file) {
        return file == null || file.isBlank() ? null : TlsCredentials.read(Path.of(file.trim()));
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
