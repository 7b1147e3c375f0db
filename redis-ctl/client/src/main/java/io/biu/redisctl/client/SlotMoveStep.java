package io.biu.redisctl.client;

/**
 * The steps of one batch of slots moving from a master to another, inside a task's migration, in order. Each is a
 * crash point of recovery scenarios ({@code slot-importing} ...).
 */
public enum SlotMoveStep implements TaskStep {
    /** The target imports the slots. */
    IMPORTING,
    /** The source migrates them. */
    MIGRATING,
    /** Their keys are on the target. */
    KEYS_MOVED,
    /** The target owns them. */
    OWNED,
    /** The source and every other master know the new owner. */
    ANNOUNCED;

    @Override
    public String id() {
        return "slot-" + TaskStep.super.id();
    }
}
