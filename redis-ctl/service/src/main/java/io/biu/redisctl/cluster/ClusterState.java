package io.biu.redisctl.cluster;

/** Where a cluster is in its life. */
public enum ClusterState {
    /** Its formation task runs. */
    CREATING,
    /** Every slot is served and every instance reports cluster_state:ok. */
    READY,
    /** A task gave up; its error says why. */
    FAILED,
    /** Its deletion task runs. */
    DELETING
}
