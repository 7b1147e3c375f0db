package io.biu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.biu.cli.api.CliException;
import io.biu.cli.render.Table;
import io.biu.scheduler.client.Schema;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code biu quarantine ...}: engine containers the scheduler has no record of, stopped with their data kept until
 * they are deleted (operators).
 */
@Command(name = "quarantine", description = "List and delete quarantined containers: ones the scheduler found on "
        + "its nodes without a record of them, stopped with their data kept (operators).",
        footer = {"", "Examples:", "  ./biu quarantine list", "  ./biu quarantine delete 3"})
final class QuarantineCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw CliException.usage("quarantine needs a subcommand: list or delete");
    }

    @Command(name = "list", description = "List quarantined containers and when each is removed unless deleted "
            + "sooner.", footer = {"", "Example:", "  ./biu quarantine list"})
    int list() {
        Session session = Session.of(spec);
        JsonNode quarantined = session.scheduler().get("/quarantine");
        if (session.json()) {
            session.print(quarantined);
            return 0;
        }
        Table table = Table.of("ID", "NODE", "NAME", "APP", "TENANT", "FIRST SEEN", "REMOVED AT");
        for (Schema.Quarantined q : session.scheduler().asList(quarantined, Schema.Quarantined.class)) {
            table.row(q.id(), q.node(), q.name(), q.labels().get("biu.app"), q.labels().get("biu.tenant"),
                    q.firstSeen(), q.removalDue());
        }
        session.print(table, "no quarantined containers");
        return 0;
    }

    @Command(name = "delete", description = "Remove a quarantined container and its data now: this cannot be undone.",
            footer = {"", "Example:", "  ./biu quarantine delete 3"})
    int delete(@Parameters(paramLabel = "ID", description = "its id (`biu quarantine list`)") long id) {
        Session session = Session.of(spec);
        session.scheduler().delete("/quarantine/" + id);
        if (!session.json()) {
            session.out().println("quarantined container " + id + " removed with its data");
        }
        return 0;
    }
}
