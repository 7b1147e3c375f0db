package io.biu.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.model.Network;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A second pod beside pod {@code lab}: on the nodes' second interface (Docker allows one MacVLAN network per
 * parent), with a subnet so small that a deployment can ask for more addresses than it has.
 */
class SchedulerPodsIT {

    private final Lab lab = Lab.get();
    private final Scheduler operator = Scheduler.operator(lab);

    @Test
    void aSecondPodRefusesMoreContainersThanItsSubnetHasAddressesAndCleansUp() {
        String range = lab.lab("pod.range");
        // outside the lab pod's subnet (Docker refuses overlapping pools on one engine)
        String subnet = range.substring(0, range.indexOf(".128.0/")) + ".64.0/29";
        String gateway = subnet.replace(".0/29", ".1");
        Lab.Node host = lab.node(1);
        operator.post("/pods", Map.of("name", "tiny", "shareBase", 10, "tenants", List.of("tiny"),
                "network", Map.of("subnet", subnet, "gateway", gateway, "parent", lab.lab("pod.parent2")))).expect(201);
        try (LabResources resources = new LabResources(lab, "pods")) {
            operator.post("/nodes", Map.of("name", "tiny1", "pod", "tiny", "endpoint", host.dockerHost()))
                    .expect(201);
            Network network = resources.docker(host.index()).inspectNetworkCmd().withNetworkId("biu-tiny").exec();
            assertEquals(lab.lab("pod.parent2"), network.getOptions().get("parent"));
            Scheduler tenant = operator.as(operator.issueTenantToken("tiny"));
            tenant.post("/apps", Map.of("name", "site", "pod", "tiny", "image", lab.lab("image.web"), "cpu", 0.1,
                    "memory", "16MiB", "stopGraceSeconds", 1)).expect(201);
            try {
                JsonNode refused = tenant.post("/apps/site/containers", Map.of("count", 6)).expect(422).body();
                assertEquals("SUBNET_EXHAUSTED", refused.get("error").asText());
                assertTrue(refused.get("message").asText().contains("has 5 free addresses, 6 needed"),
                        refused.toString());
                assertEquals(0, tenant.get("/apps/site/containers").expect(200).body().size(),
                        "nothing was half-created");

                JsonNode deployed = tenant.post("/apps/site/containers", Map.of("count", 5)).expect(201).body();
                deployed.forEach(c -> assertTrue(c.get("address").asText().startsWith(subnet.replace(".0/29", ".")),
                        c.toString()));
                assertEquals("SUBNET_EXHAUSTED", tenant.post("/apps/site/containers", Map.of("count", 1))
                        .expect(422).body().get("error").asText());
                assertEquals("IN_USE", operator.delete("/nodes/tiny1").expect(409).body().get("error").asText());
            } finally {
                tenant.put("/apps/site/scale", Map.of("replicas", 0));
                tenant.delete("/apps/site");
            }
            operator.delete("/nodes/tiny1").expect(204);
            resources.docker(host.index()).removeNetworkCmd("biu-tiny").exec();
        } finally {
            operator.delete("/pods/tiny");
        }
        assertEquals(404, operator.get("/pods/tiny").status());
    }
}
