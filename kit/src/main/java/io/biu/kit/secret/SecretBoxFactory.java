package io.biu.kit.secret;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.nio.file.Path;

/** The service's box, under {@code biu.secrets.key-file} (made on first start). */
@Factory
class SecretBoxFactory {

    @Singleton
    SecretBox secretBox(@Value("${biu.secrets.key-file}") Path keyFile) {
        return SecretBox.fromFile(keyFile);
    }
}
