package io.biu.scheduler.identity;

import io.biu.scheduler.SchedulerConfig;
import io.biu.scheduler.client.TokenKind;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On first start (no active operator token yet) issues one and writes it to the configured file, mode
 * 0600, so the operator can start working; the secret is never logged.
 */
@Singleton
final class BootstrapToken {

    private static final Logger LOG = LoggerFactory.getLogger(BootstrapToken.class);

    private final TokenService tokens;
    private final SchedulerConfig config;

    BootstrapToken(TokenService tokens, SchedulerConfig config) {
        this.tokens = tokens;
        this.config = config;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        if (tokens.anyActiveOperator()) {
            return;
        }
        TokenService.Issued issued = tokens.issue(TokenKind.OPERATOR, "bootstrap", null);
        Path file = config.operatorTokenFile();
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".operator", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, issued.secret() + "\n");
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the bootstrap operator token to " + file, e);
        }
        LOG.info("issued the bootstrap operator token (id {}) into {}", issued.token().id(), file);
    }
}
