package io.biu.kit.secret;

import io.micronaut.core.convert.ConversionContext;
import io.micronaut.data.model.runtime.convert.AttributeConverter;

/**
 * Columns kept sealed ({@link SecretBox}): a service declares one converter per secret column, naming the column as
 * the purpose, e.g. {@code @Singleton class Password extends SealedColumns.Text { Password(SecretBox b) { super(b,
 * "cluster.password"); } }}, and maps the column with {@code @MappedProperty(converter = Password.class)}.
 */
public final class SealedColumns {

    private SealedColumns() {
    }

    /** A text column. */
    public abstract static class Text implements AttributeConverter<String, String> {
        private final SecretBox box;
        private final String purpose;

        protected Text(SecretBox box, String purpose) {
            this.box = box;
            this.purpose = purpose;
        }

        @Override
        public String convertToPersistedValue(String value, ConversionContext context) {
            return box.seal(purpose, value);
        }

        @Override
        public String convertToEntityValue(String value, ConversionContext context) {
            return box.open(purpose, value);
        }
    }

    /** A binary column. */
    public abstract static class Bytes implements AttributeConverter<byte[], byte[]> {
        private final SecretBox box;
        private final String purpose;

        protected Bytes(SecretBox box, String purpose) {
            this.box = box;
            this.purpose = purpose;
        }

        @Override
        public byte[] convertToPersistedValue(byte[] value, ConversionContext context) {
            return box.seal(purpose, value);
        }

        @Override
        public byte[] convertToEntityValue(byte[] value, ConversionContext context) {
            return box.open(purpose, value);
        }
    }
}
