package io.biu.redisctl.backup;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.time.Duration;

/** The backup store (a local directory unless another {@link BackupStore} bean replaces it) and the RDB fetcher. */
@Factory
final class BackupBeans {

    @Singleton
    BackupStore store(BackupSettings settings) {
        return new LocalBackupStore(settings.dir());
    }

    @Singleton
    RdbFetch fetch() {
        return new RdbFetch(Duration.ofSeconds(5), Duration.ofSeconds(60));
    }
}
