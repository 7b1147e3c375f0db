package io.biu.redisctl.client;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/** Containers to make members of a cluster ({@code POST /clusters/{id}/members}). */
@Serdeable
public record JoinRequest(@Nullable List<Member> members) {
}
