package io.biu.bench;

import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the JMH benchmarks and prints each figure beside its baseline from the same run.
 * {@code --smoke} runs one short iteration of each, in this JVM, only to prove the benchmarks still run.
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) throws RunnerException {
        boolean smoke = args.length > 0 && args[0].equals("--smoke");
        ChainedOptionsBuilder options = new OptionsBuilder().include(PlanningBenchmark.class.getSimpleName());
        if (smoke) {
            options.forks(0).warmupIterations(0).measurementIterations(1)
                    .measurementTime(TimeValue.milliseconds(200)).param("nodes", "1000").param("containers", "100");
        } else {
            options.forks(1).warmupIterations(3).warmupTime(TimeValue.seconds(2)).measurementIterations(5)
                    .measurementTime(TimeValue.seconds(2)).jvmArgs("-Xms1g", "-Xmx1g");
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        Map<String, Double> ms = new HashMap<>();
        String nodes = "?";
        String containers = "?";
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            ms.put(name.substring(name.lastIndexOf('.') + 1), r.getPrimaryResult().getScore());
            nodes = r.getParams().getParam("nodes");
            containers = r.getParams().getParam("containers");
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "%-48s %10s %10s %8s %s%n", "figure", "ms", "baseline", "ratio", "target");
        row("plan " + containers + " x 0.5 cores over " + nodes + " nodes", ms.get("plan"),
                ms.get("planNaiveBaseline"), "< 50 ms", smoke);
        row("capacity of a " + nodes + "-node pod", ms.get("capacity"), ms.get("freePiecesPassBaseline"), "< 20 ms",
                smoke);
        System.out.println("baselines: the spread that rescans every node per container; one pass adding up free "
                + "pieces" + (smoke ? "; smoke run: one short iteration, figures not meaningful" : ""));
    }

    private static void row(String figure, double value, double baseline, String target, boolean smoke) {
        System.out.printf(Locale.ROOT, "%-48s %10.3f %10.3f %8.3f %s%n", figure, value, baseline, value / baseline,
                smoke ? "(smoke)" : target);
    }
}
