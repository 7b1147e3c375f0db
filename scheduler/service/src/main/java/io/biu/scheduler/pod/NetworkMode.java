package io.biu.scheduler.pod;

/** How a pod's containers are reached. */
public enum NetworkMode {
    /** An address of the pod's subnet on a MacVLAN network, handed out by the scheduler. */
    MACVLAN,
    /** The node's own network: containers get host ports allocated per node. */
    HOST
}
