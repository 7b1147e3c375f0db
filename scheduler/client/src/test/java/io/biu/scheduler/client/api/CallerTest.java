package io.biu.scheduler.client.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.biu.scheduler.client.TokenKind;
import org.junit.jupiter.api.Test;

class CallerTest {

    @Test
    void onlyAServiceWithoutTenantActsForAllTenants() {
        assertTrue(new Caller("redis-monitor", TokenKind.SERVICE, null).actsForAllTenants());
        assertFalse(new Caller("proxy-admin", TokenKind.SERVICE, "acme").actsForAllTenants());
        assertFalse(new Caller("ci", TokenKind.TENANT, "acme").actsForAllTenants());
        assertFalse(new Caller("admin", TokenKind.OPERATOR, "acme").actsForAllTenants());
    }
}
