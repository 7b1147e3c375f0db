package io.biu.redisctl.cluster;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/** The last sequence number of the scheduler's event stream that redis-ctl has handled. */
@MappedEntity("stream_cursor")
record StreamCursor(@Id String name, long seq) {
}
