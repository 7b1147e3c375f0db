package io.biu.redismonitor.scaling;

import io.biu.redisctl.client.ClusterView;
import io.biu.redisctl.client.RedisCtlClient;
import io.biu.redismonitor.api.MonitorError;
import io.biu.redismonitor.api.MonitorException;
import io.biu.scheduler.client.api.Caller;
import io.micronaut.http.client.exceptions.HttpClientException;
import jakarta.inject.Singleton;

/** The caller's clusters, as redis-ctl has them: another tenant's cluster is reported as absent. */
@Singleton
class Clusters {

    private final RedisCtlClient redisCtl;

    Clusters(RedisCtlClient redisCtl) {
        this.redisCtl = redisCtl;
    }

    ClusterView owned(Caller caller, long id) {
        ClusterView cluster;
        try {
            cluster = redisCtl.cluster(caller.actingTenant(), id);
        } catch (HttpClientException e) {
            throw new MonitorException(MonitorError.UNAVAILABLE, "redis-ctl did not answer: " + e.getMessage(), e);
        }
        if (cluster == null) {
            throw new MonitorException(MonitorError.NOT_FOUND, "no cluster " + id);
        }
        return cluster;
    }
}
