package io.biu.redisctl.plan;

import java.util.List;

/** Synthetic clusters, written compactly: members as redis-ctl books them, and a survivor's CLUSTER NODES. */
final class Fixtures {

    private Fixtures() {
    }

    static Member master(long id, String node, int shard, String redisId) {
        return new Member(id, redisId, node, shard, Member.Role.MASTER, true);
    }

    static Member replica(long id, String node, int shard, String redisId) {
        return new Member(id, redisId, node, shard, Member.Role.REPLICA, true);
    }

    /** The member, no longer active (failed, joining or leaving). */
    static Member inactive(Member m) {
        return new Member(m.id(), m.redisId(), m.node(), m.shard(), m.role(), false);
    }

    static List<Long> ids(List<Member> members) {
        return members.stream().map(Member::id).toList();
    }

    /**
     * CLUSTER NODES as a survivor sees it, one node per argument: {@code "m0"} is a master, {@code "r0>m0"} a replica
     * of m0, a {@code !} marks a failing node ({@code "m1!"}, {@code "r1!>m1"}), and slots or ranges follow after spaces
     * ({@code "m0 0-5460"}). The first node is the one whose view it is.
     */
    static Topology view(String... nodes) {
        StringBuilder text = new StringBuilder();
        for (int n = 0; n < nodes.length; n++) {
            String[] words = nodes[n].split(" ");
            String who = words[0];
            boolean failing = who.contains("!");
            who = who.replace("!", "");
            String[] f = who.split(">");
            text.append(f[0]).append(" 10.0.1.").append(n + 1).append(":6379@16379 ")
                    .append(n == 0 ? "myself," : "").append(f.length == 1 ? "master" : "slave")
                    .append(failing ? ",fail " : " ").append(f.length == 1 ? "-" : f[1]).append(" 0 0 1 ")
                    .append(failing ? "disconnected" : "connected");
            for (int w = 1; w < words.length; w++) {
                text.append(' ').append(words[w]);
            }
            text.append('\n');
        }
        return Topology.parse(text.toString());
    }
}
