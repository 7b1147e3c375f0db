package io.biu.redismonitor.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.serde.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading nginx's status document; nothing here calls nginx. */
class NginxStatusTest {

    private final NginxStatus nginx = new NginxStatus("", ObjectMapper.getDefault());

    private void assertUnreadable(String body) {
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> nginx.rates(body));
        assertEquals("nginx's status is not what was expected", e.getMessage());
    }

    @Test
    void readsTheRateOfEveryApp() {
        assertEquals(Map.of("acme/shop", 12.5), nginx.rates("""
                {"apps": {"shop": {"tenant": "acme", "app": "shop", "requests_per_second": 12.5, "version": 3}}}
                """), "an app is named tenant/app when its entry says both");
        Map<String, Double> rates = nginx.rates("""
                {"apps": {"acme/shop": {"requests_per_second": 12.5}, "acme/blog": {"requests_per_second": 0.25}, "zeta/api": {"requests_per_second": 300}}}
                """);
        assertEquals(Map.of("acme/shop", 12.5, "acme/blog", 0.25, "zeta/api", 300.0), rates);
    }

    @Test
    void anAppWithoutARateHasNone() {
        assertEquals(Map.of("acme/shop", 0.0, "acme/blog", 3.0),
                nginx.rates("{\"apps\": {\"acme/shop\": {}, \"acme/blog\": {\"requests_per_second\": 3}}}"));
        assertEquals(Map.of("acme/shop", 0.0), nginx.rates("{\"apps\": {\"acme/shop\": {\"requests_per_second\": null}}}"));
    }

    @Test
    void anAppMappedToNullHasARateOfZero() {
        assertEquals(Map.of("acme/shop", 0.0, "acme/blog", 2.0),
                nginx.rates("{\"apps\": {\"acme/shop\": null, \"acme/blog\": {\"requests_per_second\": 2}}}"));
        assertEquals(Map.of("acme/shop", 0.0), nginx.rates("{\"apps\": {\"acme/shop\": null}}"));
    }

    @Test
    void anAppWithANegativeRateIsLeftOut() {
        assertEquals(Map.of("acme/blog", 0.0, "zeta/api", 4.0), nginx.rates("""
                {"apps": {"acme/shop": {"requests_per_second": -1}, "acme/blog": {"requests_per_second": 0}, "acme/wiki": {"requests_per_second": -0.001},
                          "zeta/api": {"requests_per_second": 4}}}
                """));
        assertEquals(Map.of(), nginx.rates("{\"apps\": {\"acme/shop\": {\"requests_per_second\": -250.5}}}"));
    }

    @Test
    void anAppWhoseRateIsNotFiniteIsLeftOut() {
        // 1e999 overflows a double to infinity; the quoted words are read as NaN and infinity
        assertEquals(Map.of("zeta/api", 4.0), nginx.rates("""
                {"apps": {"acme/shop": {"requests_per_second": 1e999}, "acme/blog": {"requests_per_second": -1e999}, "acme/wiki": {"requests_per_second": "NaN"},
                          "acme/docs": {"requests_per_second": "Infinity"}, "zeta/api": {"requests_per_second": 4}}}
                """));
        assertEquals(Map.of("acme/shop", Double.MAX_VALUE),
                nginx.rates("{\"apps\": {\"acme/shop\": {\"requests_per_second\": 1.7976931348623157e308}}}"),
                "the largest finite rate is kept");
    }

    @Test
    void aNullBodyOrOneThatReadsAsNullIsRefused() {
        UncheckedIOException none = assertThrows(UncheckedIOException.class, () -> nginx.rates(null));
        assertEquals("nginx's status is not what was expected", none.getMessage());
        assertEquals("the status is empty", none.getCause().getMessage());
        for (String body : new String[] {"null", " null\n"}) {
            UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> nginx.rates(body), body);
            assertEquals("nginx's status is not what was expected", e.getMessage());
            assertEquals("the status is empty", e.getCause().getMessage());
        }
        assertUnreadable("");
        assertUnreadable("   ");
    }

    @Test
    void fieldsItDoesNotUseAreIgnored() {
        Map<String, Double> rates = nginx.rates("""
                {"version": "1.25", "connections": {"active": 4, "reading": 0},
                 "apps": {"acme/shop": {"requests": 123456, "requests_per_second": 7.5, "upstreams": ["10.0.0.1:8080"],
                                        "status": {"2xx": 100, "5xx": 1}}}}
                """);
        assertEquals(Map.of("acme/shop", 7.5), rates);
    }

    @Test
    void aStatusWithoutAppsHasNoRates() {
        assertEquals(Map.of(), nginx.rates("{}"));
        assertEquals(Map.of(), nginx.rates("{\"apps\": {}}"));
        assertEquals(Map.of(), nginx.rates("{\"apps\": null}"));
    }

    @Test
    void malformedJsonIsRefused() {
        assertUnreadable("{\"apps\": {\"acme/shop\": {\"requests_per_second\": 1}");
        assertUnreadable("<html>502 Bad Gateway</html>");
        assertUnreadable("{\"apps\": [\"acme/shop\"]}");
        assertUnreadable("{\"apps\": {\"acme/shop\": {\"requests_per_second\": \"fast\"}}}");
        assertUnreadable("{\"apps\": {\"acme/shop\": {\"requests_per_second\": NaN}}}");
    }

    @Test
    void withoutStatusUrlsThereIsNoWebTierToScale() {
        assertFalse(nginx.configured());
        assertEquals(Map.of(), nginx.rates(), "nothing to ask");
        assertFalse(new NginxStatus(null, ObjectMapper.getDefault()).configured());
        assertFalse(new NginxStatus(" , ", ObjectMapper.getDefault()).configured());
        assertTrue(new NginxStatus("http://10.0.0.1/status, http://10.0.0.2/status", ObjectMapper.getDefault())
                .configured());
    }
}
