package io.biu.scheduler.agent;

import io.biu.scheduler.AgentConfig;
import io.biu.scheduler.app.App;
import io.biu.scheduler.client.Schema;
import io.biu.scheduler.container.Container;
import io.biu.scheduler.engine.Engine;
import io.biu.scheduler.node.Node;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Readiness: a container is ready once its app's probe passes (a TCP connect, or a command exiting 0 inside
 * it); an app without a probe is ready as soon as it runs.
 */
@Singleton
class Probes {

    private static final Logger LOG = LoggerFactory.getLogger(Probes.class);

    private final AgentConfig config;

    Probes(AgentConfig config) {
        this.config = config;
    }

    boolean passes(App app, Node node, Container c, Engine engine) {
        Schema.Probe probe = app.probe();
        if (probe == null) {
            return true;
        }
        if (probe.tcp() != null) {
            String host = c.address() != null ? c.address() : node.host();
            int port = c.address() != null || c.ports().isEmpty() ? probe.tcp() : c.ports().get(0);
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), (int) config.probeTimeout().toMillis());
                return true;
            } catch (IOException e) {
                return false;
            }
        }
        try {
            return engine.exec(c.engineId(), probe.command(), config.probeTimeout()) == 0;
        } catch (RuntimeException e) {
            LOG.debug("probe of container {} failed: {}", c.name(), e.toString());
            return false;
        }
    }
}
