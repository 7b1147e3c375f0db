package io.biu.cli.api;

import com.fasterxml.jackson.databind.JsonNode;

/** A service's answer read as its contract's record, and as sent (what {@code --output json} prints). */
public record Reply<T>(T value, JsonNode json) {
}
