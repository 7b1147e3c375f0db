package io.biu.it;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Network;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Containers and networks a scenario creates on the lab's nodes, removed again on {@link #close()},
 * newest first. Names carry the instance and the scenario, so a leftover of an aborted run is
 * replaced rather than collided with.
 */
final class LabResources implements AutoCloseable {

    private final Lab lab;
    private final String scenario;
    private final Map<Integer, DockerClient> clients = new HashMap<>();
    private final Deque<Runnable> cleanup = new ArrayDeque<>();

    LabResources(Lab lab, String scenario) {
        this.lab = lab;
        this.scenario = scenario;
    }

    DockerClient docker(int node) {
        return clients.computeIfAbsent(node, n -> lab.docker(lab.node(n)));
    }

    /**
     * A MacVLAN network on a node for the scenario's own containers: the one already on the node's parent
     * interface if there is one (the scheduler's pod network, say: Docker allows one MacVLAN network per
     * parent on a host), else one of the scenario's own (the lab's pod range), removed on close.
     */
    String network(int node) {
        DockerClient docker = docker(node);
        String parent = lab.lab("pod.parent");
        Optional<Network> existing = docker.listNetworksCmd().exec().stream()
                .filter(n -> "macvlan".equals(n.getDriver()) && parent.equals(n.getOptions().get("parent")))
                .findFirst();
        if (existing.isPresent()) {
            return existing.get().getName();
        }
        String name = lab.instance + "-it-" + scenario;
        docker.createNetworkCmd()
                .withName(name)
                .withDriver("macvlan")
                .withOptions(Map.of("parent", parent))
                .withIpam(new Network.Ipam().withConfig(new Network.Ipam.Config()
                        .withSubnet(lab.lab("pod.range"))
                        .withGateway(lab.lab("pod.gateway"))))
                .withLabels(Map.of("biu.it", scenario))
                .exec();
        cleanup.push(() -> docker.removeNetworkCmd(name).exec());
        return name;
    }

    /** Creates and starts a container named {@code <instance>-it-<scenario>-<name>} and returns its id. */
    String start(int node, String name, String image, UnaryOperator<CreateContainerCmd> spec) {
        DockerClient docker = docker(node);
        String fullName = lab.instance + "-it-" + scenario + "-" + name;
        removeQuietly(docker, fullName);
        String id = spec.apply(docker.createContainerCmd(image)
                        .withName(fullName)
                        .withLabels(Map.of("biu.it", scenario)))
                .exec().getId();
        cleanup.push(() -> removeQuietly(docker, id));
        docker.startContainerCmd(id).exec();
        return id;
    }

    private static void removeQuietly(DockerClient docker, String idOrName) {
        try {
            docker.removeContainerCmd(idOrName).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException gone) {
            // nothing to remove
        }
    }

    @Override
    public void close() {
        RuntimeException first = null;
        while (!cleanup.isEmpty()) {
            try {
                cleanup.pop().run();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        for (DockerClient client : clients.values()) {
            try {
                client.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
