package io.biu.redisctl.backup;

import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.models.command.CommandDetail;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns the commands of a source's replication stream into commands a cluster takes: each touches the keys of one slot.
 * Where a command's keys are (first, last, step) comes from the target's {@code COMMAND} table, which also says which
 * commands are data writes: anything else the source sends is refused by name. A command whose
 * key groups are independent ({@code DEL k1 k2}, {@code MSET k1 v1 k2 v2}, {@code UNLINK}, {@code TOUCH}) is split
 * by slot; any other command whose keys span slots, or a write without keys that a cluster cannot take
 * ({@code FLUSHALL}, {@code SWAPDB}), cannot be imported online and is refused with the command named.
 */
final class CommandStream {

    /** Commands whose key groups can be applied one by one without changing their effect. */
    private static final Set<String> SPLITTABLE = Set.of("del", "unlink", "touch", "mset", "exists");

    private final Map<String, CommandDetail> table = new HashMap<>();

    /** Writes that act beyond their own keys: never replayed, whatever a table says of them. */
    private static final Set<String> NEVER = Set.of("migrate", "restore-asking", "asking", "readonly", "readwrite");

    /**
     * {@code commands}: the COMMAND table of the cluster the stream is applied to (never the source's: a source could
     * declare anything a write with a key). Only its data writes are kept: commands flagged {@code write}, and neither
     * {@code admin}, {@code pubsub} nor with keys found only by parsing ({@code movablekeys}).
     */
    CommandStream(List<CommandDetail> commands) {
        for (CommandDetail c : commands) {
            Set<CommandDetail.Flag> flags = c.getFlags();
            String name = c.getName().toLowerCase(Locale.ROOT);
            if (flags.contains(CommandDetail.Flag.WRITE) && !flags.contains(CommandDetail.Flag.ADMIN)
                    && !flags.contains(CommandDetail.Flag.PUBSUB) && !flags.contains(CommandDetail.Flag.MOVABLEKEYS)
                    && !NEVER.contains(name)) {
                table.put(name, c);
            }
        }
    }

    /** The names of the source's write commands: those the stream carries. */
    List<String> writeCommands() {
        return table.values().stream().filter(c -> c.getFlags().contains(CommandDetail.Flag.WRITE))
                .map(CommandDetail::getName).toList();
    }

    /** One command for one slot: its name and arguments, and the key that routes it. */
    record Routed(byte[] name, byte[][] args, byte[] key) {
    }

    /** {@code name} with {@code args} as commands each within one slot. */
    List<Routed> route(byte[] name, byte[][] args) {
        String command = new String(name, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
        CommandDetail detail = table.get(command);
        if (detail == null) {
            throw new IllegalStateException("the source ran " + command.toUpperCase(Locale.ROOT) + ", which is no data "
                    + "write a cluster takes from an import: import from an RDB file taken after it instead");
        }
        if (detail.getFirstKeyPosition() <= 0) {
            throw new IllegalStateException("the source ran " + command.toUpperCase(Locale.ROOT) + ", which names no "
                    + "key and cannot be applied to a cluster: import from an RDB file taken after it instead");
        }
        int first = detail.getFirstKeyPosition() - 1;
        int last = detail.getLastKeyPosition() < 0 ? args.length + detail.getLastKeyPosition()
                : detail.getLastKeyPosition() - 1;
        int step = Math.max(1, detail.getKeyStepCount());
        if (first >= args.length) {
            throw new IllegalStateException("the source sent " + command.toUpperCase(Locale.ROOT) + " without its key");
        }
        last = Math.min(last, args.length - 1);
        int slot = SlotHash.getSlot(args[first]);
        boolean oneSlot = true;
        for (int k = first + step; k <= last; k += step) {
            oneSlot &= SlotHash.getSlot(args[k]) == slot;
        }
        if (oneSlot) {
            return List.of(new Routed(name, args, args[first]));
        }
        // a splittable command is its key groups one after another: key (value)...
        if (!SPLITTABLE.contains(command) || first != 0 || args.length % step != 0) {
            throw new IllegalStateException("the source ran " + command.toUpperCase(Locale.ROOT) + " on keys of "
                    + "different slots, which a cluster cannot take: give such keys a common hash tag, or import "
                    + "from an RDB file");
        }
        List<Routed> split = new ArrayList<>();
        for (int k = 0; k < args.length; k += step) {
            split.add(new Routed(name, Arrays.copyOfRange(args, k, k + step), args[k]));
        }
        return split;
    }
}
