package io.biu.kit.error;

/**
 * One way a service's requests can fail: a machine-readable code ({@link #name()}, e.g. {@code CAPACITY_EXHAUSTED})
 * and its {@link ErrorKind}. Each service declares its codes as an enum implementing this.
 */
public interface ErrorCode {

    /** The code callers see in the {@code error} field of the response. */
    String name();

    ErrorKind kind();
}
