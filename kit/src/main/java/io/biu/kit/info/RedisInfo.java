package io.biu.kit.info;

import java.util.HashMap;
import java.util.Map;

/** Redis's INFO and CLUSTER INFO replies, read as fields. */
public final class RedisInfo {

    private RedisInfo() {
    }

    /**
     * The reply's {@code field:value} lines as a map: section headers ({@code # Memory}) and lines without a colon
     * are skipped, and a value is everything after the first colon, trimmed.
     */
    public static Map<String, String> fields(String reply) {
        Map<String, String> fields = new HashMap<>();
        for (String line : reply.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#")) {
                fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        }
        return fields;
    }
}
