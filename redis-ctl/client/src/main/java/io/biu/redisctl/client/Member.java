package io.biu.redisctl.client;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/** A ready container of the cluster's app to join, and the role it joins in ({@code master} or {@code replica}). */
@Serdeable
public record Member(@Nullable Long container, @Nullable String role) {

    public static Member of(long container, Role role) {
        return new Member(container, role.id());
    }
}
