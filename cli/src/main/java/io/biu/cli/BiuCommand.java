package io.biu.cli;

import io.biu.cli.api.CliException;
import io.biu.cli.api.Failure;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code biu} client. {@code ./biu} hands it every verb that is not a lifecycle verb. Exit codes (see
 * {@link Failure}): 0 success, 1 the operation failed, 2 bad usage, 3 a service could not be reached, 4 no token,
 * a wrong one, or one that may not do this.
 */
@Command(
        name = "biu",
        mixinStandardHelpOptions = true,
        versionProvider = BiuCommand.Version.class,
        description = "Biu: Redis Cluster as a service.",
        footer = {"", "Exit codes: 0 ok, 1 the operation failed, 2 bad usage, 3 a service cannot be reached, "
                + "4 no token or not allowed.",
                "Token: --token, BIU_TOKEN, token= in ~/.config/biu/config, else the instance's operator token.",
                "", "Example:", "  ./biu cluster create shop --masters 3 --replicas 1 --memory 1GiB"},
        subcommands = {ClusterCommand.class, EndpointCommand.class, ConnectCommand.class, PodCommand.class,
                NodeCommand.class, QuarantineCommand.class, QuotaCommand.class, TokenCommand.class, EventsCommand.class,
                VersionCommand.class, CommandLine.HelpCommand.class})
public final class BiuCommand implements Runnable {

    /** How a command prints what it got. */
    enum Output { table, json }

    @Spec
    CommandSpec spec;

    @Option(names = "--token", scope = ScopeType.INHERIT, paramLabel = "TOKEN",
            description = "The API token (default: BIU_TOKEN, the config file, then the instance's operator token).")
    String token;

    @Option(names = "--tenant", scope = ScopeType.INHERIT, paramLabel = "TENANT",
            description = "The tenant an operator acts for (default: BIU_TENANT, then tenant= in the config file).")
    String tenant;

    @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, paramLabel = "FORMAT",
            description = "table (for people, the default) or json (the API's JSON, for scripts).")
    Output output = Output.table;

    final Environment environment;

    BiuCommand(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is needed");
    }

    /** Runs the client with the given arguments and output streams, returning the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(args, out, err, Environment.system());
    }

    /**
     * Runs the client in the caller's JVM with {@code variables} as its whole environment (HOME among them, for the
     * config file) and no terminal: for programs that embed it.
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err, java.util.Map<String, String> variables) {
        String home = variables.getOrDefault("HOME", System.getProperty("user.home"));
        return run(args, out, err, new Environment(variables, java.nio.file.Path.of(home), false,
                java.time.Duration.ofMillis(300)));
    }

    static int run(String[] args, PrintWriter out, PrintWriter err, Environment environment) {
        CommandLine cli = new CommandLine(new BiuCommand(environment));
        cli.setOut(out);
        cli.setErr(err);
        addHelpOptions(cli);
        cli.setParameterExceptionHandler((e, args1) -> {
            CommandLine command = e.getCommandLine();
            command.getErr().println("biu: " + e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, command.getErr());
            command.usage(command.getErr());
            command.getErr().flush();
            return Failure.USAGE.exitCode();
        });
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            if (e instanceof CliException failure) {
                command.getErr().println(failure.describe());
                if (failure.failure() == Failure.USAGE) {
                    command.getErr().println("  see: biu " + command.getCommandSpec().qualifiedName(" ")
                            .replaceFirst("^biu ?", "") + " --help");
                }
                command.getErr().flush();
                return failure.failure().exitCode();
            }
            command.getErr().println("biu: unexpected error: " + e);
            command.getErr().flush();
            return Failure.FAILED.exitCode();
        });
        return cli.execute(args);
    }

    /** {@code --help} on every command (picocli's own {@code help} command has its own). */
    private static void addHelpOptions(CommandLine command) {
        for (CommandLine sub : command.getSubcommands().values()) {
            if (!(sub.getCommand() instanceof CommandLine.HelpCommand)
                    && sub.getCommandSpec().findOption("--help") == null) {
                sub.getCommandSpec().addOption(CommandLine.Model.OptionSpec.builder("-h", "--help").usageHelp(true)
                        .description("Show this help and exit.").build());
            }
            addHelpOptions(sub);
        }
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(run(args, out, err));
    }

    /** The version this jar was built as (from its manifest; "development" when run from classes). */
    static String version() {
        String v = BiuCommand.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"biu " + version()};
        }
    }
}
