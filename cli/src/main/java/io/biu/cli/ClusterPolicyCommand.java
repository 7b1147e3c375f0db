package io.biu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.biu.cli.api.CliException;
import io.biu.cli.api.ServiceApi;
import io.biu.cli.render.Table;
import java.util.Iterator;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code biu cluster policy ...}: the scaling policy redis-monitor applies to a cluster. {@code set} changes only
 * the settings it is given and keeps the others the tenant chose before (the API itself replaces all of them).
 */
@Command(name = "policy", description = "Show or change a cluster's scaling policy.",
        footer = {"", "Examples:", "  ./biu cluster policy show shop",
                "  ./biu cluster policy set shop --min 3 --max 12 --scale-out-at 80%% --sustain 2m"})
final class ClusterPolicyCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw CliException.usage("policy needs a subcommand: show, set or reset");
    }

    @Command(name = "show", description = "Show the policy in force and what the tenant chose.",
            footer = {"", "Example:", "  ./biu cluster policy show shop"})
    int show(@Parameters(paramLabel = "CLUSTER", description = "name or id") String name) {
        Session session = Session.of(spec);
        print(session, session.monitor().get(path(session, name)));
        return 0;
    }

    @Command(name = "set", description = "Change some settings of the policy; the others stay as they are.",
            footer = {"", "Fractions are of maxmemory (0.8 or 80%%); durations like 30s, 5m, 1h.", "", "Example:",
                    "  ./biu cluster policy set shop --min 2 --max 6 --scale-in-below 30%% --idle-window 30m"})
    int set(@Parameters(paramLabel = "CLUSTER", description = "name or id") String name,
            @Option(names = "--min", description = "Never fewer masters than this.") Integer min,
            @Option(names = "--max", description = "Never more masters than this.") Integer max,
            @Option(names = "--scale-out-at", description = "Grow when mean memory use passes this fraction.")
            String scaleOutMean,
            @Option(names = "--scale-out-any", description = "Grow when any master's memory use passes this.")
            String scaleOutAny,
            @Option(names = "--scale-in-below", description = "Shrink after an idle spell below this fraction.")
            String scaleInLow,
            @Option(names = "--ops-per-master", description = "Grow when ops/s per master pass this.")
            Double opsPerMaster,
            @Option(names = "--sustain", description = "How long a threshold must be crossed.") String sustain,
            @Option(names = "--idle-window", description = "How long idle before shrinking.") String idleWindow,
            @Option(names = "--cooldown-out", description = "Wait after growing before acting again.")
            String cooldownAfterOut,
            @Option(names = "--cooldown-in", description = "Wait after shrinking before acting again.")
            String cooldownAfterIn) {
        if (min != null && min < 1) {
            throw CliException.usage("--min must be at least 1, not " + min);
        }
        if (min != null && max != null && max < min) {
            throw CliException.usage("--max (" + max + ") is below --min (" + min + ")");
        }
        Map<String, Object> given = new java.util.LinkedHashMap<>();
        given.put("minMasters", min);
        given.put("maxMasters", max);
        given.put("scaleOutMean", fraction("--scale-out-at", scaleOutMean));
        given.put("scaleOutAny", fraction("--scale-out-any", scaleOutAny));
        given.put("scaleInLow", fraction("--scale-in-below", scaleInLow));
        given.put("opsPerMaster", opsPerMaster);
        given.put("sustain", sustain);
        given.put("idleWindow", idleWindow);
        given.put("cooldownAfterOut", cooldownAfterOut);
        given.put("cooldownAfterIn", cooldownAfterIn);
        if (given.values().stream().allMatch(v -> v == null)) {
            throw CliException.usage("say what to change, e.g. --min 2 --max 6");
        }
        Session session = Session.of(spec);
        String path = path(session, name);
        ServiceApi monitor = session.monitor();
        JsonNode chosen = monitor.get(path).path("chosen");
        ObjectNode settings = chosen.isObject() ? ((ObjectNode) chosen).deepCopy() : ServiceApi.JSON.createObjectNode();
        given.forEach((k, v) -> {
            if (v != null) {
                settings.set(k, ServiceApi.JSON.valueToTree(v));
            }
        });
        print(session, monitor.put(path, settings));
        return 0;
    }

    @Command(name = "reset", description = "Return to the default policy.",
            footer = {"", "Example:", "  ./biu cluster policy reset shop"})
    int reset(@Parameters(paramLabel = "CLUSTER", description = "name or id") String name) {
        Session session = Session.of(spec);
        print(session, session.monitor().delete(path(session, name)));
        return 0;
    }

    private static String path(Session session, String name) {
        return "/policies/" + Clusters.find(session, name).value().id();
    }

    /** {@code 0.8} or {@code 80%} as 0.8. */
    static Double fraction(String option, String text) {
        if (text == null) {
            return null;
        }
        try {
            String t = text.trim();
            double value = t.endsWith("%") ? Double.parseDouble(t.substring(0, t.length() - 1)) / 100
                    : Double.parseDouble(t);
            if (value <= 0 || value > 1) {
                throw CliException.usage(option + " must be a fraction above 0 and at most 1 (or a percentage), not "
                        + text);
            }
            return value;
        } catch (NumberFormatException e) {
            throw CliException.usage(option + " '" + text + "' is not a fraction: write 0.8 or 80%");
        }
    }

    private static void print(Session session, JsonNode view) {
        if (session.json()) {
            session.print(view);
            return;
        }
        JsonNode chosen = view.path("chosen");
        session.out().println("scaling policy of cluster " + view.path("clusterName").asText() + (chosen.isObject()
                ? "" : " (the defaults)"));
        Table table = Table.of("SETTING", "IN FORCE", "CHOSEN");
        for (Iterator<Map.Entry<String, JsonNode>> it = view.path("policy").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode mine = chosen.path(e.getKey());
            table.row(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText(),
                    mine.isMissingNode() || mine.isNull() ? null : mine.asText());
        }
        session.print(table, "(no settings)");
    }
}
