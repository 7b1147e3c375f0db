package io.biu.proxy.server;

/**
 * Who may use the proxy: clients with one of the endpoint's passwords (replaced while the proxy runs, when
 * proxy-admin rotates them), and proxy-admin itself, as user {@value #ADMIN_USER} with the admin password,
 * which may also change the endpoint's passwords ({@code BIUPROXY PASSWORDS}).
 */
final class Access {

    static final String ADMIN_USER = "biu-admin";

    private final Passwords admin;
    private volatile Passwords clients;

    Access(Passwords clients, Passwords admin) {
        this.clients = clients;
        this.admin = admin;
    }

    boolean required() {
        return clients.required();
    }

    /** The role {@code user} gets with {@code password}: client, admin, or none. */
    Role check(String user, byte[] password) {
        long now = System.currentTimeMillis();
        if (user.equals(ADMIN_USER)) {
            return admin.required() && admin.accepts(password, now) ? Role.ADMIN : Role.NONE;
        }
        return user.equals("default") && clients.accepts(password, now) ? Role.CLIENT : Role.NONE;
    }

    void replaceClientPasswords(Passwords next) {
        clients = next;
    }

    enum Role { NONE, CLIENT, ADMIN }
}
