package io.biu.scheduler.client;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.serde.annotation.Serdeable;

/** Reads the scheduler's {@code {error, message}} bodies out of failed calls. */
public final class SchedulerErrors {

    private SchedulerErrors() {
    }

    @Serdeable
    public record Body(@Nullable String error, @Nullable String message) {
    }

    /**
     * The body of a change's response; an error status (which the client hands back as a response when it is a
     * 404) is thrown as the {@code HttpClientResponseException} every other error status is.
     */
    public static <T> T body(HttpResponse<T> response) {
        if (response.getStatus().getCode() >= 400) {
            throw new HttpClientResponseException(response.getStatus().getReason(), response);
        }
        return response.body();
    }

    /** The scheduler's own message for a failed call, or the HTTP status when it sent none. */
    public static String message(HttpClientResponseException e) {
        return e.getResponse().getBody(Body.class).map(Body::message).orElse(e.getStatus().getCode() + " "
                + e.getStatus().getReason());
    }

    /** The scheduler's error code (e.g. {@code capacity}, {@code not_found}), or null. */
    @Nullable
    public static String code(HttpClientResponseException e) {
        return e.getResponse().getBody(Body.class).map(Body::error).orElse(null);
    }
}
