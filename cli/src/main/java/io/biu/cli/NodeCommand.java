package io.biu.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.biu.cli.api.CliException;
import io.biu.cli.api.Reply;
import io.biu.cli.api.ServiceApi;
import io.biu.cli.render.Table;
import io.biu.scheduler.client.Schema;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code biu node ...}: the Docker hosts of the pods (operators). */
@Command(name = "node", description = "Register, list, show and cordon nodes (operators).",
        footer = {"", "Examples:", "  ./biu node list", "  ./biu node cordon node3",
                "  ./biu node add node4 --pod lab --endpoint tcp://10.0.0.14:2376 --tls-dir /etc/biu/tls"})
final class NodeCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw CliException.usage("node needs a subcommand: add, list, show or cordon");
    }

    @Command(name = "add", description = "Register a Docker host into a pod.", footer = {"", "Example:",
            "  ./biu node add node4 --pod lab --endpoint tcp://10.0.0.14:2376 --tls-dir /etc/biu/tls --cores 1,2,3"})
    int add(@Parameters(paramLabel = "NAME") String name,
            @Option(names = "--pod", required = true, description = "The pod it joins.") String pod,
            @Option(names = "--endpoint", required = true, description = "Its Docker API: unix:// or tcp://.")
            String endpoint,
            @Option(names = "--tls-dir", description = "Client certificates for a tcp:// endpoint.") String tlsDir,
            @Option(names = "--cores", split = ",", description = "Cores the scheduler may use (default: all).")
            List<Integer> cores,
            @Option(names = "--memory", description = "Memory the scheduler may use, e.g. 30GiB (default: all).")
            String memory,
            @Option(names = "--label", description = "A label, key=value; may repeat.") Map<String, String> labels) {
        Session session = Session.of(spec);
        JsonNode reply = session.scheduler().post("/nodes", new Schema.NodeSpec(name, pod, endpoint, tlsDir, cores,
                memory, labels));
        Schema.Node node = session.scheduler().as(reply, Schema.Node.class);
        print(session, reply, "node " + name + " registered in pod " + pod + ": " + node.cores().size() + " cores, "
                + Objects.toString(node.memoryText(), "") + ", " + node.state().id());
        return 0;
    }

    @Command(name = "list", description = "List the nodes.", footer = {"", "Example:", "  ./biu node list"})
    int list() {
        Session session = Session.of(spec);
        JsonNode nodes = session.scheduler().get("/nodes");
        if (session.json()) {
            session.print(nodes);
            return 0;
        }
        Table table = Table.of("NAME", "POD", "STATE", "CORDONED", "CORES", "MEMORY", "ENDPOINT");
        for (Schema.Node n : session.scheduler().asList(nodes, Schema.Node.class)) {
            table.row(n.name(), n.pod(), n.state().id(), n.cordoned() ? "yes" : "no", n.cores().size(),
                    Objects.toString(n.memoryText(), ""), n.endpoint());
        }
        session.print(table, "no nodes: `biu node add NAME --pod POD --endpoint ...` registers one");
        return 0;
    }

    @Command(name = "show", description = "Show a node.", footer = {"", "Example:", "  ./biu node show node1"})
    int show(@Parameters(paramLabel = "NAME") String name) {
        Session session = Session.of(spec);
        Reply<Schema.Node> found = session.scheduler().fetch("/nodes/" + name, Schema.Node.class);
        if (session.json()) {
            session.print(found.json());
            return 0;
        }
        Schema.Node n = found.value();
        var out = session.out();
        out.printf("node %s in pod %s: %s%s%n", name, n.pod(), n.state().id(),
                n.cordoned() ? ", cordoned (no new placements)" : "");
        out.printf("  endpoint %s, storage %s%n", n.endpoint(), n.storageDriver());
        out.printf("  schedulable: cores %s, memory %s (the engine has %d cores)%n", asSent(n.cores()),
                Objects.toString(n.memoryText(), ""), n.engineCores());
        out.println("  labels: " + (n.labels() == null ? "" : asSent(n.labels())));
        return 0;
    }

    @Command(name = "cordon", description = "Stop placing new containers on a node (running ones stay).",
            footer = {"", "Example:", "  ./biu node cordon node3      # and back: ./biu node cordon node3 --undo"})
    int cordon(@Parameters(paramLabel = "NAME") String name,
            @Option(names = "--undo", description = "Uncordon: allow placements again.") boolean undo) {
        Session session = Session.of(spec);
        JsonNode node = session.scheduler().put("/nodes/" + name + "/cordon", new Schema.Cordon(!undo));
        print(session, node, "node " + name + (undo ? " takes new containers again" : " is cordoned: no new "
                + "containers are placed on it"));
        return 0;
    }

    private static void print(Session session, JsonNode json, String line) {
        if (session.json()) {
            session.print(json);
        } else {
            session.out().println(line);
        }
    }

    /** A value as the scheduler writes it, e.g. cores as {@code [1,2,3]}. */
    private static String asSent(Object value) {
        try {
            return ServiceApi.JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
