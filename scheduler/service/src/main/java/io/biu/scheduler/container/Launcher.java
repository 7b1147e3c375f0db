package io.biu.scheduler.container;

import io.biu.kit.crash.CrashPoints;
import io.biu.scheduler.app.App;
import io.biu.scheduler.app.AppFile;
import io.biu.scheduler.client.ContainerState;
import io.biu.scheduler.client.EventType;
import io.biu.scheduler.client.LifecycleStep;
import io.biu.scheduler.client.NodeState;
import io.biu.scheduler.client.Schema;
import io.biu.scheduler.cpu.CpuRequest;
import io.biu.scheduler.cpu.DockerCpu;
import io.biu.scheduler.engine.CommandLine;
import io.biu.scheduler.engine.Engine;
import io.biu.scheduler.engine.Engines;
import io.biu.scheduler.error.SchedulerException;
import io.biu.scheduler.node.Node;
import io.biu.scheduler.pod.NetworkMode;
import io.biu.scheduler.pod.Pod;
import io.biu.scheduler.volume.VolumeNames;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a reservation into a running container, one named step at a time (create, copy files, start),
 * recording each in the container's row; and takes containers down again (stopping, stopped, removed),
 * freeing their reservation only once the engine confirms the removal. Every step is idempotent and its
 * outcome recorded before the next, so the reconciler can finish or undo what a halted process began.
 */
@Singleton
public class Launcher {

    private static final Logger LOG = LoggerFactory.getLogger(Launcher.class);

    private final ContainerStates states;
    private final Engines engines;
    private final CrashPoints crash;
    private final StartedContainers started;

    Launcher(ContainerStates states, Engines engines, CrashPoints crash, StartedContainers started) {
        this.states = states;
        this.engines = engines;
        this.crash = crash;
        this.started = started;
    }

    Engine engine(Node node) {
        return engines.at(node.endpoint(), node.tlsDir());
    }

    /** Labels every engine container of Biu carries: who, what and where, never secrets. */
    static Map<String, String> labels(App app, Container c) {
        Map<String, String> labels = new HashMap<>(app.labels());
        labels.put("biu.container", String.valueOf(c.id()));
        labels.put("biu.app", app.name());
        labels.put("biu.tenant", app.tenant());
        labels.put("biu.pod", c.pod());
        if (c.role() != null) {
            labels.put("biu.role", c.role());
        }
        if (c.group() != null) {
            labels.put("biu.group", c.group());
        }
        if (c.volumeKey() != null) {
            labels.put("biu.volume-key", c.volumeKey());
        }
        return labels;
    }

    static Engine.Spec spec(App app, Pod pod, Node node, Container c, List<AppFile> files) {
        Map<String, String> env = new HashMap<>(app.env());
        List<Integer> ports = c.ports();
        for (int i = 0; i < ports.size(); i++) {
            env.put("BIU_PORT_" + i, String.valueOf(ports.get(i)));
        }
        if (c.address() != null) {
            env.put("BIU_ADDRESS", c.address());
        }
        // what a process announces when it shares the node's network (host mode)
        env.put("BIU_NODE_ADDRESS", node.host());
        DockerCpu cpu = DockerCpu.of(c.cpu(), pod.base(), pod.cpuLimit());
        List<String> command = app.command() == null ? null : CommandLine.expand(app.command(), env);
        return new Engine.Spec(c.name(), app.image(), command, env, labels(app, c),
                pod.networkMode() == NetworkMode.MACVLAN ? pod.networkName() : null, c.address(), cpu, c.memory(),
                volume(app, c), app.stopGraceDuration(), hardening(app, files));
    }

    /**
     * How the app's processes run. On a read-only root each directory to write (outside the volume, which is
     * writable anyway) is a small volume of its own, kept while the container is: the app's writable directories, and
     * those holding its files, which could not be delivered otherwise.
     */
    static Engine.Hardening hardening(App app, List<AppFile> files) {
        Schema.Security security = app.securityOrDefault();
        List<String> dirs = !security.readOnly() ? List.of() : Stream.concat(
                        files.stream().map(f -> f.path().substring(0, f.path().lastIndexOf('/'))),
                        security.writable() == null ? Stream.<String>empty() : security.writable().stream())
                .filter(dir -> !dir.isEmpty() && !within(dir, app.volume()))
                .distinct().sorted().toList();
        return new Engine.Hardening(security.user(), security.readOnly(),
                security.capabilities() == null ? List.of() : security.capabilities(), dirs);
    }

    private static boolean within(String dir, @Nullable String volume) {
        return volume != null && (dir.equals(volume) || dir.startsWith(volume.endsWith("/") ? volume : volume + "/"));
    }

    /** The key's volume for a container with a key, its own for one without (if the app has a volume path). */
    static Engine.DataVolume volume(App app, Container c) {
        if (app.volume() == null) {
            return null;
        }
        return c.volumeName() == null ? Engine.DataVolume.own(c.name(), app.volume())
                : new Engine.DataVolume(c.volumeName(), app.volume(),
                        VolumeNames.labels(app.name(), app.tenant(), c.volumeKey()));
    }

    /**
     * Creates, fills and starts a reserved container. On failure the engine's container (if any) and the
     * reservation are removed; if the engine cannot confirm that, the row stays, marked {@code REMOVING},
     * and keeps its resources until the reconciler can.
     */
    Container launch(App app, Pod pod, Node node, Container reserved, List<AppFile> files) {
        Engine engine = engine(node);
        Container c = reserved;
        try {
            Engine.Spec spec = spec(app, pod, node, c, files);
            String id = engine.create(spec);
            c = states.created(c, id);
            crash.passed(LifecycleStep.CREATED.id());
            engine.copyFiles(id, files.stream().map(f -> new Engine.File(f.path(), f.mode(), f.content())).toList(),
                    spec.hardening());
            crash.passed(LifecycleStep.FILES_COPIED.id());
            engine.start(id);
            c = states.move(c, ContainerState.RUNNING, EventType.CONTAINER_STARTED);
            crash.passed(LifecycleStep.STARTED.id());
            LOG.info("container {} ({}) started on {} at {}", c.name(), c.id(), node.name(),
                    c.address() == null ? c.hostPorts() : c.address());
            started.started(app, node, c, engine);
            return c;
        } catch (CrashPoints.Halted halted) {
            throw halted; // a halted process cleans up nothing: what it began is the reconciler's to finish or undo
        } catch (RuntimeException | Error e) {
            LOG.warn("container {} ({}) failed to start on {}: {}", c.name(), c.id(), node.name(), e.toString());
            discard(node, c);
            throw e;
        }
    }

    /**
     * Removes a container from its engine and frees its reservation; when the engine cannot confirm, marks
     * it REMOVING instead and returns false.
     */
    boolean discard(Node node, Container c) {
        try {
            Engine engine = engine(node);
            if (c.engineId() != null) {
                engine.remove(c.engineId());
            } else {
                engine.inspect(c.name()).ifPresent(found -> engine.remove(found.id()));
            }
            crash.passed(LifecycleStep.ENGINE_REMOVED.id());
            states.removed(c);
            return true;
        } catch (SchedulerException e) {
            LOG.warn("container {} ({}) could not be removed from {}, it keeps its resources until it can: {}",
                    c.name(), c.id(), node.name(), e.getMessage());
            states.move(c, ContainerState.REMOVING, null);
            return false;
        }
    }

    /**
     * Stops (with the app's grace) and removes a container, announcing {@code stopping} before the stop.
     * Returns true once its resources are free; false when its engine could not be reached, in which case
     * it stays REMOVING, holding them.
     */
    boolean takeDown(App app, Node node, Container c) {
        if (node.state() != NodeState.UP) {
            // nothing can be asked of an engine that does not answer: the reconciler finishes the removal
            // when the node is back; until then the container keeps its resources and address
            LOG.info("container {} ({}) is on {}, which is {}: removed once the node answers again", c.name(), c.id(),
                    node.name(), node.state().name().toLowerCase());
            states.move(c, ContainerState.REMOVING, null);
            return false;
        }
        Container stopping = states.move(c, ContainerState.STOPPING, EventType.CONTAINER_STOPPING);
        crash.passed(LifecycleStep.STOPPING.id());
        try {
            if (stopping.engineId() != null) {
                engine(node).stop(stopping.engineId(), app.stopGraceDuration());
            }
        } catch (SchedulerException e) {
            LOG.warn("container {} ({}) could not be stopped on {}: {}", c.name(), c.id(), node.name(),
                    e.getMessage());
            states.move(stopping, ContainerState.REMOVING, null);
            return false;
        }
        Container stopped = states.move(stopping, ContainerState.STOPPED, EventType.CONTAINER_STOPPED);
        crash.passed(LifecycleStep.STOPPED.id());
        boolean freed = discard(node, stopped);
        if (freed) {
            LOG.info("container {} ({}) removed from {}", c.name(), c.id(), node.name());
        }
        return freed;
    }

    static CpuRequest cpuOf(App app, Pod pod) {
        return new CpuRequest(pod.base(), app.cpuPieces());
    }
}
