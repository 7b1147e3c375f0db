package io.biu.scheduler.node;

import io.biu.scheduler.client.NodeState;
import io.biu.scheduler.client.Schema;

/** A node as events describe it ({@link Schema.EventNode}). */
public final class NodeInfo {

    private NodeInfo() {
    }

    public static Schema.EventNode of(Node n, NodeState state) {
        return new Schema.EventNode(n.name(), n.pod(), n.endpoint(), n.cordoned(), state.id());
    }
}
