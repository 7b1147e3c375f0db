package io.biu.redismonitor.policy;

import io.biu.redismonitor.policy.Context.Kind;
import io.biu.redismonitor.policy.Decision.Blocked;
import io.biu.redismonitor.policy.Decision.Hold;
import io.biu.redismonitor.policy.Decision.ScaleIn;
import io.biu.redismonitor.policy.Decision.ScaleOut;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides whether a cluster scales out, scales in, holds, or is blocked: a pure function of its {@link Window}, its
 * {@link Policy} and a {@link Context}.
 *
 * <p><b>The rules, in the order they are checked.</b>
 * <ol>
 * <li>Fewer masters than {@code minMasters}: scale out to the minimum, or to what the load needs if more
 *     ({@link Reason#BELOW_MINIMUM}), whatever the data and the cooldowns.</li>
 * <li>No round, a latest round older than {@code staleAfter}, or one covering a different number of masters than the
 *     cluster has (a lost INFO reply, a topology change not yet sampled): hold ({@link Reason#NO_DATA}).</li>
 * <li>Scale-out triggers. Memory mean at or above {@code scaleOutMean}, one master at or above {@code scaleOutAny},
 *     ops/s per master or mean CPU at or above their thresholds (when set): each must have held over every round of
 *     the last {@code sustain} ({@link Window#heldFor}); a dip below restarts its clock. That is the hysteresis: a
 *     series flapping around a threshold never holds long enough to act. Two exceptions act on the first round: a
 *     master at {@link Policy#emergencyRatio()} (halfway from {@code scaleOutAny} to full: it is about to evict or
 *     refuse writes), and the forecast: when memory grows and, at that growth, the mean reaches {@code scaleOutMean}
 *     within {@code forecastHorizon} (the time a new master takes to be ready and filled), waiting would be too late.
 *     <br>A fired trigger asks for enough masters to bring the mean, with the growth forecast over the horizon,
 *     down to {@code targetMean} (and ops and CPU under their thresholds times {@link Policy#headroom()}), not blindly
 *     one. It is then checked against, in order: the maximum ({@link Reason#AT_MAXIMUM}, blocked) and the pod's
 *     capacity ({@link Reason#NO_CAPACITY}, blocked) or the tenant's quota ({@link Reason#QUOTA}, blocked), obstacles that waiting does not remove; the cooldown after a
 *     scale-out ({@link Reason#COOLDOWN}, hold), which a master over {@code scaleOutAny} beats, as running out of
 *     memory costs more than an extra master; a running task ({@link Reason#TASK_RUNNING}, blocked: the need is real
 *     and is decided again once the task ends). The masters added are capped by the maximum and the capacity.</li>
 * <li>More masters than {@code maxMasters} (the policy was lowered): scale in by one ({@link Reason#ABOVE_MAXIMUM})
 *     under the same cooldowns and checks as an idle scale-in; blocked if one master fewer would exceed the targets.
 *     </li>
 * <li>A scale-out condition holds but not yet for {@code sustain}: hold ({@link Reason#NOT_SUSTAINED}).</li>
 * <li>Scale-in: every round of the last {@code idleWindow} is idle (mean below {@code scaleInLow}, ops and CPU below
 *     half their thresholds). Checked in order: masters above the minimum ({@link Reason#AT_MINIMUM}), idle long
 *     enough ({@link Reason#NOT_SUSTAINED}), out of both cooldowns ({@link Reason#COOLDOWN}), and one master fewer
 *     stays strictly under the scale-out targets ({@link Reason#REMOVAL_WOULD_EXCEED_TARGET}): the anti-flapping
 *     guarantee, as the targets sit below the thresholds a scale-in can never cause a scale-out. A running task holds
 *     a scale-in rather than blocking it: nothing is urgent about giving a master back. One master at a time.</li>
 * <li>Otherwise hold ({@link Reason#WITHIN_BOUNDS}).</li>
 * </ol>
 * A hold is a close call when a scale-out threshold is crossed or within {@link #CLOSE_CALL_MARGIN} of it (relative,
 * and for the forecast when the threshold is less than the horizon plus that margin away).
 */
public final class Decider {

    /** How near (relative) to a scale-out threshold a hold counts as a close call. */
    public static final double CLOSE_CALL_MARGIN = 0.10;

    private Decider() {
    }

    public static Decision decide(Window window, Policy policy, Context context) {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(context, "context");
        Optional<Reading> reading = Reading.of(window, policy, context.now())
                .filter(read -> read.latest().masters() == context.masters());
        if (context.masters() < policy.minMasters()) {
            return belowMinimum(reading, policy, context);
        }
        if (reading.isEmpty()) {
            return new Hold(Reason.NO_DATA, null, Numbers.unknown(context.masters(), context.masters()), false);
        }
        Reading read = reading.get();
        Triggers.Outcome out = Triggers.evaluate(window, policy, read);
        if (out.fired() != null) {
            return scaleOut(out, read, policy, context);
        }
        if (context.masters() > policy.maxMasters()) {
            return shrinkToMaximum(read, policy, context);
        }
        if (out.pending() != null) {
            Numbers numbers = read.numbers(context.masters(), out.pending().heldFor(),
                    Sizing.mastersWanted(read, policy));
            return new Hold(Reason.NOT_SUSTAINED, out.pending().reason(), numbers, true);
        }
        Optional<Duration> idle = window.heldFor(round -> Triggers.idle(round, policy));
        if (idle.isPresent()) {
            return scaleIn(idle.get(), read, policy, context);
        }
        return new Hold(Reason.WITHIN_BOUNDS, null, read.numbers(context.masters(), Duration.ZERO, context.masters()),
                closeCall(read, policy));
    }

    private static Decision belowMinimum(Optional<Reading> reading, Policy policy, Context context) {
        int masters = context.masters();
        int wanted = reading.map(read -> Math.max(policy.minMasters(), Sizing.mastersWanted(read, policy)))
                .orElse(policy.minMasters());
        int add = Math.min(wanted, policy.maxMasters()) - masters;
        Numbers numbers = reading.map(read -> read.numbers(masters, Duration.ZERO, wanted))
                .orElse(Numbers.unknown(masters, wanted));
        if (context.capacity().masters() == 0) {
            return new Blocked(context.capacity().blocking(), Reason.BELOW_MINIMUM, numbers, format(
                    "the cluster has %d masters, below the minimum of %d, and the %s has no room for another: %s",
                    masters, policy.minMasters(), room(context), context.capacity().reason()));
        }
        if (context.taskRunning()) {
            return new Blocked(Reason.TASK_RUNNING, Reason.BELOW_MINIMUM, numbers, format(
                    "the cluster has %d masters, below the minimum of %d; a task is running on it: decided again once"
                            + " it ends", masters, policy.minMasters()));
        }
        return new ScaleOut(Math.min(add, context.capacity().masters()), Reason.BELOW_MINIMUM, numbers);
    }

    /** What has no room: the pod, or the tenant's quota. */
    private static String room(Context context) {
        return context.capacity().byQuota() ? "tenant's quota" : "pod";
    }

    private static Decision scaleOut(Triggers.Outcome out, Reading read, Policy policy, Context context) {
        Reason trigger = out.fired().reason();
        int masters = context.masters();
        int wanted = Sizing.mastersWanted(read, policy);
        Numbers numbers = read.numbers(masters, out.fired().heldFor(), wanted);
        int room = policy.maxMasters() - masters;
        if (room <= 0) {
            return new Blocked(Reason.AT_MAXIMUM, trigger, numbers, format(
                    "%s wants %d masters; the cluster has %d, the policy's maximum: raise maxMasters or reduce the"
                            + " data", trigger, wanted, masters));
        }
        if (context.capacity().masters() == 0) {
            return new Blocked(context.capacity().blocking(), trigger, numbers, format(
                    "%s wants %d more masters; the %s has no room for one: %s", trigger, wanted - masters,
                    room(context), context.capacity().reason()));
        }
        if (!out.memoryEmergency() && context.within(Kind.SCALE_OUT, policy.cooldownAfterOut())) {
            return new Hold(Reason.COOLDOWN, trigger, numbers, true);
        }
        if (context.taskRunning()) {
            return new Blocked(Reason.TASK_RUNNING, trigger, numbers, format(
                    "%s wants %d more masters; a task is running on the cluster: decided again once it ends", trigger,
                    wanted - masters));
        }
        return new ScaleOut(Math.min(wanted - masters, Math.min(room, context.capacity().masters())), trigger,
                numbers);
    }

    private static Decision shrinkToMaximum(Reading read, Policy policy, Context context) {
        Numbers numbers = read.numbers(context.masters(), Duration.ZERO, policy.maxMasters());
        boolean closeCall = closeCall(read, policy);
        if (inScaleInCooldown(policy, context)) {
            return new Hold(Reason.COOLDOWN, Reason.ABOVE_MAXIMUM, numbers, closeCall);
        }
        if (!Sizing.removalKeepsTargets(read, policy)) {
            return new Blocked(Reason.REMOVAL_WOULD_EXCEED_TARGET, Reason.ABOVE_MAXIMUM, numbers, format(
                    "the cluster has %d masters, above the maximum of %d, but one fewer would put it over its"
                            + " scale-out targets: raise maxMasters or reduce the data",
                    context.masters(), policy.maxMasters()));
        }
        if (context.taskRunning()) {
            return new Hold(Reason.TASK_RUNNING, Reason.ABOVE_MAXIMUM, numbers, closeCall);
        }
        return new ScaleIn(Reason.ABOVE_MAXIMUM, numbers);
    }

    private static Decision scaleIn(Duration idleFor, Reading read, Policy policy, Context context) {
        int masters = context.masters();
        boolean closeCall = closeCall(read, policy);
        if (masters <= policy.minMasters()) {
            return new Hold(Reason.AT_MINIMUM, Reason.IDLE, read.numbers(masters, idleFor, masters), closeCall);
        }
        Numbers numbers = read.numbers(masters, idleFor, masters - 1);
        if (idleFor.compareTo(policy.idleWindow()) < 0) {
            return new Hold(Reason.NOT_SUSTAINED, Reason.IDLE, numbers, closeCall);
        }
        if (inScaleInCooldown(policy, context)) {
            return new Hold(Reason.COOLDOWN, Reason.IDLE, numbers, closeCall);
        }
        if (!Sizing.removalKeepsTargets(read, policy)) {
            return new Hold(Reason.REMOVAL_WOULD_EXCEED_TARGET, Reason.IDLE, numbers, closeCall);
        }
        if (context.taskRunning()) {
            return new Hold(Reason.TASK_RUNNING, Reason.IDLE, numbers, closeCall);
        }
        return new ScaleIn(Reason.IDLE, numbers);
    }

    private static boolean inScaleInCooldown(Policy policy, Context context) {
        return context.within(Kind.SCALE_OUT, policy.cooldownAfterOut())
                || context.within(Kind.SCALE_IN, policy.cooldownAfterIn());
    }

    private static boolean closeCall(Reading read, Policy policy) {
        return read.nearScaleOut(policy, CLOSE_CALL_MARGIN);
    }

    private static String format(String template, Object... args) {
        return String.format(Locale.ROOT, template, args);
    }
}
