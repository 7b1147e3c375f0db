package io.biu.redisctl.plan;

import java.time.Duration;
import java.util.Objects;

/**
 * Whether an instance the control plane reported died or lost has failed, on the data plane's evidence.
 *
 * <p>The scheduler's word alone proves nothing: a node is "lost" when its engine stops answering (a hung or
 * restarting dockerd, a control-network blip), while its Redis instances may keep serving and acknowledging writes;
 * a container that "died" is restarted in place by its engine, with its data. Healing that trusted that word would
 * promote a replica while the old master still takes writes, or forget a master and serve its shard empty. So an
 * instance is taken for failed only when
 * <ol>
 *   <li>redis-ctl's own connections to it fail, continuously, for longer than the cluster's node timeout;</li>
 *   <li>the cluster agrees: a survivor flags it {@code fail} (which Redis sets only once a majority of masters reported
 *       it), or every survivor that answers at least suspects it ({@code fail?}: when too few masters are left for a
 *       majority, {@code fail} never comes);</li>
 *   <li>and it is fenced: its engine confirmed it is not running (it died and was not restarted, or was stopped or
 *       removed), or its node is down on the control plane too. An instance whose engine says it runs although it
 *       answers no one is stopped first.</li>
 * </ol>
 * An instance that answers is alive, whatever the control plane says: it is left alone.
 */
public final class Evidence {

    /** What the instance's engine says of its container, as the scheduler reports it. */
    public enum Container {
        /** Running: restarted in place, or never stopped. */
        RUNNING,
        /** Not running, by its engine's word: exited (a restart may still come), stopped or removed. */
        NOT_RUNNING,
        /** Unknown: its node's engine does not answer the control plane. */
        LOST
    }

    /**
     * What was observed of a suspect.
     *
     * @param answers     whether it answered redis-ctl just now
     * @param silentFor   how long redis-ctl's connections to it have failed without a break (zero if it answers)
     * @param nodeTimeout the cluster's node timeout
     * @param container   its container, as its engine (or the lack of one) says
     * @param survivors   how many other members that hold slots or follow a master answered with their view
     * @param flagFail    how many of those flag it {@code fail}
     * @param suspect     how many of those flag it {@code fail} or {@code fail?}
     */
    public record Observation(boolean answers, Duration silentFor, Duration nodeTimeout, Container container,
            int survivors, int flagFail, int suspect) {
        public Observation {
            Objects.requireNonNull(silentFor, "silentFor");
            Objects.requireNonNull(nodeTimeout, "nodeTimeout");
            Objects.requireNonNull(container, "container");
            if (survivors < 0 || flagFail < 0 || suspect < flagFail || suspect > survivors) {
                throw new IllegalArgumentException("of " + survivors + " survivors, " + suspect + " suspect and "
                        + flagFail + " flag fail: impossible counts");
            }
        }
    }

    /** What to do about a suspect. */
    public sealed interface Verdict {
        String why();
    }

    /** It answers and its container runs: it is a member as before. */
    public record Alive(String why) implements Verdict {
    }

    /** Not enough evidence either way yet: look again later, and do nothing meanwhile. */
    public record Wait(String why) implements Verdict {
    }

    /** The data plane agrees it failed, but its engine says it runs: stop it, then look again. */
    public record Fence(String why) implements Verdict {
    }

    /** Failed on the data plane's evidence, and fenced: healing may act. */
    public record Failed(String why) implements Verdict {
    }

    private Evidence() {
    }

    public static Verdict of(Observation o) {
        if (o.answers()) {
            return o.container() == Container.RUNNING ? new Alive("it answers and its container runs")
                    : new Wait("it answers although its container is reported "
                    + (o.container() == Container.LOST ? "lost" : "not running") + ": nothing to heal");
        }
        if (o.silentFor().compareTo(o.nodeTimeout()) <= 0) {
            return new Wait("silent for " + o.silentFor().toMillis() + " ms, not yet longer than the node timeout ("
                    + o.nodeTimeout().toMillis() + " ms)");
        }
        if (o.survivors() == 0) {
            return new Wait("no other member answers: the cluster cannot confirm it failed");
        }
        if (o.flagFail() == 0 && o.suspect() < o.survivors()) {
            return new Wait((o.survivors() - o.suspect()) + " of " + o.survivors() + " members that answer still "
                    + "reach it");
        }
        String agreed = o.flagFail() > 0 ? "the cluster flags it failed" : "every member that answers suspects it";
        String silent = "silent for " + o.silentFor().toSeconds() + " s";
        return switch (o.container()) {
            case RUNNING -> new Fence(agreed + " and it is " + silent + ", but its engine says it runs: stop it first");
            case NOT_RUNNING -> new Failed(agreed + ", it is " + silent + " and its engine confirms it is not running");
            case LOST -> new Failed(agreed + ", it is " + silent + " and its node is down on the control plane too");
        };
    }
}
