package io.biu.scheduler.app;

import io.biu.kit.secret.SealedColumns;
import io.biu.kit.secret.SecretBox;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.MappedProperty;
import jakarta.inject.Singleton;

/**
 * A secret file of an app, delivered into each container before it starts and never shown again; its content is
 * kept sealed.
 */
@MappedEntity("app_file")
public record AppFile(@Id @GeneratedValue @Nullable Long id, long appId, String path, int mode,
        @MappedProperty(converter = Content.class) byte[] content) {

    /** Seals the content under the service's key. */
    @Singleton
    public static final class Content extends SealedColumns.Bytes {
        Content(SecretBox box) {
            super(box, "app_file.content");
        }
    }
}
