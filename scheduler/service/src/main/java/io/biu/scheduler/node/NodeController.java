package io.biu.scheduler.node;

import io.biu.scheduler.api.Caller;
import io.biu.scheduler.placement.Sizes;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Nodes: operators register Docker hosts into pods and cordon them. */
@Controller("/api/v1/nodes")
@Tag(name = "nodes")
final class NodeController {

    private final NodeService nodes;

    NodeController(NodeService nodes) {
        this.nodes = nodes;
    }

    @Serdeable
    record NodeView(long id, String name, String pod, String endpoint, @Nullable String tlsDir, List<Integer> cores,
            long memory, String memoryText, int engineCores, long engineMemory, String storageDriver,
            Map<String, String> labels, boolean cordoned, String state, Instant createdAt) {
        static NodeView of(Node n) {
            return new NodeView(n.id(), n.name(), n.pod(), n.endpoint(), n.tlsDir(), n.coreIds(), n.memory(),
                    Sizes.format(n.memory()), n.engineCores(), n.engineMemory(), n.storageDriver(), n.labels(),
                    n.cordoned(), n.state().name().toLowerCase(), n.createdAt());
        }
    }

    @Serdeable
    record CordonRequest(boolean cordoned) {
    }

    @Post
    HttpResponse<NodeView> register(@RequestAttribute(Caller.ATTRIBUTE) Caller caller,
            @Body NodeService.RegisterRequest request) {
        return HttpResponse.created(NodeView.of(nodes.register(caller, request)));
    }

    @Get
    List<NodeView> list(@RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        return nodes.list(caller).stream().map(NodeView::of).toList();
    }

    @Get("/{name}")
    NodeView get(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable String name) {
        caller.requireOperator("reading a node");
        return NodeView.of(nodes.get(name));
    }

    @Delete("/{name}")
    HttpResponse<Void> remove(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable String name) {
        nodes.remove(caller, name);
        return HttpResponse.noContent();
    }

    @Put("/{name}/cordon")
    NodeView cordon(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable String name,
            @Body CordonRequest request) {
        return NodeView.of(nodes.cordon(caller, name, request.cordoned()));
    }
}
