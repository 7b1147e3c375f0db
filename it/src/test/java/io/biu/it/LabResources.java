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
     * The scenario's MacVLAN network on a node (the lab's pod range, the node's eth0 as parent), created
     * if missing. Docker allows one MacVLAN network per parent interface on a host, so scenarios run one
     * after another and each removes its network.
     */
    String network(int node) {
        DockerClient docker = docker(node);
        String name = lab.instance + "-it-" + scenario;
        boolean exists = docker.listNetworksCmd().withNameFilter(name).exec().stream()
                .anyMatch(n -> n.getName().equals(name));
        if (!exists) {
            docker.createNetworkCmd()
                    .withName(name)
                    .withDriver("macvlan")
                    .withOptions(Map.of("parent", lab.lab("pod.parent")))
                    .withIpam(new Network.Ipam().withConfig(new Network.Ipam.Config()
                            .withSubnet(lab.lab("pod.range"))
                            .withGateway(lab.lab("pod.gateway"))))
                    .withLabels(Map.of("biu.it", scenario))
                    .exec();
            cleanup.push(() -> docker.removeNetworkCmd(name).exec());
        }
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
