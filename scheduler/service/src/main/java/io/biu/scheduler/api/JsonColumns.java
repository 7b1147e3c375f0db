package io.biu.scheduler.api;

import io.biu.scheduler.client.Schema;
import io.micronaut.core.convert.ConversionContext;
import io.micronaut.core.type.Argument;
import io.micronaut.data.model.runtime.convert.AttributeConverter;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** Maps, lists and records kept as JSON text in a column (labels, selectors, commands, probes). */
public final class JsonColumns {

    private JsonColumns() {
    }

    private static String write(JsonMapper json, Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T read(JsonMapper json, String text, Argument<T> type) {
        try {
            return json.readValue(text, type);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable JSON column: " + text, e);
        }
    }

    /** {@code Map<String, String>} as a JSON object. */
    @Singleton
    public static final class StringMap implements AttributeConverter<Map<String, String>, String> {
        private static final Argument<Map<String, String>> TYPE = Argument.mapOf(String.class, String.class);
        private final JsonMapper json;

        StringMap(JsonMapper json) {
            this.json = json;
        }

        @Override
        public String convertToPersistedValue(Map<String, String> value, ConversionContext context) {
            return write(json, value == null ? Map.of() : value);
        }

        @Override
        public Map<String, String> convertToEntityValue(String value, ConversionContext context) {
            return value == null || value.isEmpty() ? Map.of() : Map.copyOf(read(json, value, TYPE));
        }
    }

    /** {@code List<String>} as a JSON array. */
    @Singleton
    public static final class StringList implements AttributeConverter<List<String>, String> {
        private static final Argument<List<String>> TYPE = Argument.listOf(String.class);
        private final JsonMapper json;

        StringList(JsonMapper json) {
            this.json = json;
        }

        @Override
        public String convertToPersistedValue(List<String> value, ConversionContext context) {
            return write(json, value == null ? List.of() : value);
        }

        @Override
        public List<String> convertToEntityValue(String value, ConversionContext context) {
            return value == null || value.isEmpty() ? List.of() : List.copyOf(read(json, value, TYPE));
        }
    }

    /** A record as a JSON object, or null. */
    abstract static class JsonObject<T> implements AttributeConverter<T, String> {
        private final JsonMapper json;
        private final Argument<T> type;

        JsonObject(JsonMapper json, Class<T> type) {
            this.json = json;
            this.type = Argument.of(type);
        }

        @Override
        public String convertToPersistedValue(T value, ConversionContext context) {
            return value == null ? null : write(json, value);
        }

        @Override
        public T convertToEntityValue(String value, ConversionContext context) {
            return value == null || value.isEmpty() ? null : read(json, value, type);
        }
    }

    /** A readiness probe. */
    @Singleton
    public static final class ProbeColumn extends JsonObject<Schema.Probe> {
        ProbeColumn(JsonMapper json) {
            super(json, Schema.Probe.class);
        }
    }

    /** An app's {@link Schema.Security}. */
    @Singleton
    public static final class SecurityColumn extends JsonObject<Schema.Security> {
        SecurityColumn(JsonMapper json) {
            super(json, Schema.Security.class);
        }
    }
}
