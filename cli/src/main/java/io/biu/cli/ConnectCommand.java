package io.biu.cli;

import io.biu.admin.client.EndpointState;
import io.biu.admin.client.EndpointView;
import io.biu.cli.api.CliException;
import io.biu.redisctl.client.ClusterView;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code biu connect CLUSTER}: a redis-cli line for the cluster's endpoint. The password is never stored or shown
 * again after it was issued, so the line asks for it ({@code --askpass}).
 */
@Command(name = "connect", description = "Print a ready-to-paste redis-cli line for a cluster's endpoint.",
        footer = {"", "Example:", "  ./biu connect shop        # then paste the line, and the endpoint's password"})
final class ConnectCommand implements java.util.concurrent.Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "CLUSTER", description = "name or id")
    String name;

    @Override
    public Integer call() {
        Session session = Session.of(spec);
        ClusterView cluster = Clusters.find(session, name).value();
        List<EndpointView> endpoints = session.admin().getList("/endpoints?cluster=" + cluster.id(),
                EndpointView.class);
        EndpointView chosen = null;
        for (EndpointView e : endpoints) {
            if (!e.addresses().isEmpty() && (chosen == null || e.state() == EndpointState.READY)) {
                chosen = e;
            }
        }
        if (chosen == null) {
            throw CliException.failed("cluster " + name + " has no endpoint with an address yet",
                    endpoints.isEmpty() ? "`biu endpoint issue " + name + "` makes one"
                            : "its proxies are starting: try again in a few seconds (`biu endpoint list " + name
                            + "`)");
        }
        String address = chosen.addresses().get(0);
        int colon = address.lastIndexOf(':');
        String host = address.substring(0, colon);
        String port = address.substring(colon + 1);
        // a TLS endpoint's clients trust the authority `biu endpoint ca --out ca.pem` saves
        String line = "redis-cli -h " + host + " -p " + port + (chosen.tls() ? " --tls --cacert ca.pem" : "")
                + " --askpass";
        if (session.json()) {
            session.print(ServiceApiJson.object("cluster", name, "endpoint", chosen.id(), "host", host,
                    "port", Integer.parseInt(port), "command", line));
        } else {
            session.out().println(line);
        }
        return 0;
    }
}
