package io.biu.redisctl.cluster;

import io.biu.redisctl.client.ClusterState;
import io.biu.redisctl.client.TaskKind;
import io.biu.redisctl.store.Cluster;
import io.biu.redisctl.store.ClusterRepository;
import io.biu.redisctl.task.StepHandler;
import io.biu.redisctl.task.Task;
import io.biu.redisctl.task.TaskContext;
import io.biu.scheduler.client.SchedulerClient;
import io.biu.scheduler.client.SchedulerErrors;
import io.biu.scheduler.client.Schema;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Deletes a cluster: removes its containers through the scheduler, then its app, then its records. */
@Singleton
final class Deletion implements StepHandler<TaskKind.Delete> {

    private static final Logger LOG = LoggerFactory.getLogger(Deletion.class);

    private final SchedulerClient scheduler;
    private final MemberNotice members;
    private final ClusterRepository clusters;
    private final Clock clock;

    Deletion(SchedulerClient scheduler, ClusterRepository clusters, MemberNotice members, Clock clock) {
        this.scheduler = scheduler;
        this.clusters = clusters;
        this.members = members;
        this.clock = clock;
    }

    @Override
    public TaskKind kind() {
        return TaskKind.DELETE;
    }

    @Override
    public Class<TaskKind.Delete> steps() {
        return TaskKind.Delete.class;
    }

    @Override
    public StepCode code(TaskKind.Delete step, Cluster cluster, Task task) {
        return switch (step) {
            case REMOVE_CONTAINERS -> context -> removeContainers(cluster, context);
            case REMOVE_APP -> context -> removeApp(cluster);
        };
    }

    private void removeContainers(Cluster cluster, TaskContext context) {
        List<Schema.Container> left = scheduler.containers(cluster.tenant(), cluster.app());
        if (left == null) {
            return;
        }
        for (Schema.Container c : left) {
            context.ensureHeld();
            SchedulerErrors.body(scheduler.remove(cluster.tenant(), c.id()));
        }
        context.progress("asked the scheduler to remove " + left.size() + " containers");
    }

    private void removeApp(Cluster cluster) {
        try {
            scheduler.deleteApp(cluster.tenant(), cluster.app());
        } catch (HttpClientResponseException e) {
            if (e.getStatus().getCode() != 404) {
                throw e;
            }
        }
    }

    @Override
    public void succeeded(Cluster cluster) {
        clusters.deleteById(cluster.id());
        members.forget(cluster.id());
        LOG.info("cluster {}/{} is deleted", cluster.tenant(), cluster.name());
    }

    @Override
    public void failed(Cluster cluster, String why) {
        clusters.update(cluster.withState(ClusterState.FAILED, clock.instant()));
    }
}
