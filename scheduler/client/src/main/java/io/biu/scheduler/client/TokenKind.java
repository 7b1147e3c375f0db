package io.biu.scheduler.client;

import io.micronaut.serde.annotation.Serdeable;

/** What a token may do. The API writes these as they are spelled here ({@code OPERATOR}). */
@Serdeable
public enum TokenKind {
    /** Runs the platform: pods, nodes, tokens; may act for any tenant. */
    OPERATOR,
    /** A team: its own apps and containers on the pods granted to it. */
    TENANT,
    /** Another Biu service, acting for the tenant it names in each call. */
    SERVICE
}
