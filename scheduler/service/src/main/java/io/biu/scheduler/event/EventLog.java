package io.biu.scheduler.event;

import io.biu.scheduler.client.EventType;
import io.biu.scheduler.client.Schema;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;

/**
 * The outbox: {@link #append} writes an event in the caller's transaction, so the event exists if and
 * only if the state change it describes was committed.
 */
@Singleton
public class EventLog {

    private final EventRepository events;
    private final JsonMapper json;
    private final Clock clock;

    EventLog(EventRepository events, JsonMapper json, Clock clock) {
        this.events = events;
        this.json = json;
        this.clock = clock;
    }

    /**
     * Appends an event; must run inside the transaction of the change it describes.
     *
     * @param container the container the event is about, as consumers get it, or null
     * @param node      the node the event is about, as consumers get it, or null
     * @return the event's sequence number
     */
    @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
    public long append(EventType type, @Nullable String tenant, @Nullable Long appId, @Nullable Long containerId,
            @Nullable String nodeName, @Nullable Schema.EventContainer container, @Nullable Schema.EventNode node) {
        events.bumpCounter();
        long seq = events.counter();
        Instant now = clock.instant();
        String payload;
        try {
            payload = json.writeValueAsString(new Schema.Event(seq, type.wireName(), now, container, node));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write event " + type, e);
        }
        events.save(new Event(seq, type.wireName(), tenant, appId, containerId, nodeName, payload, now, false));
        return seq;
    }
}
