package io.biu.redisctl.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.biu.redisctl.api.CtlError;
import io.biu.redisctl.api.CtlException;
import io.lettuce.core.models.command.CommandDetail;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A live import reaches only a Redis other machines reach (never this host's own services, such as the bus), and
 * replays only data writes, as the target cluster defines them: a source cannot make the target run anything else.
 */
class ImportSourceTest {

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:6390", "localhost:8710", "[::1]:6379", "0.0.0.0:6379", "169.254.1.1:6379",
        "224.0.0.1:6379"})
    void thisHostAndNoHostAreRefused(String source) {
        CtlException e = assertThrows(CtlException.class, () -> BackupService.reachableSource(source));
        assertEquals(CtlError.INVALID, e.error());
        assertTrue(e.getMessage().contains(source), e.getMessage());
    }

    @Test
    void anotherMachineIsReachedAtTheAddressItHadWhenAsked() {
        assertEquals("10.64.128.9:6379", BackupService.reachableSource("10.64.128.9:6379"));
    }

    private static CommandDetail command(String name, int firstKey, CommandDetail.Flag... flags) {
        Set<CommandDetail.Flag> set = flags.length == 0 ? EnumSet.noneOf(CommandDetail.Flag.class)
                : EnumSet.of(flags[0], flags);
        return new CommandDetail(name, -1, set, firstKey, firstKey, 1);
    }

    @Test
    void onlyTheTargetsDataWritesAreReplayed() {
        CommandStream stream = new CommandStream(List.of(
                command("set", 1, CommandDetail.Flag.WRITE, CommandDetail.Flag.DENYOOM),
                command("config", 0, CommandDetail.Flag.ADMIN),
                command("replicaof", 0, CommandDetail.Flag.ADMIN),
                command("migrate", 3, CommandDetail.Flag.WRITE, CommandDetail.Flag.MOVABLEKEYS),
                command("publish", 0, CommandDetail.Flag.PUBSUB),
                command("get", 1, CommandDetail.Flag.READONLY)));
        assertEquals(1, stream.route(bytes("SET"), new byte[][] {bytes("k"), bytes("v")}).size());
        for (String refused : List.of("CONFIG", "REPLICAOF", "MIGRATE", "CLUSTER", "PUBLISH", "GET")) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> stream.route(bytes(refused), new byte[][] {bytes("k"), bytes("v")}));
            assertTrue(e.getMessage().contains(refused), e.getMessage());
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
