package io.biu.scheduler.client;

import io.biu.scheduler.client.api.Wire;
import java.util.List;

/**
 * The steps a container passes on its way up (a deployment) and down (a removal), each recorded before the next, so
 * that the reconciler can finish or undo what a scheduler halted after any of them began. Recovery scenarios halt a
 * scheduler at each of them ({@code biu.crash-after}).
 */
public enum LifecycleStep {
    /** Its node, cores, memory and address are reserved. */
    RESERVED,
    /** The engine created it. */
    CREATED,
    /** Its app's secret files are in it. */
    FILES_COPIED,
    /** The engine started it. */
    STARTED,
    /** Announced as stopping, before the engine stops it. */
    STOPPING,
    /** The engine stopped it. */
    STOPPED,
    /** The engine removed it; its resources are freed next. */
    ENGINE_REMOVED;

    /** A deployment's steps, in order. */
    public static final List<LifecycleStep> DEPLOY = List.of(RESERVED, CREATED, FILES_COPIED, STARTED);
    /** A removal's steps, in order. */
    public static final List<LifecycleStep> REMOVAL = List.of(STOPPING, STOPPED, ENGINE_REMOVED);

    /** The step's name in settings and logs: {@code files-copied}. */
    public String id() {
        return Wire.id(this);
    }
}
