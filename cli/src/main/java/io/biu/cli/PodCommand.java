package io.biu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.biu.cli.api.CliException;
import io.biu.cli.api.Reply;
import io.biu.cli.render.Table;
import io.biu.scheduler.client.Schema;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code biu pod ...}: groups of nodes with their CPU, network and tenant policy (operators). */
@Command(name = "pod", description = "Create, list, show pods and grant them to tenants (operators).",
        footer = {"", "Examples:", "  ./biu pod list",
                "  ./biu pod create redis --subnet 10.1.0.0/16 --gateway 10.1.0.1 --parent eth0 --share-base 100",
                "  ./biu pod grant redis shop"})
final class PodCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw CliException.usage("pod needs a subcommand: create, list, show or grant");
    }

    @Command(name = "create", description = "Create a pod.", footer = {"", "Example:",
            "  ./biu pod create redis --subnet 10.1.0.0/16 --gateway 10.1.0.1 --parent eth0 --range 10.1.8.0/21"})
    int create(@Parameters(paramLabel = "NAME") String name,
            @Option(names = "--network", defaultValue = "macvlan", description = "macvlan or host (default: "
                    + "${DEFAULT-VALUE}).") String network,
            @Option(names = "--subnet", description = "The MacVLAN subnet, e.g. 10.1.0.0/16.") String subnet,
            @Option(names = "--gateway", description = "Its gateway.") String gateway,
            @Option(names = "--parent", description = "The nodes' parent interface, e.g. eth0.") String parent,
            @Option(names = "--range", description = "The addresses containers get (default: the subnet).")
            String range,
            @Option(names = "--exclude", split = ",", description = "Addresses never handed out.") List<String> exclude,
            @Option(names = "--share-base", description = "CPU pieces per core: 10, 100 or 1000 (default: 100).")
            Integer shareBase,
            @Option(names = "--cpu-binding", description = "bound (cpusets) or public (default: bound).")
            String cpuBinding,
            @Option(names = "--cpu-limit", description = "shares or quota (default: shares).") String cpuLimit,
            @Option(names = "--storage-driver", description = "The storage driver nodes must have (default: "
                    + "overlay2).") String storageDriver,
            @Option(names = "--grant", split = ",", description = "Tenants allowed to use it.") List<String> grant) {
        Session session = Session.of(spec);
        Schema.PodSpec request = new Schema.PodSpec(name, shareBase, cpuBinding, cpuLimit,
                new Schema.NetworkSpec(network, subnet, gateway, parent, range, exclude), storageDriver, grant);
        JsonNode pod = session.scheduler().post("/pods", request);
        if (session.json()) {
            session.print(pod);
        } else {
            session.out().println("pod " + name + " created; next: `biu node add NODE --pod " + name
                    + " --endpoint tcp://HOST:2376` registers its nodes");
        }
        return 0;
    }

    @Command(name = "list", description = "List the pods.", footer = {"", "Example:", "  ./biu pod list"})
    int list() {
        Session session = Session.of(spec);
        JsonNode pods = session.scheduler().get("/pods");
        if (session.json()) {
            session.print(pods);
            return 0;
        }
        Table table = Table.of("NAME", "GRANULARITY", "CPU", "NETWORK", "SUBNET", "TENANTS");
        for (Schema.Pod p : session.scheduler().asList(pods, Schema.Pod.class)) {
            table.row(p.name(), Objects.toString(p.granularity(), ""), Objects.toString(p.cpuBinding(), "") + "/"
                    + Objects.toString(p.cpuLimit(), ""), p.network().mode(), p.network().subnet(), tenants(p));
        }
        session.print(table, "no pods: `biu pod create NAME ...` makes one");
        return 0;
    }

    @Command(name = "show", description = "Show a pod and its nodes.", footer = {"", "Example:", "  ./biu pod show lab"})
    int show(@Parameters(paramLabel = "NAME") String name) {
        Session session = Session.of(spec);
        Reply<Schema.Pod> found = session.scheduler().fetch("/pods/" + name, Schema.Pod.class);
        if (session.json()) {
            session.print(found.json());
            return 0;
        }
        Schema.Pod pod = found.value();
        Schema.Network net = pod.network();
        session.out().printf("pod %s: %s, cpu %s with %s limits, storage %s%n", name,
                Objects.toString(pod.granularity(), ""), Objects.toString(pod.cpuBinding(), ""),
                Objects.toString(pod.cpuLimit(), ""), Objects.toString(pod.storageDriver(), ""));
        session.out().printf("  network %s %s gateway %s parent %s range %s%n", net.mode(),
                Objects.toString(net.subnet(), "-"), Objects.toString(net.gateway(), "-"),
                Objects.toString(net.parent(), "-"), Objects.toString(net.range(), "-"));
        session.out().println("  tenants: " + tenants(pod));
        Table nodes = Table.of("NODE", "STATE", "CORDONED", "CORES", "MEMORY", "ENDPOINT");
        for (Schema.Node n : session.scheduler().getList("/nodes", Schema.Node.class)) {
            if (n.pod().equals(name)) {
                nodes.row(n.name(), n.state().id(), n.cordoned(), n.cores().size(),
                        Objects.toString(n.memoryText(), ""), n.endpoint());
            }
        }
        session.out().println();
        session.print(nodes, "no nodes: `biu node add NODE --pod " + name + " --endpoint ...` registers one");
        return 0;
    }

    @Command(name = "grant", description = "Allow tenants to use a pod (in addition to those allowed).",
            footer = {"", "Example:", "  ./biu pod grant lab shop payments"})
    int grant(@Parameters(index = "0", paramLabel = "POD") String name,
            @Parameters(index = "1..*", arity = "1..*", paramLabel = "TENANT") List<String> tenants) {
        Session session = Session.of(spec);
        Schema.Pod pod = session.scheduler().get("/pods/" + name, Schema.Pod.class);
        TreeSet<String> all = new TreeSet<>(tenants);
        if (pod.tenants() != null) {
            all.addAll(pod.tenants());
        }
        JsonNode updated = session.scheduler().put("/pods/" + name + "/tenants", new Schema.Grant(List.copyOf(all)));
        if (session.json()) {
            session.print(updated);
        } else {
            session.out().println("pod " + name + " is granted to " + tenants(session.scheduler().as(updated,
                    Schema.Pod.class)));
        }
        return 0;
    }

    private static String tenants(Schema.Pod pod) {
        return pod.tenants() == null || pod.tenants().isEmpty() ? "-" : String.join(",", pod.tenants());
    }
}
