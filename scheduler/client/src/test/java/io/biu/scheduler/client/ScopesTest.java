package io.biu.scheduler.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScopesTest {

    @Test
    void readAndWriteFollowTheMethodAndTheThreeOperationsHaveScopesOfTheirOwn() {
        assertEquals("redis-ctl:read", Scopes.needed("redis-ctl", "GET", "/api/v1/clusters/7"));
        assertEquals("redis-ctl:read", Scopes.needed("redis-ctl", "HEAD", "/api/v1/clusters"));
        assertEquals("redis-ctl:write", Scopes.needed("redis-ctl", "POST", "/api/v1/clusters"));
        assertEquals("redis-ctl:write", Scopes.needed("redis-ctl", "DELETE", "/api/v1/clusters/7"));
        assertEquals("scheduler:write", Scopes.needed("scheduler", "PUT", "/api/v1/apps/web/scale"));
        assertEquals(Scopes.INTROSPECT, Scopes.needed("scheduler", "POST", "/api/v1/tokens/introspect"));
        assertEquals(Scopes.CONNECTION, Scopes.needed("redis-ctl", "GET", "/api/v1/clusters/7/connection"));
        assertEquals(Scopes.MEMBERS, Scopes.needed("proxy-admin", "POST", "/api/v1/endpoints/members"));
        // another spelling of the path needs read or write, and the controller asks for its scope besides
        assertEquals("redis-ctl:read", Scopes.needed("redis-ctl", "GET", "/api/v1//clusters/7/connection"));
        assertEquals("scheduler:write", Scopes.needed("scheduler", "POST", "/api/v1/tokens/introspect/"));
        // the path of another service's operation is nothing special here
        assertEquals("redis-ctl:write", Scopes.needed("redis-ctl", "POST", "/api/v1/endpoints/members"));
    }

    @Test
    void givenScopesAreCheckedAndKeptInOneOrder() {
        assertEquals(List.of("scheduler:read", "redis-ctl:write", "redis-ctl:connection"),
                List.copyOf(Scopes.of(List.of(" Redis-Ctl:Connection", "redis-ctl:write", "scheduler:read",
                        "redis-ctl:write"))));
        assertEquals(Set.of(), Scopes.split(null));
        assertEquals(Set.of("proxy-admin:members", "scheduler:introspect"),
                Scopes.split("proxy-admin:members  scheduler:introspect"));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> Scopes.of(List.of("redis-ctl:read", "redis-ctl:admin")));
        assertTrue(unknown.getMessage().contains("'redis-ctl:admin' is not a scope"), unknown.getMessage());
        assertTrue(unknown.getMessage().contains("redis-ctl:connection"), unknown.getMessage());
        IllegalArgumentException longOne = assertThrows(IllegalArgumentException.class,
                () -> Scopes.of(List.of("x".repeat(5000))));
        assertTrue(longOne.getMessage().length() < 200, "bad input is not echoed whole");
        assertThrows(IllegalArgumentException.class, () -> Scopes.of(Collections.nCopies(200, "redis-ctl:read")));
        assertEquals(11, Scopes.ALL.size());
    }
}
