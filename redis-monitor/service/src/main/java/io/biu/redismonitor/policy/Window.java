package io.biu.redismonitor.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The recent samples of one cluster, per master, no older than {@code maxAge} behind the newest one; immutable,
 * {@link #with} returns a new window.
 *
 * <p><b>From samples to rounds.</b> The collector stamps every sample of one collection round with the round's
 * instant. The window turns its samples into one {@link Round} per distinct instant, over the masters <em>present</em>
 * then: a master is present from its first sample in the window to its last one. A master missing from a round in
 * between (a timed-out INFO) is carried forward from its previous sample, so one lost reply does not look like lost
 * data; a master added by a scale-out counts from its first sample; a master removed by a scale-in stops counting
 * after its last sample. A master missing from the newest round cannot yet be told from a removed one and is left
 * out of that round; the decider notices that the round covers fewer masters than the cluster has.
 *
 * <p><b>Growth.</b> {@link #growthBytesPerSecond} is the least-squares slope of the rounds' total used memory
 * against time. Total used memory, unlike the mean ratio, does not jump when masters are added or removed (resharding
 * moves data, it does not create it), so the slope survives scaling actions. Fitting every round rather than
 * differencing the first and the last keeps one noisy round from steering the forecast: a round off by δ bytes moves
 * the slope of n evenly spaced rounds by at most about 6δ/(n·span), against δ/span for a two-point difference.
 */
public final class Window {

    /** The fewest rounds a growth rate is fitted on. */
    static final int MIN_GROWTH_ROUNDS = 3;

    private final Duration maxAge;
    private final Map<String, NavigableMap<Instant, Sample>> samples;
    private final List<Round> rounds;

    private Window(Duration maxAge, Map<String, NavigableMap<Instant, Sample>> samples) {
        this.maxAge = maxAge;
        this.samples = samples;
        this.rounds = roundsOf(samples);
    }

    /** A window keeping samples up to {@code maxAge} older than its newest one; see {@link Policy#windowAge()}. */
    public static Window empty(Duration maxAge) {
        Objects.requireNonNull(maxAge, "maxAge");
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("a window's maxAge must be positive, not " + maxAge);
        }
        return new Window(maxAge, Map.of());
    }

    public Window with(Sample... added) {
        return with(Arrays.asList(added));
    }

    /**
     * This window plus {@code added}, without the samples then older than {@code maxAge} behind the newest one. A
     * sample for a master and instant already held replaces it.
     */
    public Window with(Collection<Sample> added) {
        TreeMap<String, NavigableMap<Instant, Sample>> copy = new TreeMap<>();
        samples.forEach((master, series) -> copy.put(master, new TreeMap<>(series)));
        for (Sample sample : added) {
            copy.computeIfAbsent(sample.master(), master -> new TreeMap<>()).put(sample.at(), sample);
        }
        Optional<Instant> newest = copy.values().stream().map(NavigableMap::lastKey).max(Instant::compareTo);
        if (newest.isPresent()) {
            Instant cutoff = newest.get().minus(maxAge);
            copy.values().forEach(series -> series.headMap(cutoff, false).clear());
            copy.values().removeIf(Map::isEmpty);
        }
        copy.replaceAll((master, series) -> Collections.unmodifiableNavigableMap(series));
        return new Window(maxAge, Collections.unmodifiableMap(copy));
    }

    public Duration maxAge() {
        return maxAge;
    }

    /** The samples held, per master id, oldest first. */
    public Map<String, List<Sample>> samples() {
        Map<String, List<Sample>> view = new TreeMap<>();
        samples.forEach((master, series) -> view.put(master, List.copyOf(series.values())));
        return Collections.unmodifiableMap(view);
    }

    /** The cluster's rounds, oldest first. */
    public List<Round> rounds() {
        return rounds;
    }

    public boolean isEmpty() {
        return rounds.isEmpty();
    }

    public Optional<Round> latest() {
        return rounds.isEmpty() ? Optional.empty() : Optional.of(rounds.get(rounds.size() - 1));
    }

    /** Sum of used memory over sum of maxmemory in the latest round. */
    public double meanRatio() {
        return latestOrThrow().meanRatio();
    }

    /** The fullest master's used memory / maxmemory in the latest round. */
    public double maxRatio() {
        return latestOrThrow().maxRatio();
    }

    /** Total ops/s of the masters in the latest round. */
    public double opsPerSecond() {
        return latestOrThrow().opsPerSecond();
    }

    /** Mean CPU of a master in the latest round, in cores. */
    public double meanCpu() {
        return latestOrThrow().meanCpu();
    }

    /**
     * The growth of total used memory in bytes per second: the least-squares slope over the rounds of the last
     * {@code span} (see the class comment). Empty when that is fewer than {@value #MIN_GROWTH_ROUNDS} rounds or they
     * cover less than half of {@code span}: too little to forecast from.
     */
    public OptionalDouble growthBytesPerSecond(Duration span) {
        if (rounds.isEmpty()) {
            return OptionalDouble.empty();
        }
        Instant latest = rounds.get(rounds.size() - 1).at();
        Instant from = latest.minus(span);
        List<Round> recent = rounds.stream().filter(round -> !round.at().isBefore(from)).toList();
        if (recent.size() < MIN_GROWTH_ROUNDS
                || Duration.between(recent.get(0).at(), latest).multipliedBy(2).compareTo(span) < 0) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(slope(recent));
    }

    /**
     * How long {@code condition} has held without a break, up to and including the latest round: from the oldest
     * round of that unbroken run to the latest one (zero when only the latest round meets it). Empty when the latest
     * round does not meet it.
     */
    public Optional<Duration> heldFor(Predicate<Round> condition) {
        if (rounds.isEmpty() || !condition.test(rounds.get(rounds.size() - 1))) {
            return Optional.empty();
        }
        Instant start = rounds.get(rounds.size() - 1).at();
        for (int i = rounds.size() - 2; i >= 0 && condition.test(rounds.get(i)); i--) {
            start = rounds.get(i).at();
        }
        return Optional.of(Duration.between(start, rounds.get(rounds.size() - 1).at()));
    }

    private Round latestOrThrow() {
        return latest().orElseThrow(() -> new IllegalStateException("the window holds no sample yet"));
    }

    private static List<Round> roundsOf(Map<String, NavigableMap<Instant, Sample>> samples) {
        TreeSet<Instant> instants = new TreeSet<>();
        samples.values().forEach(series -> instants.addAll(series.keySet()));
        List<Round> rounds = new ArrayList<>(instants.size());
        for (Instant at : instants) {
            rounds.add(roundAt(at, samples.values()));
        }
        return List.copyOf(rounds);
    }

    private static Round roundAt(Instant at, Collection<NavigableMap<Instant, Sample>> masters) {
        int count = 0;
        long used = 0;
        long max = 0;
        double maxRatio = 0;
        double ops = 0;
        double cpu = 0;
        for (NavigableMap<Instant, Sample> series : masters) {
            if (series.firstKey().isAfter(at) || series.lastKey().isBefore(at)) {
                continue;
            }
            Sample sample = series.floorEntry(at).getValue();
            count++;
            used += sample.usedMemory();
            max += sample.maxmemory();
            maxRatio = Math.max(maxRatio, sample.ratio());
            ops += sample.opsPerSecond();
            cpu += sample.cpu();
        }
        return new Round(at, count, used, max, maxRatio, ops, cpu);
    }

    /** Least-squares slope of used memory against seconds, centred on the means for precision. */
    private static double slope(List<Round> rounds) {
        Instant origin = rounds.get(0).at();
        int n = rounds.size();
        double[] x = new double[n];
        double meanX = 0;
        double meanY = 0;
        for (int i = 0; i < n; i++) {
            x[i] = Duration.between(origin, rounds.get(i).at()).toNanos() / 1e9;
            meanX += x[i] / n;
            meanY += (double) rounds.get(i).usedMemory() / n;
        }
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < n; i++) {
            double dx = x[i] - meanX;
            sxy += dx * (rounds.get(i).usedMemory() - meanY);
            sxx += dx * dx;
        }
        return sxx == 0 ? 0 : sxy / sxx;
    }
}
