package io.biu.redisctl.cluster;

import io.biu.redisctl.plan.Member;
import io.biu.redisctl.store.Instance;
import java.util.List;

/** Instances as the plan package sees them, and back. */
final class Members {

    private Members() {
    }

    static List<Member> of(List<Instance> instances) {
        return instances.stream().map(Instance::member).toList();
    }

    /** The instance {@code member} stands for. */
    static Instance instance(List<Instance> instances, Member member) {
        return instances.stream().filter(i -> i.id() == member.id()).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("instance " + member.id() + " is not among those given"));
    }
}
