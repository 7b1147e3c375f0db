package io.biu.redisctl.client;

import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/** Where clients connect to a cluster: its endpoint, as proxy-admin has it ({@code state} in proxy-admin's words). */
@Serdeable
public record ClusterEndpoint(long id, List<String> addresses, String state) {
}
