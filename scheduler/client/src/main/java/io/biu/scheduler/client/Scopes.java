package io.biu.scheduler.client;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a service token may do: {@code <service>:<operation>} scopes, named when the token is issued. Every
 * call a service token makes needs one of them:
 * <ul>
 * <li>{@code <service>:read} for a {@code GET} or {@code HEAD} of that service's API;</li>
 * <li>{@code <service>:write} for any other method;</li>
 * <li>except three operations that neither covers, each with a scope of its own:
 *     {@value #INTROSPECT} (say whose a token is), {@value #CONNECTION} (a cluster's password and instances)
 *     and {@value #MEMBERS} (tell an endpoint's proxies a cluster's members changed).</li>
 * </ul>
 * Tenant and operator tokens carry no scopes: a tenant's is bounded by its tenant, an operator's by nothing.
 */
public final class Scopes {

    public static final String SCHEDULER = "scheduler";
    public static final String REDIS_CTL = "redis-ctl";
    public static final String PROXY_ADMIN = "proxy-admin";
    public static final String REDIS_MONITOR = "redis-monitor";
    public static final List<String> SERVICES = List.of(SCHEDULER, REDIS_CTL, PROXY_ADMIN, REDIS_MONITOR);

    public static final String INTROSPECT = "scheduler:introspect";
    public static final String CONNECTION = "redis-ctl:connection";
    public static final String MEMBERS = "proxy-admin:members";

    /** Every scope there is, in the order {@link #of} keeps. */
    public static final List<String> ALL;

    static {
        List<String> all = new ArrayList<>();
        for (String service : SERVICES) {
            all.add(service + ":read");
            all.add(service + ":write");
        }
        all.addAll(List.of(INTROSPECT, CONNECTION, MEMBERS));
        ALL = List.copyOf(all);
    }

    /** At most this many scopes and characters in a request, checked before anything is split. */
    private static final int MAX_TEXT = 1000;

    private Scopes() {
    }

    /**
     * The scopes as given, checked and in a stable order.
     *
     * @throws IllegalArgumentException naming the first unknown scope, with the ones there are
     */
    public static Set<String> of(Collection<String> given) {
        Set<String> scopes = new LinkedHashSet<>();
        int length = 0;
        for (String s : given) {
            String scope = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
            length += scope.length() + 1;
            if (length > MAX_TEXT) {
                throw new IllegalArgumentException("too many scopes: name at most the " + ALL.size() + " there are");
            }
            if (!ALL.contains(scope)) {
                throw new IllegalArgumentException("'" + (scope.length() > 40 ? scope.substring(0, 40) + "..." : scope)
                        + "' is not a scope; there are: " + String.join(", ", ALL));
            }
            scopes.add(scope);
        }
        List<String> ordered = new ArrayList<>(ALL);
        ordered.retainAll(scopes);
        return new LinkedHashSet<>(ordered);
    }

    /** Scopes as stored: separated by spaces. */
    public static String join(Set<String> scopes) {
        return String.join(" ", scopes);
    }

    /**
     * Scopes as stored, read back; an empty set for none. One this version does not know (stored by a later one) is
     * left out, never granted.
     */
    public static Set<String> split(String stored) {
        if (stored == null || stored.isBlank()) {
            return Set.of();
        }
        return of(Arrays.stream(stored.trim().split("\\s+")).filter(ALL::contains).toList());
    }

    /**
     * The scope a service token needs for {@code method} on {@code path} of {@code service}'s API. The three
     * operations of their own are matched on their exact path; any other spelling that reaches them needs
     * {@code read} or {@code write}, and their controllers ask for their scope too.
     */
    public static String needed(String service, String method, String path) {
        String m = method.toUpperCase(Locale.ROOT);
        if (service.equals(SCHEDULER) && m.equals("POST") && path.equals("/api/v1/tokens/introspect")) {
            return INTROSPECT;
        }
        if (service.equals(REDIS_CTL) && m.equals("GET") && path.matches("/api/v1/clusters/[0-9]{1,18}/connection")) {
            return CONNECTION;
        }
        if (service.equals(PROXY_ADMIN) && m.equals("POST") && path.equals("/api/v1/endpoints/members")) {
            return MEMBERS;
        }
        return service + (m.equals("GET") || m.equals("HEAD") ? ":read" : ":write");
    }
}
