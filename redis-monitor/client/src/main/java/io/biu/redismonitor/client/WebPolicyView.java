package io.biu.redismonitor.client;

import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/**
 * A web app's scaling policy ({@code GET}, {@code PUT} and {@code DELETE /web-policies/{app}}).
 *
 * @param chosen the settings its tenant chose
 * @param policy the policy in force, every setting
 */
@Serdeable
public record WebPolicyView(String app, WebPolicySettings chosen, WebPolicySettings policy, Instant updatedAt) {
}
