package io.biu.proxy.server;

import io.biu.proxy.cluster.Address;
import io.biu.proxy.cluster.SlotTable;
import io.biu.proxy.resp.Request;
import io.biu.proxy.resp.Resp;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The commands the proxy runs itself, for one client: it answers the connection's own (PING, ECHO, AUTH, HELLO,
 * SELECT, CLIENT, INFO, QUIT, RESET...) and proxy-admin's BIUPROXY (CHALLENGE, PASSWORDS, MEMBERS, CERT), and hands
 * the ones it orchestrates to the {@link Transaction} (MULTI, EXEC, DISCARD) or the {@link CommandRouter} (KEYS,
 * DBSIZE, FLUSHALL, SCRIPT, SCAN, TIME...).
 *
 * <p>It owns who the client is: whether it is authenticated, whether as proxy-admin, and its name.
 * Invariants: a client is authenticated from the start when no password is required, otherwise only by an
 * AUTH or HELLO AUTH with a password {@link Access} accepts; a failed AUTH leaves the connection as it was (as
 * with Redis, though the session counts it); only an admin may run BIUPROXY, and to anyone else it does not exist;
 * BIUPROXY never leaves the endpoint without a password.
 */
final class ProxyCommands {

    private final ClientSession session;
    private final Access access;
    private final Stats stats;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SlotTable table;
    private final Dispatcher dispatcher;
    private final TlsServing tls;
    private boolean authenticated;
    private boolean admin;
    /** The last challenge this connection was given ({@code BIUPROXY CHALLENGE}), until an AUTH uses it. */
    private byte[] challenge;
    private String name;

    ProxyCommands(ClientSession session, Access access, Stats stats, Dispatcher dispatcher, TlsServing tls) {
        this.session = session;
        this.access = access;
        this.stats = stats;
        this.table = dispatcher.table();
        this.dispatcher = dispatcher;
        this.tls = tls;
    }

    /** The client connected: it is authenticated if no password is required. */
    void connected() {
        authenticated = !access.required();
    }

    boolean authenticated() {
        return authenticated;
    }

    /** Runs {@code command}, one with the {@link Commands.Route#PROXY} route; {@code r}'s reference passes here. */
    void run(Pending p, Request r, String command) {
        try {
            switch (command) {
                case "PING" -> reply(p, r.argc() > 1 ? Resp.bulk(session.alloc(), r.arg(1)) : Resp.PONG.duplicate());
                case "ECHO" -> reply(p, r.argc() == 2 ? Resp.bulk(session.alloc(), r.arg(1))
                        : Resp.error(session.alloc(), "ERR wrong number of arguments for 'echo' command"));
                case "AUTH" -> auth(p, r);
                case "HELLO" -> hello(p, r);
                case "SELECT" -> reply(p, r.argc() == 2 && r.argText(1).equals("0") ? Resp.OK.duplicate()
                        : Resp.error(session.alloc(), "ERR DB index is out of range (a cluster has database 0 only)"));
                case "QUIT" -> {
                    reply(p, Resp.OK.duplicate());
                    session.replies.closeAfterReplies();
                }
                case "RESET" -> {
                    session.transaction.clear();
                    name = null;
                    authenticated = !access.required();
                    reply(p, Resp.simple(session.alloc(), "RESET"));
                }
                case "READONLY", "READWRITE", "UNWATCH" -> reply(p, Resp.OK.duplicate());
                case "CLIENT" -> client(p, r);
                case "INFO" -> reply(p, Resp.bulk(session.alloc(), info()));
                case "BIUPROXY" -> biuproxy(p, r);
                case "MULTI" -> session.transaction.multi(p);
                case "EXEC" -> session.transaction.exec(p);
                case "DISCARD" -> session.transaction.discard(p);
                case "WATCH" -> error(p, "ERR WATCH is not supported by the proxy: its connections to the "
                        + "cluster are shared, so a watch could not be kept; use a transaction or a script");
                case "COMMAND", "TIME", "RANDOMKEY" -> {
                    session.router.anyMaster(p, r);
                    return;
                }
                case "KEYS" -> {
                    session.router.everyMaster(p, r, Merges.CONCAT, true);
                    return;
                }
                case "DBSIZE" -> {
                    session.router.everyMaster(p, r, Merges.SUM, true);
                    return;
                }
                case "FLUSHALL", "FLUSHDB" -> {
                    session.router.everyMaster(p, r, Merges.ALL_OK, false);
                    return;
                }
                case "SCRIPT" -> {
                    session.router.everyMaster(p, r, Merges.FIRST, false);
                    return;
                }
                case "SCAN" -> {
                    session.router.scan(p, r);
                    return;
                }
                default -> error(p, "ERR unsupported command '" + command + "'");
            }
        } catch (RuntimeException e) {
            error(p, "ERR " + e.getMessage());
        }
        r.release();
    }

    private void auth(Pending p, Request r) {
        if (r.argc() < 2 || r.argc() > 3) {
            error(p, "ERR wrong number of arguments for 'auth' command");
        } else if (!access.required()) {
            error(p, "ERR AUTH <password> called without any password configured for the default user. "
                    + "Are you sure your configuration is correct?");
        } else if (checkPassword(r.argc() == 3 ? r.argText(1) : "default", r.arg(r.argc() - 1))) {
            reply(p, Resp.OK.duplicate());
        } else {
            wrongPassword(p);
        }
    }

    /** Answers a failed AUTH, then counts it: the session closes a client that failed too often, after the answer. */
    private void wrongPassword(Pending p) {
        error(p, "WRONGPASS invalid username-password pair or user is disabled.");
        session.authFailed();
    }

    private boolean checkPassword(String user, byte[] password) {
        byte[] given = challenge;
        challenge = null; // one AUTH per challenge
        Access.Role role = access.check(user, given, password);
        if (role == Access.Role.NONE) {
            // as Redis: a failed AUTH leaves the connection as it was (but the caller counts it once it answered)
            return false;
        }
        authenticated = true;
        admin = role == Access.Role.ADMIN;
        session.authenticated();
        return true;
    }

    /**
     * BIUPROXY PASSWORDS hash[@untilMillis],...: proxy-admin replaces the endpoint's passwords. BIUPROXY MEMBERS
     * host:port,...: proxy-admin replaces the list of the cluster's instances, the only addresses the proxy
     * connects to. BIUPROXY CERT pem: proxy-admin replaces the certificate served to new connections with one for the
     * same key ({@link TlsServing#replace}).
     */
    private void biuproxy(Pending p, Request r) {
        if (r.argc() == 2 && r.argIs(1, "CHALLENGE")) {
            challenge = new byte[32];
            RANDOM.nextBytes(challenge);
            reply(p, Resp.bulk(session.alloc(), HexFormat.of().formatHex(challenge)));
        } else if (!admin) {
            error(p, "ERR unknown or unsupported command 'BIUPROXY': the Biu proxy does not run it");
        } else if (r.argc() == 3 && r.argIs(1, "PASSWORDS")) {
            Passwords next = Passwords.parse(r.argText(2));
            if (!next.required()) {
                error(p, "ERR BIUPROXY PASSWORDS needs at least one hash: an empty list would leave the endpoint "
                        + "open to anyone");
                return;
            }
            access.replaceClientPasswords(next);
            reply(p, Resp.OK.duplicate());
        } else if (r.argc() == 3 && r.argIs(1, "MEMBERS")) {
            List<Address> members = ProxyConfig.addresses(r.argText(2));
            if (members.isEmpty()) {
                error(p, "ERR BIUPROXY MEMBERS needs at least one host:port: an empty list would refuse every "
                        + "instance");
                return;
            }
            dispatcher.members().replace(members);
            dispatcher.membersChanged();
            reply(p, Resp.OK.duplicate());
        } else if (r.argc() == 3 && r.argIs(1, "CERT")) {
            try {
                tls.replace(r.argText(2));
            } catch (IllegalArgumentException e) {
                error(p, "ERR BIUPROXY CERT: " + e.getMessage());
                return;
            }
            reply(p, Resp.OK.duplicate());
        } else {
            error(p, "ERR BIUPROXY takes PASSWORDS <hash[@untilMillis],...>, MEMBERS <host:port,...> or "
                    + "CERT <PEM certificate>");
        }
    }

    /** HELLO [protover [AUTH user pass] [SETNAME name]]: RESP2 only; RESP3 gets NOPROTO, so clients fall back. */
    private void hello(Pending p, Request r) {
        int i = 1;
        if (r.argc() > 1) {
            long version;
            try {
                version = r.argLong(1);
            } catch (RuntimeException e) {
                error(p, "ERR Protocol version is not an integer or out of range");
                return;
            }
            if (version != 2) {
                error(p, "NOPROTO sorry, this protocol version is not supported");
                return;
            }
            i = 2;
        }
        for (; i < r.argc(); i++) {
            if (r.argIs(i, "AUTH") && i + 2 < r.argc()) {
                if (!checkPassword(r.argText(i + 1), r.arg(i + 2))) {
                    wrongPassword(p);
                    return;
                }
                i += 2;
            } else if (r.argIs(i, "SETNAME") && i + 1 < r.argc()) {
                name = r.argText(++i);
            } else {
                error(p, "ERR Syntax error in HELLO option '" + ClientSession.printable(r.argText(i)) + "'");
                return;
            }
        }
        if (!authenticated) {
            error(p, "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO "
                    + "<proto> AUTH <user> <pass> option can be used to authenticate the client and select the "
                    + "RESP protocol version at the same time");
            return;
        }
        ByteBuf out = session.alloc().buffer(160);
        Resp.writeArrayHeader(out, 14);
        for (String s : new String[] {"server", "redis", "version", "7.0.0", "proto"}) {
            Resp.writeBulk(out, s.getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(":2\r\n".getBytes(StandardCharsets.US_ASCII));
        Resp.writeBulk(out, "id".getBytes(StandardCharsets.US_ASCII));
        out.writeByte(':');
        Resp.writeDecimal(out, clientId());
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        for (String s : new String[] {"mode", "standalone", "role", "master", "modules"}) {
            Resp.writeBulk(out, s.getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("*0\r\n".getBytes(StandardCharsets.US_ASCII));
        reply(p, out);
    }

    private long clientId() {
        return session.channel().id().hashCode() & 0x7fffffffL;
    }

    private void client(Pending p, Request r) {
        String sub = r.argc() > 1 ? r.argText(1).toUpperCase(Locale.ROOT) : "";
        switch (sub) {
            case "SETNAME" -> {
                if (r.argc() != 3) {
                    error(p, "ERR wrong number of arguments for 'client|setname' command");
                } else {
                    name = r.argText(2).isEmpty() ? null : r.argText(2);
                    reply(p, Resp.OK.duplicate());
                }
            }
            case "GETNAME" -> reply(p, name == null ? Resp.NULL_BULK.duplicate() : Resp.bulk(session.alloc(), name));
            case "ID" -> reply(p, Resp.integer(session.alloc(), clientId()));
            case "SETINFO", "NO-EVICT", "NO-TOUCH", "REPLY" -> reply(p, Resp.OK.duplicate());
            case "INFO" -> reply(p, Resp.bulk(session.alloc(), "id=" + clientId() + " addr="
                    + session.channel().remoteAddress() + " name=" + (name == null ? "" : name) + " db=0\n"));
            default -> error(p, "ERR the proxy does not support CLIENT " + ClientSession.printable(sub));
        }
    }

    private String info() {
        return "# Server\r\nredis_version:7.0.0\r\nredis_mode:standalone\r\nbiu_proxy:1\r\n\r\n"
                + "# Proxy\r\n" + stats.info() + "\r\n"
                + "# Cluster\r\ncluster_masters:" + table.masters().size() + "\r\n"
                + "cluster_slots_unserved:" + table.uncovered() + "\r\n"
                + "slot_table_version:" + table.version() + "\r\n"
                + "cluster_members:" + dispatcher.members().size() + "\r\n"
                + "cluster_members_refused:" + dispatcher.members().refused() + "\r\n\r\n"
                + "# TLS\r\n" + tls.info();
    }

    private static void reply(Pending p, ByteBuf reply) {
        p.complete(reply);
    }

    private void error(Pending p, String message) {
        session.error(p, message);
    }
}
