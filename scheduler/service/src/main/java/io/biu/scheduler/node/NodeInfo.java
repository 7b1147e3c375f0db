package io.biu.scheduler.node;

import io.micronaut.serde.annotation.Serdeable;
import java.util.Locale;

/** A node as events describe it. */
@Serdeable
public record NodeInfo(String name, String pod, String endpoint, boolean cordoned, String state) {

    public static NodeInfo of(Node n, NodeState state) {
        return new NodeInfo(n.name(), n.pod(), n.endpoint(), n.cordoned(), state.name().toLowerCase(Locale.ROOT));
    }
}
