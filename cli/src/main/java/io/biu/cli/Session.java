package io.biu.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.biu.cli.api.CliException;
import io.biu.cli.api.Credentials;
import io.biu.cli.api.ServiceApi;
import io.biu.cli.api.Services;
import io.biu.cli.render.ProgressPrinter;
import io.biu.cli.render.Table;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What a running command works with: the global options, its output streams, and (resolved on first use, so that
 * {@code --help} and usage errors need no running instance) the services and the credentials.
 */
final class Session {

    private final BiuCommand root;
    private final CommandSpec spec;
    private Services services;
    private Credentials credentials;

    private Session(BiuCommand root, CommandSpec spec) {
        this.root = root;
        this.spec = spec;
    }

    static Session of(CommandSpec spec) {
        return new Session((BiuCommand) spec.root().userObject(), spec);
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    boolean json() {
        return root.output == BiuCommand.Output.json;
    }

    Environment environment() {
        return root.environment;
    }

    Credentials credentials() {
        if (credentials == null) {
            Environment env = root.environment;
            credentials = Credentials.resolve(root.token, root.tenant, env.variables(),
                    Credentials.configFile(env.variables(), env.home()), env.dataDir().resolve("operator.token"));
        }
        return credentials;
    }

    /** The tenant the commands act for, as given (null when the token implies it). */
    String tenant() {
        return credentials().tenant();
    }

    ServiceApi scheduler() {
        return api(Services.SCHEDULER, "scheduler");
    }

    ServiceApi redisCtl() {
        return api(Services.REDIS_CTL, "redis-ctl");
    }

    ServiceApi monitor() {
        return api(Services.REDIS_MONITOR, "redis-monitor");
    }

    ServiceApi admin() {
        return api(Services.ADMIN, "admin");
    }

    /** The instance's services first: when it is not up, that is what the user needs to hear, token or not. */
    private ServiceApi api(String key, String name) {
        if (services == null) {
            services = Services.of(root.environment.dataDir(), root.environment.instance());
        }
        Credentials c = credentials();
        return new ServiceApi(name, services.url(key), c.token(), c.tenant());
    }

    /** Prints JSON for scripts, pretty. */
    void print(JsonNode json) {
        try {
            out().println(ServiceApi.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        out().flush();
    }

    /** Prints a table, or what to do when it is empty. */
    void print(Table table, String whenEmpty) {
        out().print(table.isEmpty() ? whenEmpty + System.lineSeparator() : table.render());
        out().flush();
    }

    /** Progress goes to stdout for people; with {@code --output json} to stderr, so stdout stays JSON. */
    ProgressPrinter progress() {
        return json() ? new ProgressPrinter(err(), false) : new ProgressPrinter(out(), root.environment.terminal());
    }

    void pause() {
        sleep(root.environment.poll());
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.failed("interrupted", null);
        }
    }
}
