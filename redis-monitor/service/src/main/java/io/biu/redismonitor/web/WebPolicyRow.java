package io.biu.redismonitor.web;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/** A tenant's policy for one web app ({@code id} is tenant/app): the settings it chose, as JSON. */
@MappedEntity("web_policy")
record WebPolicyRow(@Id String id, String tenant, String app, String settings, Instant updatedAt) {
}
