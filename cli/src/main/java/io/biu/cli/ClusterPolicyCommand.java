package io.biu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.biu.cli.api.CliException;
import io.biu.cli.api.ServiceApi;
import io.biu.cli.render.Table;
import io.biu.redismonitor.client.PolicySettings;
import io.biu.redismonitor.client.PolicyView;
import java.lang.reflect.RecordComponent;
import java.util.Objects;
import java.util.stream.Stream;
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
        Double outAt = fraction("--scale-out-at", scaleOutMean);
        Double outAny = fraction("--scale-out-any", scaleOutAny);
        Double inBelow = fraction("--scale-in-below", scaleInLow);
        if (Stream.of(min, max, outAt, outAny, inBelow, opsPerMaster, sustain, idleWindow, cooldownAfterOut,
                cooldownAfterIn).allMatch(Objects::isNull)) {
            throw CliException.usage("say what to change, e.g. --min 2 --max 6");
        }
        Session session = Session.of(spec);
        String path = path(session, name);
        ServiceApi monitor = session.monitor();
        PolicySettings was = monitor.get(path, PolicyView.class).chosen();
        PolicySettings c = was != null ? was : new PolicySettings(null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null);
        PolicySettings settings = new PolicySettings(or(min, c.minMasters()), or(max, c.maxMasters()),
                or(outAt, c.scaleOutMean()), or(outAny, c.scaleOutAny()), or(opsPerMaster, c.opsPerMaster()), c.cpu(),
                c.targetMean(), or(inBelow, c.scaleInLow()), or(idleWindow, c.idleWindow()), or(sustain, c.sustain()),
                or(cooldownAfterOut, c.cooldownAfterOut()), or(cooldownAfterIn, c.cooldownAfterIn()),
                c.forecastHorizon(), c.growthWindow(), c.staleAfter());
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

    /** {@code given}, or what was chosen before when the option was not given. */
    private static <T> T or(T given, T before) {
        return given != null ? given : before;
    }

    /** The policy: every setting in force, and what the tenant chose of them. */
    private static void print(Session session, JsonNode reply) {
        if (session.json()) {
            session.print(reply);
            return;
        }
        PolicyView view = session.monitor().as(reply, PolicyView.class);
        session.out().println("scaling policy of cluster " + view.clusterName() + (view.chosen() != null ? ""
                : " (the defaults)"));
        Table table = Table.of("SETTING", "IN FORCE", "CHOSEN");
        for (RecordComponent setting : PolicySettings.class.getRecordComponents()) {
            Object inForce = value(setting, view.policy());
            if (inForce != null) {
                table.row(setting.getName(), inForce, view.chosen() == null ? null : value(setting, view.chosen()));
            }
        }
        session.print(table, "(no settings)");
    }

    private static Object value(RecordComponent setting, PolicySettings settings) {
        try {
            return setting.getAccessor().invoke(settings);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + setting.getName() + " of a policy", e);
        }
    }
}
