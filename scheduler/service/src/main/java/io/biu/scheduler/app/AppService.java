package io.biu.scheduler.app;

import io.biu.scheduler.api.Caller;
import io.biu.scheduler.api.Requests;
import io.biu.scheduler.client.Schema;
import io.biu.scheduler.client.TokenKind;
import io.biu.scheduler.cpu.CpuRequest;
import io.biu.scheduler.error.SchedulerError;
import io.biu.scheduler.error.SchedulerException;
import io.biu.scheduler.placement.PlacementRequest;
import io.biu.scheduler.placement.Sizes;
import io.biu.scheduler.pod.Pod;
import io.biu.scheduler.pod.PodService;
import io.biu.scheduler.volume.Volume;
import io.biu.scheduler.volume.VolumeRemovals;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Apps: container templates of a tenant, on a pod granted to it. */
@Singleton
public class AppService {

    /** Secret files are for passwords and keys, not payloads. */
    static final int MAX_FILES_BYTES = 1024 * 1024;
    static final int MAX_STOP_GRACE = 3600;
    static final int MAX_WRITABLE = 8;

    private final AppRepository apps;
    private final AppFileRepository files;
    private final PodService pods;
    private final VolumeRemovals volumes;
    private final Clock clock;

    AppService(AppRepository apps, AppFileRepository files, PodService pods, VolumeRemovals volumes, Clock clock) {
        this.apps = apps;
        this.files = files;
        this.pods = pods;
        this.volumes = volumes;
        this.clock = clock;
    }

    @Transactional
    public App create(Caller caller, Schema.AppSpec request) {
        String tenant = caller.requireTenant();
        String name = Requests.name(request.name(), "app");
        Pod pod = pods.get(caller, Requests.required(request.pod(), "pod"));
        if (!pod.allows(tenant)) {
            throw new SchedulerException(SchedulerError.FORBIDDEN, "pod '" + pod.name() + "' is not granted to tenant '"
                    + tenant + "'");
        }
        CpuRequest cpu = CpuRequest.of(Requests.required(request.cpu(), "cpu"), pod.base());
        long memory = Sizes.parse(Requests.required(request.memory(), "memory"));
        if (memory < PlacementRequest.MIN_MEMORY || memory > PlacementRequest.MAX_MEMORY) {
            throw SchedulerException.invalid(SchedulerError.INVALID_MEMORY, "memory must be between %s and %s, not %s",
                    Sizes.format(PlacementRequest.MIN_MEMORY), Sizes.format(PlacementRequest.MAX_MEMORY),
                    Sizes.format(memory));
        }
        Map<String, String> labels = request.labels() == null ? Map.of() : request.labels();
        labels.keySet().stream().filter(k -> k.startsWith("biu.")).findFirst().ifPresent(k -> {
            throw new SchedulerException(SchedulerError.INVALID_REQUEST, "label '" + k + "': the biu. prefix is the "
                    + "scheduler's own");
        });
        int grace = request.stopGraceSeconds() == null ? 10 : request.stopGraceSeconds();
        if (grace < 0 || grace > MAX_STOP_GRACE) {
            throw new SchedulerException(SchedulerError.INVALID_REQUEST, "stopGraceSeconds must be 0 to "
                    + MAX_STOP_GRACE);
        }
        int ports = request.ports() == null ? 0 : request.ports();
        if (ports < 0 || ports > 16) {
            throw new SchedulerException(SchedulerError.INVALID_REQUEST, "ports must be 0 to 16");
        }
        validateProbe(request.probe());
        Schema.Security security = security(request.security(), request.files());
        if (apps.findByTenantAndName(tenant, name).isPresent()) {
            throw new SchedulerException(SchedulerError.ALREADY_EXISTS, "app '" + name + "' already exists");
        }
        App app = apps.save(new App(null, tenant, name, pod.name(), Requests.required(request.image(), "image"),
                request.command() == null ? List.of() : request.command(),
                request.env() == null ? Map.of() : request.env(), cpu.pieces(), memory,
                blankToNull(request.antiAffinity()),
                request.nodeSelector() == null ? Map.of() : request.nodeSelector(), labels, request.probe(),
                blankToNull(request.volume()), ports, grace, security, clock.instant(),
                caller.kind() == TokenKind.SERVICE ? caller.tokenName() : null));
        saveFiles(app.id(), request.files());
        return app;
    }

    private static String blankToNull(@Nullable String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static void validateProbe(@Nullable Schema.Probe probe) {
        if (probe == null) {
            return;
        }
        boolean tcp = probe.tcp() != null;
        boolean command = probe.command() != null && !probe.command().isEmpty();
        if (tcp == command) {
            throw new SchedulerException(SchedulerError.INVALID_REQUEST, "a probe is either {\"tcp\": PORT} or "
                    + "{\"command\": [...]}");
        }
        if (tcp && (probe.tcp() < 1 || probe.tcp() > 65535)) {
            throw new SchedulerException(SchedulerError.INVALID_REQUEST, "probe port " + probe.tcp() + " is not a port");
        }
    }

    /** The security asked for, checked: a numeric user, known capabilities, and files a read-only root can take. */
    static Schema.Security security(@Nullable Schema.Security asked, @Nullable List<Schema.FileSpec> files) {
        if (asked == null) {
            return new Schema.Security(null, false, List.of(), List.of());
        }
        String user = blankToNull(asked.user());
        if (user != null && !user.matches(Schema.Security.USER)) {
            throw SchedulerException.invalid(SchedulerError.INVALID_REQUEST,
                    "security.user %s is not a numeric uid or uid:gid, like 999 or 999:999", user);
        }
        List<String> capabilities = asked.capabilities() == null ? List.of() : asked.capabilities();
        for (String c : capabilities) {
            if (!Schema.Security.CAPABILITIES.contains(c)) {
                throw SchedulerException.invalid(SchedulerError.INVALID_REQUEST,
                        "security.capabilities: %s cannot be given back; an app may ask only for "
                                + String.join(", ", Schema.Security.CAPABILITIES), c);
            }
        }
        List<String> writable = asked.writable() == null ? List.of() : asked.writable();
        if (writable.size() > MAX_WRITABLE) {
            throw new SchedulerException(SchedulerError.INVALID_REQUEST, "security.writable names at most "
                    + MAX_WRITABLE + " directories");
        }
        for (String dir : writable) {
            if (dir == null || !dir.matches("(/[A-Za-z0-9._-]+)+") || dir.contains("/../") || dir.endsWith("/..")) {
                throw SchedulerException.invalid(SchedulerError.INVALID_REQUEST, "security.writable: %s is not an "
                        + "absolute directory path other than / (letters, digits, '.', '_', '-'; no '..')", dir);
            }
            for (String kernel : List.of("/tmp", "/proc", "/sys", "/dev")) {
                if (dir.equals(kernel) || dir.startsWith(kernel + "/")) {
                    throw SchedulerException.invalid(SchedulerError.INVALID_REQUEST, "security.writable: %s is the "
                            + "engine's (" + kernel + " is mounted by it)", dir);
                }
            }
        }
        if (asked.readOnly() && files != null) {
            for (Schema.FileSpec f : files) {
                if (f.path() != null && f.path().lastIndexOf('/') == 0) {
                    throw SchedulerException.invalid(SchedulerError.INVALID_REQUEST, "file %s is in the root "
                            + "directory, which is read-only: put it in a directory of its own", f.path());
                }
            }
        }
        return new Schema.Security(user, asked.readOnly(), capabilities.stream().distinct().toList(),
                writable.stream().distinct().toList());
    }

    private void saveFiles(long appId, @Nullable List<Schema.FileSpec> requested) {
        if (requested == null) {
            return;
        }
        Set<String> paths = new HashSet<>();
        int total = 0;
        for (Schema.FileSpec f : requested) {
            String path = Requests.required(f.path(), "files[].path");
            if (!path.startsWith("/") || path.contains("/../") || path.endsWith("/..") || path.endsWith("/")) {
                throw new SchedulerException(SchedulerError.INVALID_REQUEST, "file path '" + path
                        + "' must be an absolute path to a file, without '..'");
            }
            if (!paths.add(path)) {
                throw new SchedulerException(SchedulerError.INVALID_REQUEST, "file '" + path + "' is given twice");
            }
            byte[] content;
            try {
                content = Base64.getDecoder().decode(Requests.required(f.content(), "files[].content"));
            } catch (IllegalArgumentException e) {
                throw new SchedulerException(SchedulerError.INVALID_REQUEST, "file '" + path
                        + "': content must be base64");
            }
            total += content.length;
            if (total > MAX_FILES_BYTES) {
                throw new SchedulerException(SchedulerError.INVALID_REQUEST, "files add up to more than 1 MiB");
            }
            files.save(new AppFile(null, appId, path, mode(f.mode(), path), content));
        }
    }

    private static int mode(@Nullable String mode, String path) {
        if (mode == null) {
            return 0400;
        }
        try {
            int m = Integer.parseInt(mode, 8);
            if (m >= 0 && m <= 0777) {
                return m;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new SchedulerException(SchedulerError.INVALID_REQUEST, "file '" + path + "': mode '" + mode
                + "' is not an octal file mode like 0400");
    }

    /**
     * Refuses a tenant's change to an app a platform service runs for it: scaling it, removing its containers or
     * volumes, deleting it. Deploying more is left open (what redis-ctl does not know of, it adopts or removes); the
     * services and operators may do anything.
     */
    public static void requireChangeable(Caller caller, App app, String action) {
        if (app.managedBy() != null && caller.kind() == TokenKind.TENANT) {
            throw new SchedulerException(SchedulerError.FORBIDDEN, "app '" + app.name() + "' is run for tenant '"
                    + app.tenant() + "' by the platform (" + app.managedBy() + "): a tenant token cannot " + action
                    + " it; change it through " + app.managedBy() + "'s API (./biu cluster ..., ./biu endpoint ...)");
        }
    }

    /** The caller's app of that name. */
    public App get(Caller caller, String name) {
        return apps.findByTenantAndName(caller.requireTenant(), name)
                .orElseThrow(() -> SchedulerException.notFound("app", name));
    }

    public List<App> list(Caller caller) {
        if (caller.tenant() == null) {
            caller.requireOperator("listing every tenant's apps");
            return apps.findAllOrderById();
        }
        return apps.findByTenantOrderByName(caller.tenant());
    }

    /** An app by id, for containers that name their app by id. */
    public App byId(long id) {
        return apps.findById(id).orElseThrow(() -> SchedulerException.notFound("app", id));
    }

    public List<AppFile> files(App app) {
        return files.findByAppId(app.id());
    }

    /**
     * Deletes an app with no containers, and marks its volumes for removal; the check, the marking and the deletion
     * share one transaction. Returns the volumes marked: remove them with {@link VolumeRemovals#remove} once this
     * has committed (the reconciler removes any left, once their nodes answer).
     */
    @Transactional
    public List<Volume> delete(Caller caller, String name) {
        App app = get(caller, name);
        requireChangeable(caller, app, "delete");
        long containers = apps.countContainers(app.id());
        if (containers > 0) {
            throw new SchedulerException(SchedulerError.IN_USE, "app '" + name + "' still has " + containers
                    + " containers: scale it to 0 first");
        }
        List<Volume> marked = volumes.mark(app.id(), null);
        files.deleteByAppId(app.id());
        apps.delete(app);
        return marked;
    }
}
