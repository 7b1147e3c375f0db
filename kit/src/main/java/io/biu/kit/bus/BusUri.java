package io.biu.kit.bus;

import io.lettuce.core.RedisURI;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a service reaches the bus ({@code biu.bus.uri}, without credentials, so it may be logged) and as whom:
 * {@code biu.bus.user}, whose password is read from {@code biu.bus.password-file} (owner-only, as every secret under
 * the data directory), never from the configuration itself nor a command line. The bus knows each service as a user of
 * its own: the scheduler's relay alone may write, and only the bus's keys; the others may only read.
 */
public final class BusUri {

    private BusUri() {
    }

    /** The bus at {@code uri}, as {@code user} if one is named. */
    public static RedisURI of(String uri, String user, String passwordFile) {
        RedisURI bus = RedisURI.create(uri);
        if (user == null || user.isBlank()) {
            return bus;
        }
        if (passwordFile == null || passwordFile.isBlank()) {
            throw new IllegalArgumentException("biu.bus.password-file: give the file that holds the password of the "
                    + "bus's user " + user);
        }
        String password;
        try {
            password = Files.readString(Path.of(passwordFile)).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bus's password file " + passwordFile, e);
        }
        if (password.isEmpty()) {
            throw new IllegalArgumentException("the bus's password file " + passwordFile + " is empty");
        }
        return RedisURI.builder(bus).withAuthentication(user, password).build();
    }
}
