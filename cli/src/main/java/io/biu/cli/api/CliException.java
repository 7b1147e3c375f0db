package io.biu.cli.api;

/**
 * The one error of the client: what went wrong, what to do next (may be null) and the {@link Failure} that
 * decides the exit code.
 */
public final class CliException extends RuntimeException {

    private final Failure failure;
    private final String hint;

    public CliException(Failure failure, String message, String hint) {
        super(message);
        this.failure = failure;
        this.hint = hint;
    }

    public static CliException failed(String message, String hint) {
        return new CliException(Failure.FAILED, message, hint);
    }

    public static CliException usage(String message) {
        return new CliException(Failure.USAGE, message, null);
    }

    public static CliException unreachable(String message, String hint) {
        return new CliException(Failure.UNREACHABLE, message, hint);
    }

    public static CliException unauthorized(String message, String hint) {
        return new CliException(Failure.UNAUTHORIZED, message, hint);
    }

    public Failure failure() {
        return failure;
    }

    /** What to do next, or null when the message says it already. */
    public String hint() {
        return hint;
    }

    /** The same failure with another hint (a command knows better what its caller should do next). */
    public CliException withHint(String otherHint) {
        return new CliException(failure, getMessage(), otherHint);
    }

    /** As printed: {@code biu: message} and the hint on a line of its own. */
    public String describe() {
        return "biu: " + getMessage() + (hint == null ? "" : System.lineSeparator() + "  " + hint);
    }
}
