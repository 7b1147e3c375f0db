package io.biu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.biu.cli.api.CliException;
import io.biu.cli.api.Reply;
import io.biu.scheduler.client.Schema;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code biu events}: the scheduler's event stream over HTTP ({@code GET /events?after=SEQ}), the recent events and,
 * with {@code --follow}, new ones as they come. Tenants see their own containers' events, operators all of them.
 */
@Command(name = "events", description = "Show the scheduler's events; --follow keeps printing new ones.",
        footer = {"", "Types: container.started|ready|stopping|stopped|died|lost|removed, node.up|down|cordoned; "
                + "container.* matches all container events.", "", "Examples:",
                "  ./biu events --follow --app redis-shop", "  ./biu events --type 'node.*' --limit 50",
                "  ./biu events --follow --output json | jq .type"})
final class EventsCommand implements java.util.concurrent.Callable<Integer> {

    private static final int PAGE = 500;

    @Spec
    CommandSpec spec;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new events until interrupted.")
    boolean follow;

    @Option(names = "--app", description = "Only this app's events (a cluster's app is redis-NAME).")
    String app;

    @Option(names = "--pod", description = "Only this pod's events.")
    String pod;

    @Option(names = "--type", description = "Only events of this type, or prefix ending in *.")
    String type;

    @Option(names = "--after", description = "Only events after this sequence number.")
    Long after;

    @Option(names = "--limit", defaultValue = "20", description = "How many past events to show "
            + "(default: ${DEFAULT-VALUE}; 0 for none).")
    int limit;

    @Override
    public Integer call() {
        if (limit < 0) {
            throw CliException.usage("--limit must be 0 or more, not " + limit);
        }
        Session session = Session.of(spec);
        EventFilter filter = new EventFilter(app, pod, type);
        long seq = after == null ? 0 : after;
        Deque<Reply<Schema.Event>> recent = new ArrayDeque<>();
        JsonNode page;
        do {
            page = session.scheduler().get("/events?after=" + seq + "&limit=" + PAGE);
            for (Reply<Schema.Event> e : events(session, page)) {
                seq = Math.max(seq, e.value().seq());
                if (filter.matches(e.value()) && limit > 0) {
                    recent.addLast(e);
                    if (recent.size() > limit) {
                        recent.removeFirst();
                    }
                }
            }
        } while (page.size() == PAGE);
        recent.forEach(e -> print(session, e));
        if (!follow && recent.isEmpty() && !session.json()) {
            session.out().println("no matching events" + (after == null ? "" : " after " + after));
        }
        while (follow) {
            session.pause();
            for (Reply<Schema.Event> e : events(session, session.scheduler().get("/events?after=" + seq + "&limit="
                    + PAGE))) {
                seq = Math.max(seq, e.value().seq());
                if (filter.matches(e.value())) {
                    print(session, e);
                }
            }
        }
        return 0;
    }

    /** A page of events, each read as the scheduler's record and kept as sent (what {@code --output json} prints). */
    private static List<Reply<Schema.Event>> events(Session session, JsonNode page) {
        List<Reply<Schema.Event>> events = new ArrayList<>(page.size());
        for (JsonNode e : page) {
            events.add(new Reply<>(session.scheduler().as(e, Schema.Event.class), e));
        }
        return events;
    }

    private static void print(Session session, Reply<Schema.Event> event) {
        if (session.json()) {
            session.out().println(event.json().toString());
        } else {
            Schema.Event e = event.value();
            Schema.EventContainer c = e.container();
            Schema.EventNode n = e.node();
            String subject = c != null ? c.name() : n != null ? n.name() : "-";
            String where = c != null ? c.node() + " " + Objects.toString(c.address(), "-")
                    : n != null ? n.pod() + " " + n.state() : "- -";
            session.out().println(String.format(Locale.ROOT, "%-7d %-27s %-19s %-30s %s", e.seq(), e.time(), e.type(),
                    subject, where));
        }
        session.out().flush();
    }
}
