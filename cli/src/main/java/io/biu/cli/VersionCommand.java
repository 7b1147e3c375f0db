package io.biu.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code biu version}: the client's version and the Java runtime it runs on. */
@Command(name = "version", description = "Print the client's version.",
        footer = {"", "Example:", "  ./biu version"})
final class VersionCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().getOut().printf("biu %s (Java %s)%n", BiuCommand.version(), Runtime.version());
    }
}
