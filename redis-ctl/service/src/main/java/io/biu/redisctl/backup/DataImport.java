package io.biu.redisctl.backup;

import io.biu.kit.secret.SealedColumns;
import io.biu.kit.secret.SecretBox;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.MappedProperty;
import jakarta.inject.Singleton;
import java.time.Instant;

/**
 * Where an import's data comes from: an RDB file of the tenant's import folder, or a live Redis ({@code host:port})
 * with its password, which is kept only while the import's task is open.
 */
@MappedEntity("data_import")
public record DataImport(
        @Id @GeneratedValue @Nullable Long id,
        long clusterId,
        String tenant,
        @Nullable String rdb,
        @Nullable String source,
        @Nullable @MappedProperty(converter = SourcePassword.class) String sourcePassword,
        Instant createdAt) {

    /** Seals the source's password under the service's key. */
    @Singleton
    public static final class SourcePassword extends SealedColumns.Text {
        SourcePassword(SecretBox box) {
            super(box, "data_import.source_password");
        }
    }

    DataImport withoutPassword() {
        return new DataImport(id, clusterId, tenant, rdb, source, null, createdAt);
    }

    String sourceHost() {
        return source.substring(0, source.lastIndexOf(':'));
    }

    int sourcePort() {
        return Integer.parseInt(source.substring(source.lastIndexOf(':') + 1));
    }

    /** Never the password. */
    @Override
    public String toString() {
        return "DataImport[" + id + ", cluster " + clusterId + ", " + (rdb != null ? "rdb " + rdb : "source " + source)
                + "]";
    }
}
