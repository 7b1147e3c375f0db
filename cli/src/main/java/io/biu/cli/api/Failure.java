package io.biu.cli.api;

/** Why a command failed, and the exit code a script sees for it. */
public enum Failure {
    /** The operation failed: the API refused it or it went wrong on the way. */
    FAILED(1),
    /** The command line was wrong: unknown command or option, missing or invalid value. */
    USAGE(2),
    /** A service did not answer: the instance is down or the address is wrong. */
    UNREACHABLE(3),
    /** No token, an unknown or revoked token, or a token that may not do this. */
    UNAUTHORIZED(4);

    private final int exitCode;

    Failure(int exitCode) {
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
