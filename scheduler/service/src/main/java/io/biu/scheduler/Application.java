package io.biu.scheduler;

import io.micronaut.runtime.Micronaut;

/** The scheduler service: Biu's container scheduler (Eru's core). */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(Application.class).banner(false).start();
    }
}
