package io.biu.proxy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AccessTest {

    private static final Passwords CLIENTS = Passwords.parse(Passwords.hash("client-pw"));
    private static final Passwords ADMIN = Passwords.parse(Passwords.hash("admin-pw"));

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theDefaultUserWithAClientPasswordIsAClient() {
        Access access = new Access(CLIENTS, ADMIN);
        assertEquals(Access.Role.CLIENT, access.check("default", utf8("client-pw")));
        assertEquals(Access.Role.NONE, access.check("default", utf8("admin-pw")));
        assertEquals(Access.Role.NONE, access.check("default", utf8("wrong")));
    }

    @Test
    void theAdminUserWithTheAdminPasswordIsTheAdmin() {
        Access access = new Access(CLIENTS, ADMIN);
        assertEquals(Access.Role.ADMIN, access.check(Access.ADMIN_USER, utf8("admin-pw")));
        assertEquals(Access.Role.NONE, access.check(Access.ADMIN_USER, utf8("client-pw")));
    }

    @Test
    void otherUsersAreNobody() {
        Access access = new Access(CLIENTS, ADMIN);
        assertEquals(Access.Role.NONE, access.check("alice", utf8("client-pw")));
        assertEquals(Access.Role.NONE, access.check("Default", utf8("client-pw")));
        assertEquals(Access.Role.NONE, access.check("BIU-ADMIN", utf8("admin-pw")));
    }

    @Test
    void withoutAnAdminPasswordThereIsNoAdmin() {
        Access access = new Access(Passwords.parse(""), Passwords.parse(""));
        assertFalse(access.required());
        assertEquals(Access.Role.NONE, access.check(Access.ADMIN_USER, utf8("")));
        assertEquals(Access.Role.NONE, access.check(Access.ADMIN_USER, utf8("anything")));
    }

    @Test
    void replacedClientPasswordsTakeEffectAtOnce() {
        Access access = new Access(CLIENTS, ADMIN);
        assertTrue(access.required());
        access.replaceClientPasswords(Passwords.parse(Passwords.hash("rotated") + ","
                + Passwords.hash("client-pw") + "@" + (System.currentTimeMillis() + 60_000)));
        assertEquals(Access.Role.CLIENT, access.check("default", utf8("rotated")));
        assertEquals(Access.Role.CLIENT, access.check("default", utf8("client-pw")), "within its grace period");
        access.replaceClientPasswords(Passwords.parse(Passwords.hash("rotated") + ","
                + Passwords.hash("client-pw") + "@" + (System.currentTimeMillis() - 1)));
        assertEquals(Access.Role.NONE, access.check("default", utf8("client-pw")), "after its grace period");
        assertEquals(Access.Role.ADMIN, access.check(Access.ADMIN_USER, utf8("admin-pw")), "admin untouched");
        access.replaceClientPasswords(Passwords.parse(""));
        assertFalse(access.required());
    }
}
