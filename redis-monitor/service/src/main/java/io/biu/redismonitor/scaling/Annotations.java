package io.biu.redismonitor.scaling;

import io.biu.redismonitor.client.Inputs;

/** Where recorded decisions are also shown beside the clusters' figures (InfluxDB, {@link InfluxAnnotations}). */
interface Annotations {

    /** Adds the decision; a failure is the annotations' own business (the decision is in the database). */
    void annotate(DecisionRow row, Inputs inputs);
}
