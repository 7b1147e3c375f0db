package io.biu.proxy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class PasswordsTest {

    private static final long NOW = 1_700_000_000_000L;

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void hashIsSha256InLowerCaseHex() {
        assertEquals("5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8", Passwords.hash("password"));
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Passwords.hash("abc"));
    }

    @Test
    void noHashMeansNoPasswordIsRequired() {
        assertFalse(Passwords.parse("").required());
        assertFalse(Passwords.parse(" , ,").required());
        assertFalse(Passwords.parse("").accepts(utf8(""), NOW));
    }

    @Test
    void acceptsThePasswordOfTheHashOnly() {
        Passwords p = Passwords.parse(Passwords.hash("s3cret"));
        assertTrue(p.required());
        assertTrue(p.accepts(utf8("s3cret"), NOW));
        assertFalse(p.accepts(utf8("S3cret"), NOW));
        assertFalse(p.accepts(utf8("s3cret "), NOW));
        assertFalse(p.accepts(utf8(""), NOW));
        assertFalse(p.accepts(utf8(Passwords.hash("s3cret")), NOW), "the hash is not the password");
    }

    @Test
    void acceptsAPasswordOfAnyBytes() throws Exception {
        byte[] password = {0, (byte) 0xff, (byte) 0xc3, '\r', '\n'};
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(password));
        assertTrue(Passwords.parse(hash).accepts(password, NOW));
    }

    @Test
    void anyOfSeveralPasswordsIsAccepted() {
        Passwords p = Passwords.parse(" " + Passwords.hash("new") + " , " + Passwords.hash("old") + "@" + (NOW + 1)
                + ",");
        assertTrue(p.accepts(utf8("new"), NOW));
        assertTrue(p.accepts(utf8("old"), NOW));
        assertFalse(p.accepts(utf8("other"), NOW));
    }

    @Test
    void aPasswordWithAnExpiryIsAcceptedUntilThenOnly() {
        Passwords p = Passwords.parse(Passwords.hash("new") + "," + Passwords.hash("old") + "@" + NOW);
        assertTrue(p.accepts(utf8("old"), NOW - 1));
        assertFalse(p.accepts(utf8("old"), NOW));
        assertFalse(p.accepts(utf8("old"), NOW + 1));
        assertTrue(p.accepts(utf8("new"), Long.MAX_VALUE - 1));
        assertTrue(p.required(), "an expired password still means a password is required");
        assertFalse(Passwords.parse(Passwords.hash("old") + "@" + NOW).accepts(utf8("old"), NOW + 1));
    }

    @Test
    void upperCaseHexIsAHashToo() {
        assertTrue(Passwords.parse(Passwords.hash("x").toUpperCase(Locale.ROOT)).accepts(utf8("x"), NOW));
    }

    @Test
    void refusesWhatIsNotASha256Hash() {
        String good = Passwords.hash("x");
        for (String bad : new String[] {"nothex", good.substring(1), good.substring(2), good + "00", "zz"
            + good.substring(2), good + "@", good + "@soon", good + "@12@13", "@" + NOW, "password"}) {
            assertThrows(IllegalArgumentException.class, () -> Passwords.parse(bad), bad);
        }
    }
}
