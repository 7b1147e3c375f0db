package io.biu.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code biu} client. {@code ./biu} hands it every verb that is not a lifecycle verb.
 * Exit codes: 0 success, 1 failure of the operation, 2 bad usage (unknown command or option).
 */
@Command(
        name = "biu",
        mixinStandardHelpOptions = true,
        versionProvider = BiuCommand.Version.class,
        description = "Biu: Redis Cluster as a service.",
        subcommands = {VersionCommand.class, CommandLine.HelpCommand.class})
public final class BiuCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is needed");
    }

    /** Runs the client with the given arguments and output streams, returning the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new BiuCommand());
        cli.setOut(out);
        cli.setErr(err);
        return cli.execute(args);
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
