package io.biu.scheduler.event;

import io.biu.scheduler.api.Caller;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * {@code GET /api/v1/events?after=SEQ}: the same events as the bus's stream, from the outbox. Tenants see
 * their own containers' events; operators and services acting for no tenant see all.
 */
@Controller("/api/v1/events")
@Tag(name = "events")
final class EventController {

    private final EventRepository events;
    private final JsonMapper json;

    EventController(EventRepository events, JsonMapper json) {
        this.events = events;
        this.json = json;
    }

    @Get
    List<JsonNode> after(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @Nullable @QueryValue Long after,
            @Nullable @QueryValue Integer limit) {
        long from = after == null ? 0 : after;
        int max = limit == null ? 500 : Math.max(1, Math.min(5000, limit));
        // acting for no tenant means an operator or a service: they see every event
        List<Event> page = caller.tenant() == null ? events.after(from, max)
                : events.afterForTenant(from, caller.tenant(), max);
        return page.stream().map(e -> {
            try {
                // as stored: a page is never unreadable because one event is
                return json.readValue(e.payload(), JsonNode.class);
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }).toList();
    }
}
