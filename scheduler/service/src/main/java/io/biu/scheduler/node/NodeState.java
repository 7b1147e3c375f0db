package io.biu.scheduler.node;

/** Whether a node's agent holds its lease. */
public enum NodeState {
    UP,
    DOWN
}
