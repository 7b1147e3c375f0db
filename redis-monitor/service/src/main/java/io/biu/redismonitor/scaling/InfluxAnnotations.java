package io.biu.redismonitor.scaling;

import io.biu.redismonitor.client.Inputs;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.concurrent.TimeUnit;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Point;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decisions as annotations in InfluxDB: measurement {@code scaling_decision}, tags tenant, cluster, decision, reason.
 * While InfluxDB does not answer, that is logged once and the decisions are only in the database.
 */
@Singleton
class InfluxAnnotations implements Annotations {

    private static final Logger LOG = LoggerFactory.getLogger(InfluxAnnotations.class);

    private final InfluxDB influx;
    private final String database;
    private boolean failing;

    InfluxAnnotations(@Value("${biu.influxdb.url}") String url, @Value("${biu.influxdb.database}") String database) {
        this.influx = InfluxDBFactory.connect(url);
        this.database = database;
    }

    @Override
    public void annotate(DecisionRow row, Inputs inputs) {
        try {
            influx.write(database, "autogen", Point.measurement("scaling_decision")
                    .time(row.at().toEpochMilli(), TimeUnit.MILLISECONDS)
                    .tag("tenant", row.tenant()).tag("cluster", row.cluster())
                    .tag("decision", row.kind().toLowerCase()).tag("reason", row.reason().toLowerCase())
                    .addField("title", row.kind().toLowerCase().replace('_', '-') + " " + row.cluster())
                    .addField("text", row.reason().toLowerCase() + (row.why() == null ? "" : ": " + row.why()))
                    .addField("masters", row.masters()).addField("mean_ratio", inputs.meanRatio())
                    .addField("max_ratio", inputs.maxRatio()).addField("decision_id", row.id()).build());
            if (failing) {
                LOG.info("decisions reach InfluxDB again");
                failing = false;
            }
        } catch (RuntimeException e) {
            if (!failing) {
                LOG.warn("cannot write decisions to InfluxDB (they are in the database): {}", e.toString());
                failing = true;
            }
        }
    }

    @PreDestroy
    void close() {
        influx.close();
    }
}
