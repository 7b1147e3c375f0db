package io.biu.redisctl;

import io.micronaut.runtime.Micronaut;

/** The redis-ctl service: turns containers of the scheduler into Redis Clusters and keeps them healthy. */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(Application.class).banner(false).start();
    }
}
