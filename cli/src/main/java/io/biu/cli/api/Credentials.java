package io.biu.cli.api;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * The token and tenant a command runs with, and where the token came from. In order: {@code --token},
 * {@code BIU_TOKEN}, {@code token=} in the config file ({@link #configFile}),
 * then the instance's bootstrap operator token ({@code <data dir>/operator.token}) if this user may read it. The
 * tenant: {@code --tenant}, {@code BIU_TENANT}, {@code tenant=} in the config file, else none (a tenant token
 * implies its own).
 */
public record Credentials(String token, String source, String tenant) {

    public Credentials {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("a token is needed");
        }
    }

    /** The config file: {@code BIU_CONFIG}, else {@code biu/config} in {@code XDG_CONFIG_HOME} or {@code ~/.config}. */
    public static Path configFile(Map<String, String> env, Path home) {
        if (present(env.get("BIU_CONFIG"))) {
            return Path.of(env.get("BIU_CONFIG"));
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        return (present(xdg) ? Path.of(xdg) : home.resolve(".config")).resolve("biu/config");
    }

    /**
     * Resolves the credentials.
     *
     * @param token {@code --token}, or null
     * @param tenant {@code --tenant}, or null
     */
    public static Credentials resolve(String token, String tenant, Map<String, String> env, Path config,
            Path operatorToken) {
        Properties file = read(config);
        String chosenTenant = first(tenant, env.get("BIU_TENANT"), file.getProperty("tenant"));
        if (present(token)) {
            return new Credentials(token.trim(), "--token", chosenTenant);
        }
        if (present(env.get("BIU_TOKEN"))) {
            return new Credentials(env.get("BIU_TOKEN").trim(), "BIU_TOKEN", chosenTenant);
        }
        if (present(file.getProperty("token"))) {
            return new Credentials(file.getProperty("token").trim(), config.toString(), chosenTenant);
        }
        if (Files.isReadable(operatorToken)) {
            try {
                String bootstrap = Files.readString(operatorToken).trim();
                if (!bootstrap.isEmpty()) {
                    return new Credentials(bootstrap, operatorToken.toString(), chosenTenant);
                }
            } catch (IOException unreadable) {
                // as if there were none: the message below says where tokens come from
            }
        }
        throw CliException.unauthorized("no token: this command calls the services, which need one",
                "pass --token, set BIU_TOKEN, or put token=... in " + config + " (where ./biu up ran, the operator "
                        + "token in " + operatorToken + " is used when this user may read it)");
    }

    private static Properties read(Path config) {
        Properties p = new Properties();
        if (Files.isReadable(config)) {
            try {
                p.load(new StringReader(Files.readString(config)));
            } catch (IOException e) {
                throw CliException.usage("cannot read " + config + ": " + e.getMessage());
            }
        }
        return p;
    }

    private static String first(String... values) {
        for (String v : values) {
            if (present(v)) {
                return v.trim();
            }
        }
        return null;
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }
}
