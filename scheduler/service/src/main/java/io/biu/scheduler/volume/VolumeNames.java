package io.biu.scheduler.volume;

import io.biu.scheduler.client.Schema;
import io.biu.scheduler.error.SchedulerError;
import io.biu.scheduler.error.SchedulerException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How keyed volumes are named and labelled on engines. A caller only ever chooses a key; the engine's name is the
 * scheduler's: {@code biu-a<app id>-<key>-<8 random hex digits>}. The app's id keeps one app's (and so one tenant's)
 * volumes apart from every other's, whatever keys they choose; the random part keeps a new volume of a key apart from
 * an older one of the same key whose removal still waits on the same node.
 */
public final class VolumeNames {

    private static final Pattern KEY = Pattern.compile(Schema.Deploy.VOLUME_KEY);
    private static final SecureRandom RANDOM = new SecureRandom();

    private VolumeNames() {
    }

    /** A caller's volume key, checked. */
    public static String key(String value) {
        if (value == null || !KEY.matcher(value).matches()) {
            throw new SchedulerException(SchedulerError.INVALID_VOLUME, "volume key '" + value + "' is not valid: use"
                    + " 1 to 40 lower-case letters, digits and '-', starting with a letter or a digit");
        }
        return value;
    }

    /** A new engine name for a volume of the app's key. */
    public static String engineName(long appId, String key) {
        byte[] suffix = new byte[4];
        RANDOM.nextBytes(suffix);
        return "biu-a" + appId + "-" + key(key) + "-" + HexFormat.of().formatHex(suffix);
    }

    /** The labels a keyed volume carries on its engine: whose it is and its key, never a secret. */
    public static Map<String, String> labels(String app, String tenant, String key) {
        return Map.of("biu.app", app, "biu.tenant", tenant, "biu.volume-key", key);
    }
}
