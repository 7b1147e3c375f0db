package io.biu.admin;

import io.micronaut.runtime.Micronaut;

/** The proxy-admin service: self-service endpoints in front of clusters. */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(Application.class).banner(false).start();
    }
}
