package io.biu.scheduler.container;

import io.biu.scheduler.api.Caller;
import io.biu.scheduler.app.AppService;
import io.biu.scheduler.client.Schema;
import io.biu.scheduler.cpu.CpuRequest;
import io.biu.scheduler.cpu.ShareBase;
import io.biu.scheduler.error.SchedulerError;
import io.biu.scheduler.error.SchedulerException;
import io.biu.scheduler.node.Node;
import io.biu.scheduler.node.NodeRepository;
import io.biu.scheduler.placement.NodeCapacity;
import io.biu.scheduler.placement.PlacementRequest;
import io.biu.scheduler.placement.Sizes;
import io.biu.scheduler.pod.PodRepository;
import io.biu.scheduler.quota.QuotaService;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestAttribute;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Deploying, scaling, listing and removing containers, and asking a pod's capacity first. */
@Controller("/api/v1")
@Tag(name = "containers")
final class ContainerController {

    private final DeployService deploys;
    private final CapacityService capacity;
    private final AppService apps;
    private final NodeRepository nodes;
    private final PodRepository pods;

    ContainerController(DeployService deploys, CapacityService capacity, AppService apps, NodeRepository nodes,
            PodRepository pods) {
        this.deploys = deploys;
        this.capacity = capacity;
        this.apps = apps;
        this.nodes = nodes;
        this.pods = pods;
    }

    private List<Schema.Container> views(List<Container> containers) {
        Map<Long, String> appNames = new HashMap<>();
        Map<String, ShareBase> bases = new HashMap<>();
        Map<Long, Node> nodeById = nodes.findAllOrderById().stream().collect(Collectors.toMap(Node::id, n -> n));
        return containers.stream().map(c -> {
            String app = appNames.computeIfAbsent(c.appId(), id -> apps.byId(id).name());
            ShareBase base = bases.computeIfAbsent(c.pod(), name -> pods.findById(name).orElseThrow().base());
            Node node = nodeById.get(c.nodeId());
            return new Schema.Container(c.id(), c.name(), app, c.tenant(), c.pod(), node == null ? "?" : node.name(),
                    c.role(), c.group(), c.state(), c.ready(), c.address(), c.ports(),
                    node == null ? null : node.host(), new CpuRequest(base, c.cpuPieces()).cores().toPlainString(), c.cpu().cores(), c.memory(),
                    Sizes.format(c.memory()), c.engineId(), c.exitCode(), c.createdAt(), c.updatedAt(),
                    c.volumeKey());
        }).toList();
    }

    @Post("/apps/{app}/containers")
    HttpResponse<List<Schema.Container>> deploy(@RequestAttribute(Caller.ATTRIBUTE) Caller caller,
            @PathVariable String app, @Body Schema.Deploy request) {
        return HttpResponse.created(views(deploys.deploy(caller, app, request)));
    }

    @Get("/apps/{app}/containers")
    List<Schema.Container> ofApp(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable String app) {
        return views(deploys.list(caller, app));
    }

    @Put("/apps/{app}/scale")
    List<Schema.Container> scale(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable String app,
            @Body Schema.Scale request) {
        return views(deploys.scale(caller, app, request.replicas(), request.strategy()));
    }

    @Get("/containers")
    List<Schema.Container> list(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @Nullable @QueryValue String app) {
        return views(deploys.list(caller, app));
    }

    @Get("/containers/{id}")
    Schema.Container get(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable long id) {
        return views(List.of(deploys.get(caller, id))).get(0);
    }

    @Delete("/containers/{id}")
    HttpResponse<Schema.Removal> remove(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable long id) {
        if (deploys.remove(caller, id)) {
            return HttpResponse.ok(new Schema.Removal(id, true, "stopped and removed; its resources are free"));
        }
        return HttpResponse.accepted().body(new Schema.Removal(id, false, "its node did not confirm the removal: it "
                + "keeps its resources and address until the node does"));
    }

    @Get("/pods/{pod}/capacity")
    Schema.Capacity capacity(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable String pod,
            @QueryValue BigDecimal cpu, @QueryValue String memory, @Nullable @QueryValue String selector) {
        long bytes = Sizes.parse(memory);
        if (bytes < PlacementRequest.MIN_MEMORY) {
            throw new SchedulerException(SchedulerError.INVALID_MEMORY, "memory must be at least "
                    + Sizes.format(PlacementRequest.MIN_MEMORY));
        }
        List<NodeCapacity> perNode = capacity.capacity(caller, pod, cpu, bytes, selector(selector));
        Optional<QuotaService.Room> quota = capacity.quotaRoom(caller, pod, cpu, bytes);
        return new Schema.Capacity(pod, cpu.toPlainString(), Sizes.format(bytes),
                perNode.stream().mapToInt(NodeCapacity::count).sum(),
                perNode.stream().map(n -> new Schema.NodeCapacity(n.node(), n.count(),
                        n.reason() == null ? null : n.reason().phrase())).toList(),
                quota.map(QuotaService.Room::count).orElse(null), quota.map(QuotaService.Room::reason).orElse(null));
    }

    /** "zone=a,disk=ssd" */
    private static Map<String, String> selector(@Nullable String text) {
        Map<String, String> selector = new HashMap<>();
        if (text == null || text.isBlank()) {
            return selector;
        }
        for (String pair : text.split(",")) {
            String[] kv = pair.split("=", 2);
            if (kv.length != 2 || kv[0].isBlank()) {
                throw new SchedulerException(SchedulerError.INVALID_REQUEST, "selector '" + text
                        + "' must look like key=value,key=value");
            }
            selector.put(kv[0].trim(), kv[1].trim());
        }
        return selector;
    }

}
