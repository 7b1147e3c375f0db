package io.biu.scheduler;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * What every container gets, whoever's it is ({@code biu.scheduler.containers.*}): no capabilities but those its app
 * is given back, no privilege gain through set-uid programs, and these limits.
 *
 * @param pidsLimit   most processes and threads at once: a fork bomb stops there, not at the node's limit
 * @param logMaxSize  size of one log file before the engine rotates it (Docker's {@code max-size}, e.g. 10m)
 * @param logMaxFiles rotated log files kept
 * @param tmpSize     size of the {@code /tmp} a read-only root gets, in MiB (counted in the container's memory)
 */
@ConfigurationProperties("biu.scheduler.containers")
public record ContainerLimits(int pidsLimit, String logMaxSize, int logMaxFiles, int tmpSize) {

    public ContainerLimits {
        if (pidsLimit < 16) {
            throw new IllegalArgumentException("biu.scheduler.containers.pids-limit must be at least 16, not "
                    + pidsLimit);
        }
        if (!logMaxSize.matches("[1-9][0-9]{0,5}[kmg]")) {
            throw new IllegalArgumentException("biu.scheduler.containers.log-max-size must be like 10m, not "
                    + logMaxSize);
        }
        if (logMaxFiles < 1 || tmpSize < 1) {
            throw new IllegalArgumentException("biu.scheduler.containers.log-max-files and tmp-size must be positive");
        }
    }
}
