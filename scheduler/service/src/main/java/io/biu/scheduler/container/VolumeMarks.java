package io.biu.scheduler.container;

import io.biu.scheduler.app.App;
import io.biu.scheduler.client.ContainerState;
import io.biu.scheduler.error.SchedulerError;
import io.biu.scheduler.error.SchedulerException;
import io.biu.scheduler.pod.PodRepository;
import io.biu.scheduler.volume.Volume;
import io.biu.scheduler.volume.VolumeRemovals;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The decision to remove a key's volumes, in one transaction that holds the pod's row, as reservations do: no
 * container of the key may be left, and none can be reserved between that check and the volumes' marking.
 */
@Singleton
class VolumeMarks {

    private static final Set<ContainerState> LEAVING = EnumSet.of(ContainerState.STOPPING, ContainerState.STOPPED,
            ContainerState.REMOVING);

    private final PodRepository pods;
    private final ContainerRepository containers;
    private final VolumeRemovals removals;

    VolumeMarks(PodRepository pods, ContainerRepository containers, VolumeRemovals removals) {
        this.pods = pods;
        this.containers = containers;
        this.removals = removals;
    }

    /**
     * Marks the key's volumes for removal and returns them; fails while a container of the key exists, unless its
     * removal was decided already.
     */
    @Transactional
    List<Volume> mark(App app, String key) {
        pods.findByNameForUpdate(app.pod()).orElseThrow(() -> SchedulerException.notFound("pod", app.pod()));
        // one whose removal was decided (and waits for its node) is no reason to keep the volume: the reconciler
        // removes the container, then the volume, once the node answers
        List<Container> mounting = containers.findByAppIdOrderById(app.id()).stream()
                .filter(c -> key.equals(c.volumeKey()) && !LEAVING.contains(c.state())).toList();
        if (!mounting.isEmpty()) {
            throw new SchedulerException(SchedulerError.IN_USE, "volume key '" + key + "' of app '" + app.name()
                    + "' is still mounted by " + mounting.stream().map(c -> "container " + c.name() + " ("
                            + c.state().name().toLowerCase(Locale.ROOT) + ")").collect(Collectors.joining(", "))
                    + ": remove the key's containers first");
        }
        List<Volume> marked = removals.mark(app.id(), key);
        if (marked.isEmpty()) {
            throw new SchedulerException(SchedulerError.NOT_FOUND, "app '" + app.name() + "' has no volume of key '"
                    + key + "'");
        }
        return marked;
    }
}
