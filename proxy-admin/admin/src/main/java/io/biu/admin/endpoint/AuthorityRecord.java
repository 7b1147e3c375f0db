package io.biu.admin.endpoint;

import io.biu.kit.secret.SealedColumns;
import io.biu.kit.secret.SecretBox;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.MappedProperty;
import jakarta.inject.Singleton;
import java.time.Instant;

/** The stored certificate authority ({@link Authority}): its identity, sealed. */
@MappedEntity("authority")
record AuthorityRecord(@Id int id, @MappedProperty(converter = Sealed.class) String identity, Instant createdAt) {

    static final int ONLY = 1;

    /** Seals the authority's key and certificate under the service's key. */
    @Singleton
    static final class Sealed extends SealedColumns.Text {
        Sealed(SecretBox box) {
            super(box, "authority.identity");
        }
    }

    @Override
    public String toString() {
        return "AuthorityRecord[created " + createdAt + ", key hidden]";
    }
}
