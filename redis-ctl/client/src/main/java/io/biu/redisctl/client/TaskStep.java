package io.biu.redisctl.client;

/** One named step of a task; each {@link TaskKind} lists its steps as an enum of these, in the order they run. */
public interface TaskStep {

    /** The enum constant's name. */
    String name();

    /** The step as the API and settings name it: {@code await-ready}. */
    default String id() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
