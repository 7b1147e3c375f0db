package io.biu.proxy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AccessTest {

    private static final Passwords CLIENTS = Passwords.parse(Passwords.hash("client-pw"));
    private static final Passwords ADMIN = Passwords.parse(Passwords.hash("admin-pw"));

    private static final byte[] CHALLENGE = new byte[32];
    private static final byte[] NO_CHALLENGE = null;

    static {
        new java.security.SecureRandom().nextBytes(CHALLENGE);
    }

    /** What proxy-admin answers {@code challenge} with, as AUTH's password: the HMAC's hex. */
    static byte[] proof(String password, byte[] challenge) {
        byte[] key = java.util.HexFormat.of().parseHex(Passwords.hash(password));
        return utf8(java.util.HexFormat.of().formatHex(Passwords.hmac(key, challenge)));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theDefaultUserWithAClientPasswordIsAClient() {
        Access access = new Access(CLIENTS, ADMIN);
        assertEquals(Access.Role.CLIENT, access.check("default", NO_CHALLENGE, utf8("client-pw")));
        assertEquals(Access.Role.NONE, access.check("default", NO_CHALLENGE, utf8("admin-pw")));
        assertEquals(Access.Role.NONE, access.check("default", NO_CHALLENGE, utf8("wrong")));
    }

    @Test
    void theAdminUserWithTheAdminPasswordIsTheAdmin() {
        Access access = new Access(CLIENTS, ADMIN);
        assertEquals(Access.Role.ADMIN, access.check(Access.ADMIN_USER, CHALLENGE, proof("admin-pw", CHALLENGE)));
        assertEquals(Access.Role.NONE, access.check(Access.ADMIN_USER, CHALLENGE, proof("client-pw", CHALLENGE)));
        // the password itself, a proof for another challenge, or none asked for: nothing
        assertEquals(Access.Role.NONE, access.check(Access.ADMIN_USER, CHALLENGE, utf8("admin-pw")));
        byte[] other = CHALLENGE.clone();
        other[0] ^= 1;
        assertEquals(Access.Role.NONE, access.check(Access.ADMIN_USER, other, proof("admin-pw", CHALLENGE)));
        assertEquals(Access.Role.NONE, access.check(Access.ADMIN_USER, NO_CHALLENGE, proof("admin-pw", CHALLENGE)));
    }

    @Test
    void otherUsersAreNobody() {
        Access access = new Access(CLIENTS, ADMIN);
        assertEquals(Access.Role.NONE, access.check("alice", NO_CHALLENGE, utf8("client-pw")));
        assertEquals(Access.Role.NONE, access.check("Default", NO_CHALLENGE, utf8("client-pw")));
        assertEquals(Access.Role.NONE, access.check("BIU-ADMIN", CHALLENGE, proof("admin-pw", CHALLENGE)));
    }

    @Test
    void withoutAnAdminPasswordThereIsNoAdmin() {
        Access access = new Access(Passwords.parse(""), Passwords.parse(""));
        assertFalse(access.required());
        assertEquals(Access.Role.NONE, access.check(Access.ADMIN_USER, CHALLENGE, utf8("")));
        assertEquals(Access.Role.NONE, access.check(Access.ADMIN_USER, CHALLENGE, proof("anything", CHALLENGE)));
    }

    @Test
    void replacedClientPasswordsTakeEffectAtOnce() {
        Access access = new Access(CLIENTS, ADMIN);
        assertTrue(access.required());
        access.replaceClientPasswords(Passwords.parse(Passwords.hash("rotated") + ","
                + Passwords.hash("client-pw") + "@" + (System.currentTimeMillis() + 60_000)));
        assertEquals(Access.Role.CLIENT, access.check("default", NO_CHALLENGE, utf8("rotated")));
        assertEquals(Access.Role.CLIENT, access.check("default", NO_CHALLENGE, utf8("client-pw")),
                "within its grace period");
        access.replaceClientPasswords(Passwords.parse(Passwords.hash("rotated") + ","
                + Passwords.hash("client-pw") + "@" + (System.currentTimeMillis() - 1)));
        assertEquals(Access.Role.NONE, access.check("default", NO_CHALLENGE, utf8("client-pw")),
                "after its grace period");
        assertEquals(Access.Role.ADMIN, access.check(Access.ADMIN_USER, CHALLENGE, proof("admin-pw", CHALLENGE)),
                "admin untouched");
        access.replaceClientPasswords(Passwords.parse(""));
        assertFalse(access.required());
    }
}
