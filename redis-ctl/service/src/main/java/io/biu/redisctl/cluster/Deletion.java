package io.biu.redisctl.cluster;

import io.biu.redisctl.client.ClusterState;
import io.biu.redisctl.client.TaskKind;
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
final class Deletion implements StepHandler {

    private static final Logger LOG = LoggerFactory.getLogger(Deletion.class);

    private final SchedulerClient scheduler;
    private final ClusterRepository clusters;
    private final Clock clock;

    Deletion(SchedulerClient scheduler, ClusterRepository clusters, Clock clock) {
        this.scheduler = scheduler;
        this.clusters = clusters;
        this.clock = clock;
    }

    @Override
    public TaskKind kind() {
        return TaskKind.DELETE;
    }

    @Override
    public void run(String step, Cluster cluster, Task task, TaskContext context) {
        switch (step) {
            case "remove-containers" -> {
                List<Schema.Container> left = scheduler.containers(cluster.tenant(), cluster.app());
                if (left == null) {
                    return;
                }
                for (Schema.Container c : left) {
                    SchedulerErrors.body(scheduler.remove(cluster.tenant(), c.id()));
                }
                context.progress("asked the scheduler to remove " + left.size() + " containers");
            }
            case "remove-app" -> {
                try {
                    scheduler.deleteApp(cluster.tenant(), cluster.app());
                } catch (HttpClientResponseException e) {
                    if (e.getStatus().getCode() != 404) {
                        throw e;
                    }
                }
            }
            default -> throw new IllegalArgumentException("deletion has no step " + step);
        }
    }

    @Override
    public void succeeded(Cluster cluster) {
        clusters.deleteById(cluster.id());
        LOG.info("cluster {}/{} is deleted", cluster.tenant(), cluster.name());
    }

    @Override
    public void failed(Cluster cluster, String why) {
        clusters.update(cluster.withState(ClusterState.FAILED, clock.instant()));
    }
}
