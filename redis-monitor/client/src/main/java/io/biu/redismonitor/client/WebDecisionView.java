package io.biu.redismonitor.client;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/**
 * A recorded decision on a web app ({@code GET /web-policies/{app}/decisions}).
 *
 * @param containers the containers it had
 * @param wanted the containers it should have
 * @param reason in a word: {@code load-high}, {@code load-low}, {@code below-minimum}, {@code above-maximum},
 *     {@code at-maximum}, {@code not-sustained}, {@code cooldown}, {@code removal-would-overload},
 *     {@code within-bounds}, {@code no-data}, or {@code blocked}
 * @param rps its request rate then
 * @param why of a block: what the scheduler said
 */
@Serdeable
public record WebDecisionView(long id, String app, Instant at, DecisionKind decision, int containers, int wanted,
        String reason, double rps, @Nullable String why) {
}
