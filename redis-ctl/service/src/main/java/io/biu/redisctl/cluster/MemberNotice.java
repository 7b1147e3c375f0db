package io.biu.redisctl.cluster;

import io.biu.admin.client.ProxyAdminClient;
import io.biu.redisctl.client.InstanceState;
import io.biu.redisctl.store.Cluster;
import io.biu.redisctl.store.Instance;
import io.biu.redisctl.store.InstanceRepository;
import io.biu.redisctl.task.StepListener;
import jakarta.inject.Singleton;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells proxy-admin when the instances of a cluster change, so that the cluster's proxies, which connect to no address
 * but its instances', know a new one before slots or clients are sent to it, and forget one whose address may soon be
 * someone else's. After every task step the cluster's members are compared with those last told every proxy; a change
 * is told before the task's next step runs (a join's slot moves come after the step that records the new instances),
 * within proxy-admin's client timeout. What could not be told (proxy-admin or a proxy not answering) is told again
 * after the next step, and proxy-admin tells its proxies at a fixed interval anyway; meanwhile a proxy waits out a
 * redirection to an instance it does not know yet within its retry window, then answers an error: the command has not
 * run.
 */
@Singleton
public class MemberNotice implements StepListener {

    private static final Logger LOG = LoggerFactory.getLogger(MemberNotice.class);

    /**
     * Instances a client of the cluster may be sent to: joining, active, draining and suspect ones. Those not, or no
     * longer, in it (removable, failed, abandoned) are not, since their addresses may soon be someone else's.
     */
    static final Set<InstanceState> MEMBER_STATES = EnumSet.of(InstanceState.JOINING, InstanceState.ACTIVE,
            InstanceState.DRAINING, InstanceState.SUSPECT);

    private final InstanceRepository instances;
    private final ProxyAdminClient proxyAdmin;
    private final Map<Long, List<String>> told = new ConcurrentHashMap<>();

    MemberNotice(InstanceRepository instances, ProxyAdminClient proxyAdmin) {
        this.instances = instances;
        this.proxyAdmin = proxyAdmin;
    }

    /** The cluster's members ({@link #MEMBER_STATES}) as {@code host:port}, in the table's order. */
    static List<String> members(List<Instance> all) {
        return all.stream().filter(i -> MEMBER_STATES.contains(i.state())).map(Instance::hostPort).distinct()
                .toList();
    }

    @Override
    public void stepDone(Cluster cluster) {
        try {
            List<String> members = members(instances.findByClusterIdOrderByShardAndRoleAndId(cluster.id()));
            if (members.equals(told.get(cluster.id()))) {
                return;
            }
            tell(cluster, members);
        } catch (RuntimeException e) {
            LOG.warn("cluster {}/{}: cannot read its instances to tell proxy-admin: {}", cluster.tenant(),
                    cluster.name(), e.toString());
        }
    }

    private void tell(Cluster cluster, List<String> members) {
        try {
            List<String> missed = proxyAdmin.membersChanged(cluster.tenant(), cluster.id());
            if (missed == null || missed.isEmpty()) {
                told.put(cluster.id(), members);
            } else {
                LOG.info("cluster {}/{}: proxies not told of its instances yet: {}", cluster.tenant(), cluster.name(),
                        missed);
            }
        } catch (RuntimeException e) {
            LOG.info("cluster {}/{}: proxy-admin was not told of its instances ({}); it is at the next step and "
                    + "its proxies at proxy-admin's next sync", cluster.tenant(), cluster.name(), e.toString());
        }
    }

    /** The cluster is gone: nothing more to tell of it. */
    public void forget(long clusterId) {
        told.remove(clusterId);
    }
}
