package io.biu.scheduler.engine;

import io.biu.scheduler.ContainerLimits;
import io.biu.scheduler.SchedulerConfig;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * In tests every node's engine is a {@link FakeEngine}, one per endpoint, so no test of this module reaches a Docker
 * host. An endpoint's fake exists from its first use, with {@link #DEFAULT}'s facts unless {@link #host} said
 * otherwise; its calls hang for at most {@code biu.scheduler.engine-timeout}, as the real clients' do.
 */
@Singleton
@Replaces(Engines.class)
public class FakeEngines extends Engines {

    /** What an engine reports unless told otherwise: 4 cores, 8 GiB, overlay2. */
    public static final Engine.Info DEFAULT = new Engine.Info(4, 8L << 30, "overlay2", "fake");

    private final Duration timeout;
    private final Map<String, FakeEngine> engines = new ConcurrentHashMap<>();

    FakeEngines(SchedulerConfig config, ContainerLimits limits) {
        super(config, limits);
        this.timeout = config.engineTimeout();
    }

    @Override
    public Engine at(String endpoint, @Nullable String tlsDir) {
        return engine(endpoint);
    }

    /** The fake at an endpoint. */
    public FakeEngine engine(String endpoint) {
        return engines.computeIfAbsent(endpoint, e -> new FakeEngine(e, DEFAULT, timeout));
    }

    /** The fake at an endpoint, reporting {@code info} from now on. */
    public FakeEngine host(String endpoint, Engine.Info info) {
        FakeEngine engine = engine(endpoint);
        engine.info(info);
        return engine;
    }
}
