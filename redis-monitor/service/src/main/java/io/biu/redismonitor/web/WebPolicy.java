package io.biu.redismonitor.web;

import java.time.Duration;
import java.util.Objects;

/**
 * A tenant's scaling policy for one web app behind nginx: containers sized on the app's request rate.
 *
 * <p>Invariants: {@code 1 <= minContainers <= maxContainers}, {@code targetRps > 0},
 * {@code 0 < scaleInRatio < scaleOutRatio}.
 *
 * @param minContainers never fewer containers
 * @param maxContainers never more containers
 * @param targetRps the requests per second one container is meant to serve; a scale-out adds enough containers to
 *     bring the rate per container to it
 * @param scaleOutRatio scale out when the rate per container has been at or above {@code targetRps * scaleOutRatio}
 *     for {@code sustain}
 * @param scaleInRatio remove a container when the rate per container has been below {@code targetRps * scaleInRatio}
 *     for {@code idleWindow}, and one container fewer would still be under the scale-out line
 * @param sustain how long the rate must stay high before a scale-out (hysteresis)
 * @param idleWindow how long the rate must stay low before a scale-in
 * @param cooldownAfterOut after a scale-out: no scale-in, and no further scale-out, for this long
 * @param cooldownAfterIn after a scale-in: no further scale-in for this long
 * @param staleAfter a newest sample older than this is no data
 */
public record WebPolicy(int minContainers, int maxContainers, double targetRps, double scaleOutRatio,
        double scaleInRatio, Duration sustain, Duration idleWindow, Duration cooldownAfterOut, Duration cooldownAfterIn,
        Duration staleAfter) {

    public WebPolicy {
        if (minContainers < 1) {
            throw new IllegalArgumentException("minContainers must be at least 1, not " + minContainers);
        }
        if (maxContainers < minContainers) {
            throw new IllegalArgumentException("maxContainers (" + maxContainers + ") must be at least minContainers ("
                    + minContainers + ")");
        }
        if (!(targetRps > 0) || Double.isInfinite(targetRps)) {
            throw new IllegalArgumentException("targetRps must be a positive number of requests per second, not "
                    + targetRps);
        }
        if (!(scaleInRatio > 0) || !(scaleOutRatio > scaleInRatio) || Double.isInfinite(scaleOutRatio)) {
            throw new IllegalArgumentException("scaleInRatio (" + scaleInRatio + ") must be above 0 and below "
                    + "scaleOutRatio (" + scaleOutRatio + ")");
        }
        notNegative("sustain", sustain);
        notNegative("idleWindow", idleWindow);
        notNegative("cooldownAfterOut", cooldownAfterOut);
        notNegative("cooldownAfterIn", cooldownAfterIn);
        notNegative("staleAfter", staleAfter);
        if (staleAfter.isZero()) {
            throw new IllegalArgumentException("staleAfter must be more than zero");
        }
    }

    private static void notNegative(String name, Duration d) {
        Objects.requireNonNull(d, name + " is required");
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " cannot be negative: " + d);
        }
    }

    /** Two to twenty containers of 100 requests/s each; out at 100% of that for 30 s, in under 50% for 5 minutes. */
    public static WebPolicy defaults() {
        return new WebPolicy(2, 20, 100, 1.0, 0.5, Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofMinutes(1),
                Duration.ofMinutes(3), Duration.ofMinutes(1));
    }

    /** How far back a rate window must reach for every rule, with one stale sample to spare. */
    public Duration windowAge() {
        return (sustain.compareTo(idleWindow) > 0 ? sustain : idleWindow).plus(staleAfter);
    }
}
