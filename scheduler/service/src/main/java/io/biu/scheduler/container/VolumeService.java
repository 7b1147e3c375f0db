package io.biu.scheduler.container;

import io.biu.scheduler.api.Caller;
import io.biu.scheduler.app.App;
import io.biu.scheduler.app.AppService;
import io.biu.scheduler.volume.Volume;
import io.biu.scheduler.volume.VolumeNames;
import io.biu.scheduler.volume.VolumeRemovals;
import io.biu.scheduler.volume.VolumeRepository;
import jakarta.inject.Singleton;
import java.util.List;

/** An app's keyed volumes, as its tenant sees and removes them. */
@Singleton
public class VolumeService {

    private final AppService apps;
    private final VolumeRepository volumes;
    private final VolumeMarks marks;
    private final VolumeRemovals removals;

    VolumeService(AppService apps, VolumeRepository volumes, VolumeMarks marks, VolumeRemovals removals) {
        this.apps = apps;
        this.volumes = volumes;
        this.marks = marks;
        this.removals = removals;
    }

    /** The caller's app's volumes on every node, oldest first, removals pending included. */
    public List<Volume> list(Caller caller, String appName) {
        return volumes.findByAppIdOrderById(apps.get(caller, appName).id());
    }

    /**
     * Removes a key's volumes on every node: at once where the node answers, and by the reconciler once it does where
     * it does not. Fails while a container of the key exists (remove it first), and for a key with no volume.
     */
    public VolumeRemovals.Outcome delete(Caller caller, String appName, String key) {
        App app = apps.get(caller, appName);
        AppService.requireChangeable(caller, app, "remove a volume of");
        return removals.remove(marks.mark(app, VolumeNames.key(key)));
    }
}
