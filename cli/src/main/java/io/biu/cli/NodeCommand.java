package io.biu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.biu.cli.api.CliException;
import io.biu.cli.render.Table;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("name", name);
        request.put("pod", pod);
        request.put("endpoint", endpoint);
        PodCommand.putIf(request, "tlsDir", tlsDir);
        PodCommand.putIf(request, "cores", cores);
        PodCommand.putIf(request, "memory", memory);
        PodCommand.putIf(request, "labels", labels);
        JsonNode node = session.scheduler().post("/nodes", request);
        print(session, node, "node " + name + " registered in pod " + pod + ": " + node.path("cores").size()
                + " cores, " + node.path("memoryText").asText() + ", " + node.path("state").asText());
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
        for (JsonNode n : nodes) {
            table.row(n.path("name").asText(), n.path("pod").asText(), n.path("state").asText(),
                    n.path("cordoned").asBoolean() ? "yes" : "no", n.path("cores").size(), n.path("memoryText").asText(),
                    n.path("endpoint").asText());
        }
        session.print(table, "no nodes: `biu node add NAME --pod POD --endpoint ...` registers one");
        return 0;
    }

    @Command(name = "show", description = "Show a node.", footer = {"", "Example:", "  ./biu node show node1"})
    int show(@Parameters(paramLabel = "NAME") String name) {
        Session session = Session.of(spec);
        JsonNode n = session.scheduler().get("/nodes/" + name);
        if (session.json()) {
            session.print(n);
            return 0;
        }
        var out = session.out();
        out.printf("node %s in pod %s: %s%s%n", name, n.path("pod").asText(), n.path("state").asText(),
                n.path("cordoned").asBoolean() ? ", cordoned (no new placements)" : "");
        out.printf("  endpoint %s, storage %s%n", n.path("endpoint").asText(), n.path("storageDriver").asText());
        out.printf("  schedulable: cores %s, memory %s (the engine has %d cores)%n", n.path("cores"),
                n.path("memoryText").asText(), n.path("engineCores").asInt());
        out.println("  labels: " + n.path("labels"));
        return 0;
    }

    @Command(name = "cordon", description = "Stop placing new containers on a node (running ones stay).",
            footer = {"", "Example:", "  ./biu node cordon node3      # and back: ./biu node cordon node3 --undo"})
    int cordon(@Parameters(paramLabel = "NAME") String name,
            @Option(names = "--undo", description = "Uncordon: allow placements again.") boolean undo) {
        Session session = Session.of(spec);
        JsonNode node = session.scheduler().put("/nodes/" + name + "/cordon", Map.of("cordoned", !undo));
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
}
