package io.biu.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** A process's cgroup v1 settings, read from the kernel's files, to check what an engine applied. */
final class Cgroups {

    private final Map<String, String> paths;

    private Cgroups(Map<String, String> paths) {
        this.paths = paths;
    }

    /** The cgroups of a process, from /proc/PID/cgroup ("id:controller,controller:path"). */
    static Cgroups of(long pid) throws IOException {
        Map<String, String> paths = new HashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/cgroup"))) {
            String[] parts = line.split(":", 3);
            for (String controller : parts[1].split(",")) {
                paths.put(controller, parts[2]);
            }
        }
        return new Cgroups(paths);
    }

    /** The process's cgroup path under a controller, e.g. "/biutest-node1/&lt;id&gt;". */
    String path(String controller) {
        return paths.get(controller);
    }

    /** One setting, e.g. read("cpuset", "cpuset.cpus"). */
    String read(String controller, String file) throws IOException {
        return Files.readString(Path.of("/sys/fs/cgroup", controller, paths.get(controller), file)).trim();
    }
}
