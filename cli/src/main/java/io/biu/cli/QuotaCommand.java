package io.biu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.biu.cli.api.CliException;
import io.biu.cli.render.Table;
import io.biu.scheduler.client.Schema;
import java.math.BigDecimal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code biu quota ...}: what each tenant may hold (operators set it; a tenant sees its own). */
@Command(name = "quota", description = "Show and set tenants' quotas: cores, memory, containers, clusters and "
        + "endpoints (operators set them; a tenant sees its own).",
        footer = {"", "Examples:", "  ./biu quota set shop --cores 4 --memory 8GiB --clusters 3 --endpoints 3",
                "  ./biu quota show shop", "  ./biu quota list", "  ./biu quota clear shop"})
final class QuotaCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw CliException.usage("quota needs a subcommand: show, set, list or clear");
    }

    @Command(name = "show", description = "A tenant's quota and what it holds now.",
            footer = {"", "Example:", "  ./biu quota show shop"})
    int show(@Parameters(paramLabel = "TENANT") String tenant) {
        Session session = Session.of(spec);
        JsonNode quota = session.scheduler().get("/tenants/" + tenant + "/quota");
        if (session.json()) {
            session.print(quota);
        } else {
            session.print(table(session.scheduler().as(quota, Schema.Quota.class)), "no quota");
        }
        return 0;
    }

    @Command(name = "set", description = "Set a tenant's quota; a limit not given is none.",
            footer = {"", "Example:", "  ./biu quota set shop --cores 4 --memory 8GiB --containers 20 --clusters 3"})
    int set(@Parameters(paramLabel = "TENANT") String tenant,
            @Option(names = "--cores", description = "Cores its containers may reserve in all, e.g. 4 or 2.5.")
            BigDecimal cores,
            @Option(names = "--memory", description = "Memory its containers may reserve in all, e.g. 8GiB.")
            String memory,
            @Option(names = "--containers", description = "How many containers it may have.") Integer containers,
            @Option(names = "--clusters", description = "How many clusters it may have.") Integer clusters,
            @Option(names = "--endpoints", description = "How many endpoints it may have.") Integer endpoints) {
        Session session = Session.of(spec);
        JsonNode quota = session.scheduler().put("/tenants/" + tenant + "/quota",
                new Schema.QuotaSpec(cores, memory, containers, clusters, endpoints));
        if (session.json()) {
            session.print(quota);
        } else {
            session.print(table(session.scheduler().as(quota, Schema.Quota.class)), "no quota");
        }
        return 0;
    }

    @Command(name = "list", description = "Every tenant's quota (operators).",
            footer = {"", "Example:", "  ./biu quota list"})
    int list() {
        Session session = Session.of(spec);
        JsonNode quotas = session.scheduler().get("/quotas");
        if (session.json()) {
            session.print(quotas);
            return 0;
        }
        Table table = header();
        for (Schema.Quota q : session.scheduler().asList(quotas, Schema.Quota.class)) {
            row(table, q);
        }
        session.print(table, "no quotas: every tenant may use what its pods have");
        return 0;
    }

    @Command(name = "clear", description = "Remove a tenant's quota: it may use what its pods have.",
            footer = {"", "Example:", "  ./biu quota clear shop"})
    int clear(@Parameters(paramLabel = "TENANT") String tenant) {
        Session session = Session.of(spec);
        session.scheduler().delete("/tenants/" + tenant + "/quota");
        if (!session.json()) {
            session.out().println("tenant " + tenant + " has no quota now");
        }
        return 0;
    }

    private static Table header() {
        return Table.of("TENANT", "CORES", "MEMORY", "CONTAINERS", "CLUSTERS", "ENDPOINTS");
    }

    private static Table table(Schema.Quota q) {
        Table table = header();
        row(table, q);
        return table;
    }

    /** Each limit as "held/limit", or "held" alone where there is none. */
    private static void row(Table table, Schema.Quota q) {
        table.row(q.tenant(), of(q.used().cores().stripTrailingZeros().toPlainString(),
                q.cores() == null ? null : q.cores().stripTrailingZeros().toPlainString()),
                of(mib(q.used().memory()), q.memory() == null ? null : mib(q.memory())),
                of(String.valueOf(q.used().containers()), q.containers() == null ? null : "" + q.containers()),
                q.clusters() == null ? "-" : "max " + q.clusters(), q.endpoints() == null ? "-" : "max " + q.endpoints());
    }

    private static String of(String held, String limit) {
        return limit == null ? held : held + "/" + limit;
    }

    private static String mib(long bytes) {
        return (bytes >> 20) + "MiB";
    }
}
