package io.biu.cli.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ApiErrorsTest {

    @Test
    void anUnknownTokenIsUnauthorizedAndSaysWhereTokensComeFrom() {
        CliException e = ApiErrors.of("redis-ctl", 401, "{\"error\":\"UNAUTHENTICATED\",\"message\":\"the token is "
                + "unknown or revoked\"}");
        assertEquals(Failure.UNAUTHORIZED, e.failure());
        assertEquals(4, e.failure().exitCode());
        assertEquals("redis-ctl: the token is unknown or revoked", e.getMessage());
        assertTrue(e.hint().contains("BIU_TOKEN"), e.hint());
    }

    @Test
    void aForbiddenCallIsUnauthorized() {
        assertEquals(Failure.UNAUTHORIZED, ApiErrors.of("scheduler", 403, "{\"error\":\"FORBIDDEN\",\"message\":"
                + "\"listing tokens needs an operator token\"}").failure());
    }

    @Test
    void aMissingTenantTellsOperatorsAboutTenantOption() {
        CliException e = ApiErrors.of("redis-ctl", 400, "{\"error\":\"INVALID\",\"message\":\"an operator token "
                + "must name the tenant it acts for in the X-Biu-Tenant header\"}");
        assertEquals(Failure.FAILED, e.failure());
        assertTrue(e.hint().contains("--tenant"), e.hint());
    }

    @Test
    void aRefusedRequestCarriesTheApisMessage() {
        CliException e = ApiErrors.of("redis-ctl", 400, "{\"error\":\"INVALID\",\"message\":\"memory must be "
                + "between 64MiB and 512GiB per instance, not 1MiB\"}");
        assertEquals(Failure.FAILED, e.failure());
        assertEquals("redis-ctl: memory must be between 64MiB and 512GiB per instance, not 1MiB", e.getMessage());
        assertNull(e.hint());
    }

    @Test
    void aServiceThatCannotReachAnotherIsUnreachable() {
        assertEquals(Failure.UNREACHABLE, ApiErrors.of("admin", 502, "{\"error\":\"UNAVAILABLE\",\"message\":\"cannot "
                + "check the token\"}").failure());
    }

    @Test
    void aServerErrorPointsAtTheServicesLogAndBodiesThatAreNotJsonAreShownAsTheyAre() {
        CliException e = ApiErrors.of("redis-monitor", 500, "Internal Server Error");
        assertEquals(Failure.FAILED, e.failure());
        assertEquals("redis-monitor: Internal Server Error", e.getMessage());
        assertTrue(e.hint().contains("./biu logs redis-monitor"), e.hint());
        assertEquals("scheduler: HTTP 404", ApiErrors.of("scheduler", 404, "").getMessage());
    }
}
