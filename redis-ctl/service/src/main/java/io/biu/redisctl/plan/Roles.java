package io.biu.redisctl.plan;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Roles as redis-ctl books them, brought up to date with the cluster's. */
public final class Roles {

    private Roles() {
    }

    /**
     * The active members whose booked role is not the one {@code view} shows (a failover promoted a replica, or made a
     * returning master follow it), each booked as the view has it. A member the view does not know, or shows failing,
     * keeps its booking: what the view says of it cannot be trusted.
     */
    public static List<Member> changed(List<Member> members, Topology view) {
        List<Member> changed = new ArrayList<>();
        for (Member m : members) {
            Topology.Node n = m.redisId() == null || !m.active() ? null : view.node(m.redisId());
            if (n == null || n.failing()) {
                continue;
            }
            Member.Role live = n.master() ? Member.Role.MASTER : Member.Role.REPLICA;
            if (live != m.role()) {
                changed.add(m.as(live));
            }
        }
        return changed;
    }

    /**
     * As {@link #changed(List, Topology)}, with each member's role as the member itself reports it: {@code selves} holds
     * the line of CLUSTER NODES about itself ({@code myself}) of each member that answered. One member's view of the
     * others lags behind what changed elsewhere a moment ago (a replica just promoted, a newcomer just attached, which
     * it still shows as the master every new node starts as), whereas a member knows its own role first.
     */
    public static List<Member> changed(List<Member> members, Collection<Topology.Node> selves) {
        return changed(members, new Topology(List.copyOf(selves)));
    }
}
