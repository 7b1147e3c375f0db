package io.biu.redismonitor;

import io.micronaut.runtime.Micronaut;

/** The redis-monitor service: watches clusters and scales them out and in. */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(Application.class).banner(false).start();
    }
}
