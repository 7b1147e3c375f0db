package io.biu.scheduler.agent;

import io.biu.scheduler.engine.Engine;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.BatchPoints;
import org.influxdb.dto.Point;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Container usage into InfluxDB: measurement {@code container}, tagged node, pod, tenant, app and
 * container, with CPU (percent of a core), memory, network and block I/O.
 */
@Singleton
class InfluxWriter {

    private static final Logger LOG = LoggerFactory.getLogger(InfluxWriter.class);

    /** One sample: where it comes from and what it says. */
    record Sample(String node, String pod, String tenant, String app, String container, Engine.Usage usage) {
    }

    private final InfluxDB influx;
    private final String database;
    private final String url;
    private boolean failing;

    InfluxWriter(@Value("${biu.influxdb.url}") String url, @Value("${biu.influxdb.database}") String database) {
        this.url = url;
        this.database = database;
        this.influx = InfluxDBFactory.connect(url);
    }

    void write(List<Sample> samples) {
        if (samples.isEmpty()) {
            return;
        }
        BatchPoints batch = BatchPoints.database(database).build();
        long now = System.currentTimeMillis();
        for (Sample s : samples) {
            Engine.Usage u = s.usage();
            batch.point(Point.measurement("container").time(now, TimeUnit.MILLISECONDS)
                    .tag("node", s.node()).tag("pod", s.pod()).tag("tenant", s.tenant()).tag("app", s.app())
                    .tag("container", s.container())
                    .addField("cpu_percent", u.cpuPercent())
                    .addField("memory_bytes", u.memoryBytes())
                    .addField("memory_limit", u.memoryLimit())
                    .addField("net_rx_bytes", u.netRxBytes())
                    .addField("net_tx_bytes", u.netTxBytes())
                    .addField("block_read_bytes", u.blockReadBytes())
                    .addField("block_write_bytes", u.blockWriteBytes())
                    .build());
        }
        try {
            influx.write(batch);
            if (failing) {
                LOG.info("InfluxDB at {} takes samples again", url);
                failing = false;
            }
        } catch (RuntimeException e) {
            if (!failing) {
                LOG.warn("cannot write container samples to InfluxDB at {}: {}", url, e.toString());
                failing = true;
            }
        }
    }

    @PreDestroy
    void close() {
        influx.close();
    }
}
