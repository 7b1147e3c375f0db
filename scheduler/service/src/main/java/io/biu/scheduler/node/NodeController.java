package io.biu.scheduler.node;

import io.biu.scheduler.api.Caller;
import io.biu.scheduler.client.Schema;
import io.biu.scheduler.placement.Sizes;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.RequestAttribute;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;

/** Nodes: operators register Docker hosts into pods and cordon them. */
@Controller("/api/v1/nodes")
@Tag(name = "nodes")
final class NodeController {

    private final NodeService nodes;

    NodeController(NodeService nodes) {
        this.nodes = nodes;
    }

    static Schema.Node view(Node n) {
        return new Schema.Node(n.id(), n.name(), n.pod(), n.endpoint(), n.tlsDir(), n.coreIds(), n.memory(),
                Sizes.format(n.memory()), n.engineCores(), n.engineMemory(), n.storageDriver(), n.labels(),
                n.cordoned(), n.state(), n.createdAt());
    }

    @Post
    HttpResponse<Schema.Node> register(@RequestAttribute(Caller.ATTRIBUTE) Caller caller,
            @Body Schema.NodeSpec request) {
        return HttpResponse.created(view(nodes.register(caller, request)));
    }

    @Get
    List<Schema.Node> list(@RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        return nodes.list(caller).stream().map(NodeController::view).toList();
    }

    @Get("/{name}")
    Schema.Node get(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable String name) {
        caller.requireOperator("reading a node");
        return view(nodes.get(name));
    }

    @Delete("/{name}")
    HttpResponse<Void> remove(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable String name) {
        nodes.remove(caller, name);
        return HttpResponse.noContent();
    }

    @Put("/{name}/cordon")
    Schema.Node cordon(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable String name,
            @Body Schema.Cordon request) {
        return view(nodes.cordon(caller, name, request.cordoned()));
    }
}
