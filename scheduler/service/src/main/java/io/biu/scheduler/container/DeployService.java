package io.biu.scheduler.container;

import io.biu.kit.crash.CrashPoints;
import io.biu.scheduler.api.Caller;
import io.biu.scheduler.app.App;
import io.biu.scheduler.app.AppFile;
import io.biu.scheduler.app.AppService;
import io.biu.scheduler.client.ContainerState;
import io.biu.scheduler.client.LifecycleStep;
import io.biu.scheduler.client.Schema;
import io.biu.scheduler.error.SchedulerError;
import io.biu.scheduler.error.SchedulerException;
import io.biu.scheduler.node.Node;
import io.biu.scheduler.node.NodeRepository;
import io.biu.scheduler.placement.PlacementRequest;
import io.biu.scheduler.placement.Strategy;
import io.biu.scheduler.pod.Pod;
import io.biu.scheduler.pod.PodService;
import io.biu.scheduler.volume.VolumeNames;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;

/**
 * Deploys, scales and removes an app's containers: reserve everything in one transaction
 * ({@link Reservations}), then start the containers in parallel ({@link Launcher}). A deployment is all
 * or nothing: if one container fails to start, the others of the same deployment are taken down again.
 */
@Singleton
public class DeployService {

    private final AppService apps;
    private final PodService pods;
    private final NodeRepository nodes;
    private final ContainerRepository containers;
    private final Reservations reservations;
    private final Launcher launcher;
    private final ExecutorService executor;
    private final CrashPoints crash;

    DeployService(AppService apps, PodService pods, NodeRepository nodes, ContainerRepository containers,
            Reservations reservations, Launcher launcher, @Named(TaskExecutors.BLOCKING) ExecutorService executor,
            CrashPoints crash) {
        this.crash = crash;
        this.apps = apps;
        this.pods = pods;
        this.nodes = nodes;
        this.containers = containers;
        this.reservations = reservations;
        this.launcher = launcher;
        this.executor = executor;
    }

    public List<Container> deploy(Caller caller, String appName, Schema.Deploy request) {
        App app = apps.get(caller, appName);
        Pod pod = pods.get(caller, app.pod());
        if (!pod.allows(app.tenant())) {
            throw new SchedulerException(SchedulerError.FORBIDDEN, "pod '" + pod.name()
                    + "' is no longer granted to tenant '" + app.tenant() + "'");
        }
        Map<String, String> selector = new HashMap<>(app.nodeSelector());
        if (request.nodeSelector() != null) {
            selector.putAll(request.nodeSelector());
        }
        List<String> groups = request.groups() != null ? request.groups()
                : app.antiAffinity() == null ? List.of() : List.of(app.antiAffinity());
        Strategy strategy = request.strategy() == null ? Strategy.SPREAD : Strategy.parse(request.strategy());
        PlacementRequest placement = new PlacementRequest(app.name(), request.count(), Launcher.cpuOf(app, pod),
                app.memory(), selector, groups, strategy);
        List<String> keys = volumeKeys(app, request);
        if (!keys.isEmpty()) {
            placement = placement.withHomes(Collections.nCopies(keys.size(), null)); // checks the strategy
        }
        List<Container> reserved = reservations.reserve(app, placement, request.role(), keys, request.node());
        crash.passed(LifecycleStep.RESERVED.id());
        return start(app, pod, reserved);
    }

    /** The deployment's volume keys, checked: none, or one per container, distinct, for an app with a volume. */
    private static List<String> volumeKeys(App app, Schema.Deploy request) {
        if (request.volumes() == null) {
            return List.of();
        }
        if (app.volume() == null) {
            throw new SchedulerException(SchedulerError.INVALID_VOLUME, "app '" + app.name() + "' has no volume path: "
                    + "volumes are for apps created with 'volume' (where the data is mounted)");
        }
        if (request.volumes().size() != request.count()) {
            throw new SchedulerException(SchedulerError.INVALID_VOLUME, "volumes has " + request.volumes().size()
                    + " keys for a count of " + request.count() + ": give one key per container");
        }
        Set<String> seen = new HashSet<>();
        for (String key : request.volumes()) {
            if (!seen.add(VolumeNames.key(key))) {
                throw new SchedulerException(SchedulerError.INVALID_VOLUME, "volume key '" + key + "' is given twice: "
                        + "each container needs a key of its own");
            }
        }
        return List.copyOf(request.volumes());
    }

    private List<Container> start(App app, Pod pod, List<Container> reserved) {
        List<AppFile> files = apps.files(app);
        Map<Long, Node> byId = new HashMap<>();
        nodes.findByPodOrderById(pod.name()).forEach(n -> byId.put(n.id(), n));
        List<CompletableFuture<Container>> launches = reserved.stream()
                .map(c -> CompletableFuture.supplyAsync(
                        () -> launcher.launch(app, pod, byId.get(c.nodeId()), c, files), executor))
                .toList();
        List<Container> started = new ArrayList<>();
        RuntimeException failure = null;
        for (CompletableFuture<Container> launch : launches) {
            try {
                started.add(launch.join());
            } catch (CompletionException e) {
                if (e.getCause() instanceof CrashPoints.Halted halted) {
                    throw halted; // nor does it take the deployment's other containers down again
                }
                failure = failure != null ? failure
                        : e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            }
        }
        if (failure != null) {
            for (Container c : started) {
                launcher.discard(byId.get(c.nodeId()), c);
            }
            throw failure instanceof SchedulerException se
                    ? new SchedulerException(se.error(), (reserved.size() - started.size()) + " of " + reserved.size()
                            + " containers failed to start, so none was kept: " + se.getMessage(), se)
                    : failure;
        }
        return started;
    }

    /** The caller's container by id (not found when it belongs to someone else). */
    public Container get(Caller caller, long id) {
        Container c = containers.findById(id).orElseThrow(() -> SchedulerException.notFound("container", id));
        if (!caller.mayAccess(c.tenant())) {
            throw SchedulerException.notFound("container", id);
        }
        return c;
    }

    public List<Container> list(Caller caller, @Nullable String appName) {
        if (appName != null) {
            return containers.findByAppIdOrderById(apps.get(caller, appName).id());
        }
        if (caller.tenant() == null) {
            caller.requireOperator("listing every tenant's containers");
            return containers.findAllOrderById();
        }
        return containers.findByTenantOrderById(caller.tenant());
    }

    /** Stops and removes one container; false when its node could not confirm (it stays REMOVING). */
    public boolean remove(Caller caller, long id) {
        Container c = get(caller, id);
        App app = apps.byId(c.appId());
        AppService.requireChangeable(caller, app, "remove a container of");
        return launcher.takeDown(app, nodes.findById(c.nodeId()).orElseThrow(), c);
    }

    /** Brings an app to {@code replicas} containers: deploys the missing ones or removes the newest. */
    public List<Container> scale(Caller caller, String appName, int replicas, @Nullable String strategy) {
        if (replicas < 0 || replicas > PlacementRequest.MAX_COUNT) {
            throw new SchedulerException(SchedulerError.INVALID_COUNT, "replicas must be 0 to "
                    + PlacementRequest.MAX_COUNT + ", not " + replicas);
        }
        App app = apps.get(caller, appName);
        AppService.requireChangeable(caller, app, "scale");
        List<Container> current = containers.findByAppIdOrderById(app.id()).stream()
                .filter(c -> c.state() != ContainerState.REMOVING && c.state() != ContainerState.STOPPING)
                .toList();
        if (replicas > current.size()) {
            deploy(caller, appName, new Schema.Deploy(replicas - current.size(), strategy, null, null, null));
        } else if (replicas < current.size()) {
            List<Container> newestFirst = current.stream().sorted(Comparator.comparing(Container::id).reversed())
                    .limit(current.size() - replicas).toList();
            for (Container c : newestFirst) {
                launcher.takeDown(app, nodes.findById(c.nodeId()).orElseThrow(), c);
            }
        }
        return containers.findByAppIdOrderById(app.id());
    }
}
