package io.biu.proxy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The commands the proxy answers itself, and who a client is to it. */
class ProxyCommandsTest {

    private static final String PASSWORD = "s3cret";
    private static final String ADMIN_PASSWORD = "4dmin";
    private final SessionFixture client = new SessionFixture("passwords", Passwords.hash(PASSWORD),
            "admin.password", Passwords.hash(ADMIN_PASSWORD));

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void resetForgetsTheNameAndAsksForThePasswordAgain() {
        client.send("AUTH", PASSWORD);
        client.send("CLIENT", "SETNAME", "app");
        assertEquals("+RESET\r\n", client.send("RESET"));
        assertEquals("-NOAUTH Authentication required.\r\n", client.send("CLIENT", "GETNAME"));
        client.send("AUTH", PASSWORD);
        assertEquals("$-1\r\n", client.send("CLIENT", "GETNAME"));
    }

    @Test
    void withoutPasswordsEveryClientIsAuthenticatedAndAuthIsAnError() {
        try (SessionFixture open = new SessionFixture()) {
            assertEquals("+PONG\r\n", open.send("PING"));
            assertTrue(open.send("AUTH", "x").startsWith("-ERR AUTH <password> called without any password"));
            assertEquals("+RESET\r\n", open.send("RESET"));
            assertEquals("+PONG\r\n", open.send("PING"), "still authenticated after RESET");
        }
    }

    /** AUTH as proxy-admin does it: a challenge, answered with its HMAC under the admin password's hash. */
    private String adminAuth() {
        String challenge = client.send("BIUPROXY", "CHALLENGE");
        assertTrue(challenge.startsWith("$64\r\n"), challenge);
        byte[] nonce = java.util.HexFormat.of().parseHex(challenge.substring(5, 69));
        return client.send("AUTH", Access.ADMIN_USER, new String(AccessTest.proof(ADMIN_PASSWORD, nonce),
                java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Test
    void proxyAdminProvesItKnowsItsPasswordWithoutSendingItAndAProofWorksOnce() {
        // the password itself is refused, and so is a proof without a challenge, or for an earlier one
        assertTrue(client.send("AUTH", Access.ADMIN_USER, ADMIN_PASSWORD).startsWith("-WRONGPASS"));
        String first = client.send("BIUPROXY", "CHALLENGE");
        byte[] nonce = java.util.HexFormat.of().parseHex(first.substring(5, 69));
        String proof = new String(AccessTest.proof(ADMIN_PASSWORD, nonce), java.nio.charset.StandardCharsets.US_ASCII);
        assertEquals("+OK\r\n", client.send("AUTH", Access.ADMIN_USER, proof));
        assertTrue(client.send("AUTH", Access.ADMIN_USER, proof).startsWith("-WRONGPASS"), "a proof is used once");
        client.send("BIUPROXY", "CHALLENGE");
        assertTrue(client.send("AUTH", Access.ADMIN_USER, proof).startsWith("-WRONGPASS"), "nor for a new challenge");
        try (SessionFixture other = new SessionFixture("passwords", Passwords.hash(PASSWORD),
                "admin.password", Passwords.hash(ADMIN_PASSWORD))) {
            assertTrue(other.send("AUTH", Access.ADMIN_USER, proof).startsWith("-WRONGPASS"),
                    "nor on another connection");
        }
    }

    @Test
    void proxyAdminReplacesTheEndpointsPasswords() {
        assertEquals("+OK\r\n", adminAuth());
        assertTrue(client.send("BIUPROXY", "OTHER").startsWith("-ERR BIUPROXY takes PASSWORDS"));
        assertTrue(client.send("BIUPROXY", "PASSWORDS", "").startsWith("-ERR BIUPROXY PASSWORDS needs at least one"),
                "an empty list would open the endpoint to anyone");
        assertEquals("+OK\r\n", client.send("BIUPROXY", "PASSWORDS", Passwords.hash("n3w")));
        assertEquals("+OK\r\n", client.send("AUTH", "n3w"));
        assertTrue(client.send("AUTH", PASSWORD).startsWith("-WRONGPASS"), "the old password is gone");
    }

    @Test
    void proxyAdminReplacesTheClustersMembers() {
        assertTrue(client.send("BIUPROXY", "MEMBERS", "10.0.0.1:6379").startsWith("-NOAUTH"),
                "not before AUTH as proxy-admin");
        client.send("AUTH", PASSWORD);
        assertTrue(client.send("BIUPROXY", "MEMBERS", "10.0.0.1:6379").startsWith("-ERR unknown"),
                "nor for a client of the endpoint");
        assertEquals("+OK\r\n", adminAuth());
        assertTrue(client.send("BIUPROXY", "MEMBERS", "").startsWith("-ERR BIUPROXY MEMBERS needs at least one"),
                "an empty list would refuse every instance");
        assertTrue(client.send("BIUPROXY", "MEMBERS", "10.0.0.1").startsWith("-ERR "), "not host:port");
        assertEquals("+OK\r\n", client.send("BIUPROXY", "MEMBERS", "10.0.0.1:6379,10.0.0.2:6379,10.0.0.3:6379"));
        assertTrue(client.send("INFO").contains("cluster_members:3\r\n"), client.send("INFO"));
    }

    @Test
    void aClientsIdIsTheSameEverywhereAndItsNameIsShown() {
        client.send("AUTH", PASSWORD);
        String id = client.send("CLIENT", "ID");
        assertTrue(id.startsWith(":"), id);
        String hello = client.send("HELLO", "2", "SETNAME", "worker");
        assertTrue(hello.contains("$2\r\nid\r\n" + id), hello);
        String info = client.send("CLIENT", "INFO");
        assertTrue(info.contains("id=" + id.substring(1, id.length() - 2) + " ") && info.contains(" name=worker "),
                info);
        assertEquals("+OK\r\n", client.send("CLIENT", "SETNAME", ""));
        assertEquals("$-1\r\n", client.send("CLIENT", "GETNAME"), "an empty name clears it");
        assertTrue(client.send("CLIENT", "KILL").startsWith("-ERR the proxy does not support CLIENT KILL"));
    }

    @Test
    void infoTellsWhatTheProxyKnowsOfTheCluster() {
        client.send("AUTH", PASSWORD);
        String info = client.send("INFO");
        assertTrue(info.contains("biu_proxy:1\r\n"), info);
        assertTrue(info.contains("cluster_masters:0\r\ncluster_slots_unserved:16384\r\n"), info);
        assertTrue(info.contains("# TLS\r\ntls:0\r\n"), info);
    }

    @Test
    void pingAndEchoAnswerWithTheirArgument() {
        client.send("AUTH", PASSWORD);
        assertEquals("$2\r\nhi\r\n", client.send("PING", "hi"));
        assertEquals("-ERR wrong number of arguments for 'echo' command\r\n", client.send("ECHO"));
        assertEquals("+OK\r\n", client.send("READONLY"));
    }
}
