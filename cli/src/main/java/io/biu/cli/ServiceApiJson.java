package io.biu.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.biu.cli.api.ServiceApi;

/** Small JSON replies the client makes up itself, for commands whose API answers with no body. */
final class ServiceApiJson {

    private ServiceApiJson() {
    }

    /** An object of alternating names and values. */
    static ObjectNode object(Object... namesAndValues) {
        ObjectNode o = ServiceApi.JSON.createObjectNode();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            o.set(String.valueOf(namesAndValues[i]), ServiceApi.JSON.valueToTree(namesAndValues[i + 1]));
        }
        return o;
    }
}
