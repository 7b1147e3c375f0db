package io.biu.redismonitor.web;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.DoublePredicate;

/** An app's recent request rates, oldest first, no older than {@code maxAge} behind the newest; immutable. */
public final class RateWindow {

    /** One reading of the app's request rate (all its containers together). */
    public record Rate(Instant at, double rps) {
        public Rate {
            if (!(rps >= 0) || Double.isInfinite(rps)) {
                throw new IllegalArgumentException("a request rate must be a finite number >= 0, not " + rps);
            }
        }
    }

    private final Duration maxAge;
    private final List<Rate> rates;

    private RateWindow(Duration maxAge, List<Rate> rates) {
        this.maxAge = maxAge;
        this.rates = rates;
    }

    public static RateWindow empty(Duration maxAge) {
        return new RateWindow(maxAge, List.of());
    }

    /** This window plus {@code rate} (later than every rate held), without what is then too old. */
    public RateWindow with(Rate rate) {
        List<Rate> next = new ArrayList<>();
        Instant cutoff = rate.at().minus(maxAge);
        for (Rate r : rates) {
            if (!r.at().isBefore(cutoff) && r.at().isBefore(rate.at())) {
                next.add(r);
            }
        }
        next.add(rate);
        return new RateWindow(maxAge, Collections.unmodifiableList(next));
    }

    public Duration maxAge() {
        return maxAge;
    }

    public List<Rate> rates() {
        return rates;
    }

    public Optional<Rate> latest() {
        return rates.isEmpty() ? Optional.empty() : Optional.of(rates.get(rates.size() - 1));
    }

    /**
     * How long {@code condition} has held, up to the newest rate: from the oldest rate of the unbroken run that ends
     * at the newest; empty when the newest fails it.
     */
    public Optional<Duration> heldFor(DoublePredicate condition) {
        Instant since = null;
        for (int i = rates.size() - 1; i >= 0 && condition.test(rates.get(i).rps()); i--) {
            since = rates.get(i).at();
        }
        return since == null ? Optional.empty() : Optional.of(Duration.between(since, rates.get(rates.size() - 1)
                .at()));
    }
}
