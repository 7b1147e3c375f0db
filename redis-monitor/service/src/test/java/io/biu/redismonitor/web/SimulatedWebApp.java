package io.biu.redismonitor.web;

import static io.biu.redismonitor.web.WebFixtures.T0;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToDoubleFunction;

/**
 * A web app run through time by the decider, as {@link WebTier} runs it: each round reads the app's request rate into
 * its window, decides, and applies a scaling at once, so the containers always follow the decisions.
 */
final class SimulatedWebApp {

    /** A decision and the round it was made at. */
    record Step(int round, Instant at, WebDecision decision) {

        boolean isOut() {
            return decision.containers() > decision.current();
        }

        boolean isIn() {
            return decision.containers() < decision.current();
        }
    }

    private final WebPolicy policy;
    private final Duration interval;
    private final List<Step> steps = new ArrayList<>();
    private RateWindow window;
    private int containers;
    private Instant lastScaleOut;
    private Instant lastScaleIn;
    private int round;

    SimulatedWebApp(WebPolicy policy, int containers, Duration interval) {
        this.policy = policy;
        this.interval = interval;
        this.containers = containers;
        this.window = RateWindow.empty(policy.windowAge());
    }

    /** Runs {@code rounds} more rounds, the app receiving {@code rps.applyAsDouble(round)} requests a second. */
    SimulatedWebApp run(int rounds, IntToDoubleFunction rps) {
        for (int end = round + rounds; round < end; round++) {
            step(rps.applyAsDouble(round));
        }
        return this;
    }

    /** Every decision made, one a round. */
    List<Step> steps() {
        return steps;
    }

    /** The decisions that scaled. */
    List<Step> actions() {
        return steps.stream().filter(step -> step.decision().scales()).toList();
    }

    int containers() {
        return containers;
    }

    private void step(double rps) {
        Instant at = T0.plus(interval.multipliedBy(round));
        window = window.with(new RateWindow.Rate(at, rps));
        WebDecision decision = WebDecider.decide(window, policy, containers, at, lastScaleOut, lastScaleIn);
        Step step = new Step(round, at, decision);
        steps.add(step);
        if (step.isOut()) {
            lastScaleOut = at;
        } else if (step.isIn()) {
            lastScaleIn = at;
        }
        containers = decision.containers();
    }
}
