package io.biu.scheduler;

import io.biu.scheduler.api.Caller;
import io.biu.scheduler.app.App;
import io.biu.scheduler.app.AppService;
import io.biu.scheduler.client.Schema;
import io.biu.scheduler.client.TokenKind;
import io.biu.scheduler.container.Container;
import io.biu.scheduler.container.ContainerRepository;
import io.biu.scheduler.container.DeployService;
import io.biu.scheduler.engine.FakeEngine;
import io.biu.scheduler.engine.FakeEngines;
import io.biu.scheduler.node.Node;
import io.biu.scheduler.node.NodeService;
import io.biu.scheduler.pod.Pod;
import io.biu.scheduler.pod.PodService;
import io.micronaut.context.ApplicationContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A scheduler in this process for middle-tier tests: the real services on an in-memory H2 database, every engine a
 * {@link FakeEngine}, no background work (agents, relay) unless a test asks for it, no HTTP server. Set-up goes
 * through the services as an operator and tenants would: pods, nodes registered against fake engines, apps.
 */
public final class SchedulerFixture implements AutoCloseable {

    public static final Caller OPERATOR = new Caller(1, "operator", TokenKind.OPERATOR, null);
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final ApplicationContext context;
    private final Path dataDir;

    private SchedulerFixture(ApplicationContext context, Path dataDir) {
        this.context = context;
        this.dataDir = dataDir;
    }

    /** A scheduler with these settings over the defaults (each with a database of its own). */
    public static SchedulerFixture start(Map<String, Object> settings) {
        Path dataDir;
        try {
            dataDir = Files.createTempDirectory("biu-scheduler-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Object> properties = new HashMap<>(Map.of(
                "datasources.default.url", "jdbc:h2:mem:scheduler-" + DATABASES.incrementAndGet()
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
                "biu.data-dir", dataDir.toString(),
                "biu.scheduler.background", "false",
                "biu.scheduler.engine-timeout", "2s"));
        properties.putAll(settings);
        return new SchedulerFixture(ApplicationContext.run(properties), dataDir);
    }

    public static Caller tenant(String name) {
        return new Caller(2, name, TokenKind.TENANT, name);
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    public FakeEngines engines() {
        return bean(FakeEngines.class);
    }

    public FakeEngine engine(Node node) {
        return engines().engine(node.endpoint());
    }

    public TestClock clock() {
        return bean(TestClock.class);
    }

    /** A bound MacVLAN pod on {@code subnet} (gateway: its first address), 10 pieces per core. */
    public Pod pod(String name, String subnet, String... tenants) {
        String gateway = subnet.replaceFirst("\\.\\d+/\\d+$", ".1");
        return bean(PodService.class).create(OPERATOR, new Schema.PodSpec(name, 10, null, null,
                new Schema.NetworkSpec(null, subnet, gateway, "eth0", null, null), null, List.of(tenants)));
    }

    /** A bound pod on the nodes' own network (no addresses to hand out), 10 pieces per core. */
    public Pod hostPod(String name, String... tenants) {
        return bean(PodService.class).create(OPERATOR, new Schema.PodSpec(name, 10, null, null,
                new Schema.NetworkSpec("host", null, null, null, null, null), null, List.of(tenants)));
    }

    /**
     * Registers a node of a pod against the fake engine at {@code tcp://NAME.fake:2376} (4 cores, 8 GiB), letting the
     * scheduler use {@code cores} and {@code memory} of it.
     */
    public Node node(String name, String pod, List<Integer> cores, String memory) {
        return bean(NodeService.class).register(OPERATOR, new Schema.NodeSpec(name, pod,
                "tcp://" + name + ".fake:2376", null, cores, memory, Map.of()));
    }

    /** An app of a tenant with a secret file and a one-second stop grace. */
    public App app(String tenant, String name, String pod, String cpu, String memory, String antiAffinity) {
        return bean(AppService.class).create(tenant(tenant), new Schema.AppSpec(name, pod, "biu/web:1",
                List.of("httpd", "-f"), Map.of(), new BigDecimal(cpu), memory, antiAffinity, null, null, null,
                List.of(new Schema.FileSpec("/run/secrets/token",
                        Base64.getEncoder().encodeToString("s3cret".getBytes()), "0400")),
                null, null, 1));
    }

    /** An app of a tenant like {@link #app}, whose containers mount a data volume at {@code /data}. */
    public App appWithVolume(String tenant, String name, String pod, String cpu, String memory) {
        return bean(AppService.class).create(tenant(tenant), new Schema.AppSpec(name, pod, "biu/redis:1",
                List.of("redis-server"), Map.of(), new BigDecimal(cpu), memory, null, null, null, null, null, "/data",
                null, 1));
    }

    public List<Container> deploy(String tenant, String app, int count) {
        return bean(DeployService.class).deploy(tenant(tenant), app, new Schema.Deploy(count, null,
                null, null, null));
    }

    /** Every container row of a pod, whatever its state. */
    public List<Container> rows(String pod) {
        return bean(ContainerRepository.class).findByPod(pod);
    }

    @Override
    public void close() {
        try {
            context.close();
        } finally {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a temporary directory left behind harms nothing
            }
        }
    }
}
