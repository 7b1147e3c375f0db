package io.biu.kit.error;

/** Error codes of an imaginary service, for tests. */
public enum TestCode implements ErrorCode {
    BUSY(ErrorKind.CONFLICT),
    ENGINE_FAILED(ErrorKind.UNAVAILABLE);

    private final ErrorKind kind;

    TestCode(ErrorKind kind) {
        this.kind = kind;
    }

    @Override
    public ErrorKind kind() {
        return kind;
    }
}
