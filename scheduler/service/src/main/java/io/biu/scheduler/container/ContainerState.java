package io.biu.scheduler.container;

/**
 * A container's life as the scheduler records it. Every state holds the container's resources and
 * address: only confirmed removal (the row's deletion) frees them.
 */
public enum ContainerState {
    /** Resources and address reserved; the engine may not have the container yet. */
    RESERVED,
    /** The engine has created it; not started. */
    CREATED,
    /** Started. */
    RUNNING,
    /** Being stopped on purpose. */
    STOPPING,
    /** Stopped on purpose, not yet removed. */
    STOPPED,
    /** Exited on its own (or was OOM-killed). */
    DIED,
    /** Its node is unreachable: its fate is unknown. */
    LOST,
    /** Removal asked for, not yet confirmed by its engine. */
    REMOVING
}
