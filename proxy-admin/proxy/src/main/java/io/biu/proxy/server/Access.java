package io.biu.proxy.server;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Who may use the proxy: clients with one of the endpoint's passwords (replaced while the proxy runs, when
 * proxy-admin rotates them), and proxy-admin itself, as user {@value #ADMIN_USER}, which may also change the
 * endpoint's passwords and the cluster's members ({@code BIUPROXY PASSWORDS}, {@code MEMBERS}). proxy-admin never
 * sends its password: it asks for a challenge ({@code BIUPROXY CHALLENGE}, a fresh random one per connection) and
 * AUTHs with HMAC-SHA256 of it keyed with its password's hash, so an exchange read off the network cannot be
 * replayed, and the password itself is never on the wire.
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

    /**
     * The role {@code user} gets with {@code password}: client, admin, or none. The admin's password is the hex of
     * its proof for {@code challenge}, the one the connection was given ({@code null}: none, and no admin).
     */
    Role check(String user, byte[] challenge, byte[] password) {
        long now = System.currentTimeMillis();
        if (user.equals(ADMIN_USER)) {
            byte[] proof;
            try {
                proof = HexFormat.of().parseHex(new String(password, StandardCharsets.US_ASCII));
            } catch (IllegalArgumentException notHex) {
                return Role.NONE;
            }
            return admin.required() && challenge != null && admin.acceptsProof(challenge, proof, now) ? Role.ADMIN
                    : Role.NONE;
        }
        return user.equals("default") && clients.accepts(password, now) ? Role.CLIENT : Role.NONE;
    }

    void replaceClientPasswords(Passwords next) {
        clients = next;
    }

    enum Role { NONE, CLIENT, ADMIN }
}
