package io.biu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.biu.cli.api.CliException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
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
        Deque<JsonNode> recent = new ArrayDeque<>();
        JsonNode page;
        do {
            page = session.scheduler().get("/events?after=" + seq + "&limit=" + PAGE);
            for (JsonNode e : page) {
                seq = Math.max(seq, e.path("seq").asLong());
                if (matches(filter, e) && limit > 0) {
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
            for (JsonNode e : session.scheduler().get("/events?after=" + seq + "&limit=" + PAGE)) {
                seq = Math.max(seq, e.path("seq").asLong());
                if (matches(filter, e)) {
                    print(session, e);
                }
            }
        }
        return 0;
    }

    private static boolean matches(EventFilter filter, JsonNode e) {
        JsonNode c = e.path("container");
        String eventPod = c.isObject() ? c.path("pod").asText(null) : e.path("node").path("pod").asText(null);
        return filter.matches(e.path("type").asText(), c.path("app").asText(null), eventPod);
    }

    private static void print(Session session, JsonNode e) {
        if (session.json()) {
            session.out().println(e.toString());
        } else {
            JsonNode c = e.path("container");
            JsonNode n = e.path("node");
            String subject = c.isObject() ? c.path("name").asText() : n.path("name").asText("-");
            String where = c.isObject() ? c.path("node").asText("-") + " " + c.path("address").asText("-")
                    : n.path("pod").asText("-") + " " + n.path("state").asText("-");
            session.out().println(String.format(Locale.ROOT, "%-7d %-27s %-19s %-30s %s", e.path("seq").asLong(),
                    e.path("time").asText(), e.path("type").asText(), subject, where));
        }
        session.out().flush();
    }
}
