package io.biu.scheduler.identity;

/** What a token may do. */
public enum TokenKind {
    /** Runs the platform: pods, nodes, tokens; may act for any tenant. */
    OPERATOR,
    /** A team: its own apps and containers on the pods granted to it. */
    TENANT,
    /** Another Biu service, acting for the tenant it names in each call. */
    SERVICE
}
