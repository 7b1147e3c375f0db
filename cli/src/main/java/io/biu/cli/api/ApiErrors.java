package io.biu.cli.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.biu.scheduler.client.api.ApiError;
import java.io.IOException;

/**
 * Turns a service's error reply ({@code {"error": CODE, "message": ...}}, or anything else a proxy or a dying
 * process may send) into a {@link CliException} that says what happened and what to do next.
 */
public final class ApiErrors {

    private static final ObjectMapper JSON = ServiceApi.JSON;
    static final String TOKEN_HINT = "check the token: --token, BIU_TOKEN or token= in ~/.config/biu/config "
            + "(an operator issues tokens with `biu token create`)";

    private ApiErrors() {
    }

    /**
     * The failure for an HTTP error reply.
     *
     * @param service the service's name, as the user knows it ({@code redis-ctl})
     * @param status the HTTP status, 400 or more
     * @param body the reply's body, possibly empty or not JSON
     */
    public static CliException of(String service, int status, String body) {
        String code = null;
        String message = null;
        try {
            JsonNode reply = body == null || body.isBlank() ? null : JSON.readTree(body);
            if (reply != null && reply.isObject()) {
                ApiError error = JSON.treeToValue(reply, ApiError.class);
                code = error.error();
                message = error.message();
            }
        } catch (IOException notJson) {
            message = null;
        }
        if (message == null || message.isBlank()) {
            message = body == null || body.isBlank() ? "HTTP " + status : body.strip();
        }
        String text = service + ": " + message;
        if (status == 401) {
            return CliException.unauthorized(text, TOKEN_HINT);
        }
        if (status == 403) {
            return CliException.unauthorized(text, "use a token that may do this: an operator's, or the "
                    + "owning tenant's");
        }
        if (message.contains("X-Biu-Tenant")) {
            return CliException.failed(text, "an operator acts for a tenant: add --tenant NAME (or set BIU_TENANT)");
        }
        if (status == 502 || status == 503 || status == 504 || "UNAVAILABLE".equals(code)) {
            return CliException.unreachable(text, "a service behind " + service + " is not answering: "
                    + "`./biu status` shows what runs, `./biu up` starts what does not");
        }
        if (status >= 500) {
            return CliException.failed(text, "the service failed: `./biu logs " + service + "` shows why; "
                    + "try again once it is fixed");
        }
        return CliException.failed(text, null);
    }
}
