package io.biu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.biu.admin.client.Authority;
import io.biu.admin.client.EndpointState;
import io.biu.admin.client.EndpointView;
import io.biu.admin.client.IssueRequest;
import io.biu.admin.client.ProxyView;
import io.biu.admin.client.RotateRequest;
import io.biu.cli.api.CliException;
import io.biu.cli.render.Format;
import io.biu.cli.render.ProgressPrinter;
import io.biu.cli.render.Table;
import io.biu.redisctl.client.ClusterView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code biu endpoint ...}: addresses and passwords through which clients reach a cluster (proxy-admin). */
@Command(name = "endpoint", description = "Issue, list, rotate and revoke the endpoints clients connect to.",
        footer = {"", "Examples:", "  ./biu endpoint issue shop", "  ./biu endpoint list shop",
                "  ./biu endpoint rotate 4 --grace 600"})
final class EndpointCommand implements Runnable {

    private static final Duration READY_LIMIT = Duration.ofMinutes(3);

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw CliException.usage("endpoint needs a subcommand: issue, list, rotate, revoke or ca");
    }

    @Command(name = "issue", description = "Give a cluster an endpoint (proxies and a password); wait until it "
            + "serves.", footer = {"", "Prints the endpoint's password once: keep it.", "", "Example:",
                    "  ./biu endpoint issue shop --proxies 2"})
    int issue(@Parameters(paramLabel = "CLUSTER", description = "name or id") String name,
            @Option(names = "--proxies", description = "How many proxies (default: the service's, two or more).")
            Integer proxies,
            @Option(names = "--tls", description = "Clients connect over TLS only, trusting the authority "
                    + "`biu endpoint ca` prints.") boolean tls,
            @Option(names = "--no-wait", description = "Return once the endpoint is issued.") boolean noWait) {
        if (proxies != null && proxies < 1) {
            throw CliException.usage("--proxies must be at least 1, not " + proxies);
        }
        Session session = Session.of(spec);
        Instant started = Instant.now();
        ClusterView cluster = Clusters.find(session, name).value();
        JsonNode issued = session.admin().post("/endpoints", new IssueRequest(cluster.id(), proxies,
                tls ? Boolean.TRUE : null));
        EndpointView endpoint = session.admin().as(issued, EndpointView.class);
        long id = endpoint.id();
        String password = endpoint.password();
        if (!session.json()) {
            session.out().println("endpoint " + id + " of cluster " + name + " issued; its password (shown only "
                    + "now, keep it): " + password);
        }
        JsonNode view = issued;
        if (!noWait) {
            ProgressPrinter progress = session.progress();
            view = awaitReady(session, id, progress);
            progress.finish("endpoint " + id + " of cluster " + name + " ready in " + Format.duration(
                    Duration.between(started, Instant.now())) + ": " + addresses(session.admin().as(view,
                    EndpointView.class)));
        }
        if (session.json()) {
            ObjectNode out = ((ObjectNode) view).deepCopy();
            out.put("password", password);
            session.print(out);
        } else {
            session.out().println("next: `biu connect " + name + "` prints a redis-cli line for it" + (tls
                    ? "; `biu endpoint ca --out ca.pem` saves the certificate its clients trust" : ""));
        }
        return 0;
    }

    @Command(name = "ca", description = "Print the certificate that signs every TLS endpoint's: what their clients "
            + "trust.", footer = {"", "Example:", "  ./biu endpoint ca --out ca.pem",
                    "  redis-cli --tls --cacert ca.pem -h ADDRESS -p 6379"})
    int ca(@Option(names = "--out", paramLabel = "FILE", description = "Write it to FILE instead.") Path out) {
        Session session = Session.of(spec);
        JsonNode reply = session.admin().get("/ca");
        if (session.json()) {
            session.print(reply);
            return 0;
        }
        String certificate = session.admin().as(reply, Authority.class).certificate();
        if (out == null) {
            session.out().print(certificate);
            return 0;
        }
        try {
            Files.writeString(out, certificate);
        } catch (IOException e) {
            throw CliException.failed("cannot write " + out + ": " + e.getMessage(), "give a writable --out path");
        }
        session.out().println("wrote the endpoints' authority to " + out);
        return 0;
    }

    private static JsonNode awaitReady(Session session, long id, ProgressPrinter progress) {
        Instant until = Instant.now().plus(READY_LIMIT);
        while (true) {
            JsonNode reply = session.admin().get("/endpoints/" + id);
            EndpointView e = session.admin().as(reply, EndpointView.class);
            if (e.state() == EndpointState.READY) {
                return reply;
            }
            long ready = e.proxyList().stream().filter(ProxyView::ready).count();
            progress.status("waiting for the proxies to be ready: " + ready + " of " + e.proxyList().size());
            if (Instant.now().isAfter(until)) {
                throw CliException.failed("endpoint " + id + " was not ready within " + READY_LIMIT.toMinutes()
                        + " min", "`biu endpoint list` shows its proxies; `./biu logs admin` says why");
            }
            session.pause();
        }
    }

    @Command(name = "list", description = "List the tenant's endpoints, or one cluster's.",
            footer = {"", "Example:", "  ./biu endpoint list shop"})
    int list(@Parameters(paramLabel = "CLUSTER", arity = "0..1", description = "name or id") String name) {
        Session session = Session.of(spec);
        String query = name == null ? "" : "?cluster=" + Clusters.find(session, name).value().id();
        JsonNode endpoints = session.admin().get("/endpoints" + query);
        if (session.json()) {
            session.print(endpoints);
            return 0;
        }
        Table table = Table.of("ID", "CLUSTER", "STATE", "PROXIES", "ADDRESSES", "TLS", "OLD PASSWORD UNTIL");
        for (EndpointView e : session.admin().asList(endpoints, EndpointView.class)) {
            table.row(e.id(), e.clusterName(), e.state().id(), e.proxyList().size(), addresses(e),
                    e.tls() ? "yes" : "no",
                    e.oldPasswordUntil() == null ? null : e.oldPasswordUntil().toString());
        }
        session.print(table, "no endpoints" + (name == null ? "" : " for cluster " + name) + ": `biu endpoint issue "
                + (name == null ? "CLUSTER" : name) + "` makes one");
        return 0;
    }

    @Command(name = "rotate", description = "Give an endpoint a new password; the old one works for a grace period.",
            footer = {"", "Prints the new password once: keep it.", "", "Example:",
                    "  ./biu endpoint rotate 4 --grace 600"})
    int rotate(@Parameters(paramLabel = "ID", description = "the endpoint's id (`biu endpoint list`)") long id,
            @Option(names = "--grace", description = "Seconds the old password still works (default: the "
                    + "service's).") Long grace) {
        if (grace != null && grace < 0) {
            throw CliException.usage("--grace must be 0 seconds or more, not " + grace);
        }
        Session session = Session.of(spec);
        JsonNode rotated = session.admin().post("/endpoints/" + id + "/rotate", new RotateRequest(grace));
        if (session.json()) {
            session.print(rotated);
        } else {
            EndpointView e = session.admin().as(rotated, EndpointView.class);
            session.out().println("endpoint " + id + " has a new password (shown only now, keep it): "
                    + e.password());
            if (e.oldPasswordUntil() != null) {
                session.out().println("the old one works until " + e.oldPasswordUntil());
            }
        }
        return 0;
    }

    @Command(name = "revoke", description = "Remove an endpoint and its proxies; clients using it are cut off.",
            footer = {"", "Example:", "  ./biu endpoint revoke 4"})
    int revoke(@Parameters(paramLabel = "ID", description = "the endpoint's id (`biu endpoint list`)") long id) {
        Session session = Session.of(spec);
        session.admin().delete("/endpoints/" + id);
        if (session.json()) {
            session.print(ServiceApiJson.object("id", id, "revoked", true));
        } else {
            session.out().println("endpoint " + id + " revoked");
        }
        return 0;
    }

    static String addresses(EndpointView endpoint) {
        return endpoint.addresses().isEmpty() ? "-" : String.join(", ", endpoint.addresses());
    }
}
