package io.biu.scheduler.event;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;
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

    /** What every event carries on the stream, whatever it is about. */
    @Serdeable
    public record Envelope(long seq, String type, Instant time, @Nullable Object container, @Nullable Object node) {
    }

    /**
     * Appends an event; must run inside the transaction of the change it describes.
     *
     * @param container what consumers get as the event's {@code container} (a serializable record), or null
     * @param node      what consumers get as the event's {@code node}, or null
     * @return the event's sequence number
     */
    @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
    public long append(EventType type, @Nullable String tenant, @Nullable Long appId, @Nullable Long containerId,
            @Nullable String nodeName, @Nullable Object container, @Nullable Object node) {
        events.bumpCounter();
        long seq = events.counter();
        Instant now = clock.instant();
        String payload;
        try {
            payload = json.writeValueAsString(new Envelope(seq, type.wireName(), now, container, node));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write event " + type, e);
        }
        events.save(new Event(seq, type.wireName(), tenant, appId, containerId, nodeName, payload, now, false));
        return seq;
    }
}
