package io.biu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.biu.cli.api.CliException;
import io.biu.cli.render.Table;
import io.biu.scheduler.client.Schema;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code biu token ...}: the scheduler's API tokens (operators). */
@Command(name = "token", description = "Issue, list and revoke API tokens (operators).",
        footer = {"", "Examples:", "  ./biu token create \"shop team\" --for shop", "  ./biu token list",
                "  ./biu token revoke 7"})
final class TokenCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw CliException.usage("token needs a subcommand: create, list or revoke");
    }

    @Command(name = "create", description = "Issue a token; its secret is shown only now.",
            footer = {"", "Example:", "  ./biu token create \"shop team\" --for shop",
                    "  ./biu token create ci --kind service --scope redis-ctl:read,proxy-admin:read",
                    "  ./biu token create contractor --for shop --expires-in 30d"})
    int create(@Parameters(paramLabel = "NAME", description = "Who holds it, for the list.") String name,
            @Option(names = "--kind", defaultValue = "tenant", description = "tenant, operator or service "
                    + "(default: ${DEFAULT-VALUE}).") String kind,
            @Option(names = "--for", paramLabel = "TENANT", description = "The tenant a tenant token belongs to.")
            String tenant,
            @Option(names = "--expires-in", paramLabel = "DURATION", description = "How long it works, e.g. 12h or "
                    + "30d (s, m, h, d); without it, until revoked.") String expiresIn,
            @Option(names = "--scope", paramLabel = "SCOPE", split = ",", description = "What a service token may "
                    + "do, e.g. redis-ctl:read (repeat, or separate with commas): service:read or service:write "
                    + "for scheduler, redis-ctl, proxy-admin, redis-monitor, and scheduler:introspect, "
                    + "redis-ctl:connection, proxy-admin:members.") List<String> scopes) {
        if (kind.equals("tenant") && tenant == null) {
            throw CliException.usage("a tenant token needs its tenant: add --for TENANT");
        }
        if (kind.equals("service") && (scopes == null || scopes.isEmpty())) {
            throw CliException.usage("a service token needs what it may do: add --scope, e.g. --scope redis-ctl:read");
        }
        Instant expiresAt = expiresIn == null ? null : Instant.now().plus(duration(expiresIn));
        Session session = Session.of(spec);
        JsonNode reply = session.scheduler().post("/tokens", new Schema.TokenSpec(kind, name, tenant, expiresAt,
                scopes));
        if (session.json()) {
            session.print(reply);
        } else {
            Schema.Issued issued = session.scheduler().as(reply, Schema.Issued.class);
            session.out().println("token " + issued.token().id() + " (" + kind(issued.token()) + (tenant == null ? ""
                    : " of " + tenant) + ") issued" + (issued.token().scopes().isEmpty() ? "" : " for "
                    + String.join(" ", issued.token().scopes())) + (expiresAt == null ? "" : ", working until "
                    + issued.token().expiresAt()) + "; its secret (shown only now, keep it):");
            session.out().println(issued.secret());
        }
        return 0;
    }

    @Command(name = "list", description = "List the tokens (never their secrets).",
            footer = {"", "Example:", "  ./biu token list"})
    int list() {
        Session session = Session.of(spec);
        JsonNode tokens = session.scheduler().get("/tokens");
        if (session.json()) {
            session.print(tokens);
            return 0;
        }
        Table table = Table.of("ID", "NAME", "KIND", "TENANT", "HINT", "CREATED", "REVOKED", "EXPIRES", "SCOPES");
        for (Schema.Token t : session.scheduler().asList(tokens, Schema.Token.class)) {
            table.row(t.id(), t.name(), kind(t), t.tenant(), t.hint(), t.createdAt(), t.revokedAt(), t.expiresAt(),
                    t.scopes() == null || t.scopes().isEmpty() ? null : String.join(" ", t.scopes()));
        }
        session.print(table, "no tokens");
        return 0;
    }

    /** A duration as {@code --expires-in} takes it: a positive number and a unit (s, m, h, d). */
    static Duration duration(String text) {
        Matcher m = Pattern.compile("([1-9][0-9]{0,5})([smhd])").matcher(text);
        if (!m.matches()) {
            throw CliException.usage("--expires-in '" + (text.length() > 20 ? text.substring(0, 20) + "..." : text)
                    + "' is not a duration like 12h or 30d (s, m, h, d)");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    @Command(name = "revoke", description = "Revoke a token: services refuse it within a second.",
            footer = {"", "Example:", "  ./biu token revoke 7"})
    int revoke(@Parameters(paramLabel = "ID", description = "the token's id (`biu token list`)") long id) {
        Session session = Session.of(spec);
        JsonNode revoked = session.scheduler().delete("/tokens/" + id);
        if (session.json()) {
            session.print(revoked);
        } else {
            session.out().println("token " + id + " (" + session.scheduler().as(revoked, Schema.Token.class).name()
                    + ") revoked");
        }
        return 0;
    }

    /** {@code operator}, {@code tenant} or {@code service}, as the user types it. */
    private static String kind(Schema.Token token) {
        return token.kind().name().toLowerCase(Locale.ROOT);
    }
}
