package io.biu.scheduler.client.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CallerTest {

    @Test
    void onlyAServiceWithoutTenantActsForAllTenants() {
        assertTrue(new Caller("redis-monitor", "service", null).actsForAllTenants());
        assertFalse(new Caller("proxy-admin", "service", "acme").actsForAllTenants());
        assertFalse(new Caller("ci", "tenant", "acme").actsForAllTenants());
        assertFalse(new Caller("admin", "operator", "acme").actsForAllTenants());
    }
}
