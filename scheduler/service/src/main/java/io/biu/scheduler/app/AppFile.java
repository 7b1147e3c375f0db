package io.biu.scheduler.app;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/** A secret file of an app, delivered into each container before it starts and never shown again. */
@MappedEntity("app_file")
public record AppFile(@Id @GeneratedValue @Nullable Long id, long appId, String path, int mode, byte[] content) {
}
