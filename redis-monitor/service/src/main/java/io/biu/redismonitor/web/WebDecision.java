package io.biu.redismonitor.web;

/**
 * What to do with a web app and why.
 *
 * @param containers the containers the app should have: more than now is a scale-out, fewer a scale-in, the same a
 *     hold
 * @param reason why, in a word (see {@link WebDecider})
 * @param rps the app's latest request rate (0 without data)
 * @param current the containers it has now
 * @param closeCall a hold within 10% of the scale-out line, worth recording
 */
public record WebDecision(int containers, String reason, double rps, int current, boolean closeCall) {

    public boolean scales() {
        return containers != current;
    }
}
