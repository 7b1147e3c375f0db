package io.biu.scheduler.event;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * Where events go ({@code biu.bus.*}).
 *
 * @param uri       the bus Redis, e.g. redis://127.0.0.1:6390
 * @param user      the bus's user the relay connects as (none: the bus's default user)
 * @param passwordFile the file that holds that user's password
 * @param prefix    key prefix: the stream is PREFIX:events, membership hashes PREFIX:members:TENANT/APP,
 *                  the last published sequence PREFIX:events:last
 * @param maxLength about how many events the stream keeps (older ones are trimmed)
 */
@ConfigurationProperties("biu.bus")
public record BusConfig(String uri, @Nullable String user, @Nullable String passwordFile, String prefix,
        long maxLength) {

    public String stream() {
        return prefix + ":events";
    }

    public String lastKey() {
        return prefix + ":events:last";
    }

    public String membersKey(String tenant, String app) {
        return prefix + ":members:" + tenant + "/" + app;
    }
}
