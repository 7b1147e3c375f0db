package io.biu.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The images built without a registry exist on every node and do their jobs. */
class ImagesIT {

    private final Lab lab = Lab.get();

    @Test
    void everyNodeHasTheSameBuildOfEveryImage() {
        try (LabResources resources = new LabResources(lab, "images")) {
            for (String image : List.of("image.redis", "image.jre", "image.web")) {
                Set<String> builds = new HashSet<>();
                for (Lab.Node node : lab.nodes()) {
                    var inspect = resources.docker(node.index()).inspectImageCmd(lab.lab(image)).exec();
                    String context = inspect.getConfig().getLabels().get("biu.context");
                    assertNotNull(context, lab.lab(image) + " on " + node.name() + " lacks its build label");
                    builds.add(context);
                }
                assertEquals(1, builds.size(), lab.lab(image) + " differs between nodes: " + builds);
            }
        }
    }

    @Test
    void jreImageRunsTheProxyJarOnNativeEpoll() throws Exception {
        Path jar = lab.root.resolve("proxy-admin/proxy/target/biu-proxy.jar");
        assertTrue(Files.exists(jar), jar + " is missing: build first");
        try (LabResources resources = new LabResources(lab, "jre")) {
            DockerClient docker = resources.docker(1);
            String id = resources.start(1, "proxy", lab.lab("image.jre"), create -> create
                    .withCmd("java", "-Xmx64m", "-jar", "/opt/biu/proxy.jar", "--check-transport")
                    .withHostConfig(HostConfig.newHostConfig()
                            .withNetworkMode("none")
                            .withMemory(256L * 1024 * 1024)
                            .withBinds(Bind.parse(jar + ":/opt/biu/proxy.jar:ro"))));
            int exit = docker.waitContainerCmd(id).start().awaitStatusCode(60, TimeUnit.SECONDS);
            String logs = logs(docker, id);
            assertEquals(0, exit, "the transport check failed in the JRE image: " + logs);
            assertTrue(logs.contains("transport=epoll (native epoll loaded)"), logs);
        }
    }

    private static String logs(DockerClient docker, String id) throws InterruptedException {
        StringBuilder out = new StringBuilder();
        docker.logContainerCmd(id).withStdOut(true).withStdErr(true)
                .exec(new ResultCallback.Adapter<Frame>() {
                    @Override
                    public void onNext(Frame frame) {
                        out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                    }
                }).awaitCompletion(30, TimeUnit.SECONDS);
        return out.toString();
    }

    @Test
    void webImageServesItsPageAndItsHostnameOnItsMacvlanAddress() throws Exception {
        int node = lab.nodes().size() > 1 ? 2 : 1;
        String address = lab.podAddress(50);
        try (LabResources resources = new LabResources(lab, "web")) {
            String network = resources.network(node);
            resources.start(node, "web", lab.lab("image.web"), create -> create
                    .withHostName("web-it")
                    .withIpv4Address(address)
                    .withHostConfig(HostConfig.newHostConfig().withNetworkMode(network)
                            .withMemory(16L * 1024 * 1024)));
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
            HttpResponse<String> page = org.awaitility.Awaitility.await("httpd listening")
                    .atMost(Duration.ofSeconds(20)).ignoreExceptions()
                    .until(() -> http.send(HttpRequest.newBuilder(URI.create("http://" + address + "/")).build(),
                            HttpResponse.BodyHandlers.ofString()), r -> r.statusCode() == 200);
            assertEquals("biu web\n", page.body());
            HttpResponse<String> host = http.send(
                    HttpRequest.newBuilder(URI.create("http://" + address + "/cgi-bin/host")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, host.statusCode());
            assertEquals("web-it\n", host.body());
        }
    }
}
