package io.biu.admin.client;

import io.micronaut.serde.annotation.Serdeable;

/**
 * proxy-admin's certificate authority ({@code GET /ca}): clients of a TLS endpoint trust {@code certificate} (PEM),
 * which signs every endpoint's certificate; each names its proxies' addresses.
 */
@Serdeable
public record Authority(String certificate) {
}
