package io.biu.redismonitor.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/** A recorded decision on a web app: scale out, scale in, a block, or a hold worth keeping. */
@MappedEntity("web_decision")
record WebDecisionRow(@Id @GeneratedValue @Nullable Long id, String tenant, String app, Instant at, String kind,
        int containers, int wanted, String reason, double rps, @Nullable String why) {
}
