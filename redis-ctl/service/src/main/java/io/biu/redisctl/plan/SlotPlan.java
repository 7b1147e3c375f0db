package io.biu.redisctl.plan;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Where a cluster's 16384 slots go: the even ranges a new cluster's shards start with, the moves that even the masters
 * out or empty the ones being drained, and the slots a shard that lost every member held.
 */
public final class SlotPlan {

    public static final int SLOTS = 16384;

    private SlotPlan() {
    }

    /** One slot moving from the master that holds it to another. */
    public record Move(int slot, String source, String target) {
        public Move {
            checkSlot(slot);
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(target, "target");
            if (source.equals(target)) {
                throw new IllegalArgumentException("slot " + slot + " would move from " + source + " to itself");
            }
        }
    }

    /**
     * Slots {@code [first, last]} of shard {@code shard} of a new cluster of {@code masters}: even ranges, in shard
     * order, that cover every slot once.
     */
    public static int[] range(int shard, int masters) {
        if (masters < 1 || shard < 0 || shard >= masters) {
            throw new IllegalArgumentException("no shard " + shard + " among " + masters + " masters");
        }
        return new int[] {shard * SLOTS / masters, (shard + 1) * SLOTS / masters - 1};
    }

    /** The slots as runs of consecutive slots, {@code [first, last]}, in order. */
    public static List<int[]> runs(List<Integer> slots) {
        List<Integer> sorted = slots.stream().sorted().toList();
        List<int[]> runs = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            int start = sorted.get(i);
            int end = start;
            while (i + 1 < sorted.size() && sorted.get(i + 1) == end + 1) {
                end = sorted.get(++i);
            }
            runs.add(new int[] {start, end});
        }
        return runs;
    }

    /**
     * Which slots move where so that the masters that stay end up with even shares and masters being drained with
     * none, moving as few slots as possible: only surplus slots move, each once.
     *
     * <p>The slots held now are shared out again: each staying master's target is {@code held / n}, and the first
     * {@code held % n} of them, in order of the slots they already hold (most first, then by id), get one more, so
     * the fullest keep their extra slot rather than pass it on. Every master above its target gives up its highest
     * slots (what stays is contiguous where it was), and the masters below theirs take those, fullest first.
     *
     * @param slotsByMaster every master's current slots (empty for a new master)
     * @param draining      masters to empty
     */
    public static List<Move> plan(Map<String, List<Integer>> slotsByMaster, Set<String> draining) {
        List<String> staying = slotsByMaster.keySet().stream().filter(m -> !draining.contains(m))
                .sorted(Comparator.comparingInt((String m) -> -slotsByMaster.get(m).size())
                        .thenComparing(Comparator.naturalOrder()))
                .toList();
        if (staying.isEmpty()) {
            throw new IllegalArgumentException("no master would be left to hold the slots");
        }
        int assigned = slotsByMaster.values().stream().mapToInt(List::size).sum();
        Map<String, Integer> target = new LinkedHashMap<>();
        for (int i = 0; i < staying.size(); i++) {
            target.put(staying.get(i), assigned / staying.size() + (i < assigned % staying.size() ? 1 : 0));
        }
        draining.forEach(m -> target.put(m, 0));
        Deque<int[]> surplus = new ArrayDeque<>();
        List<String> sources = slotsByMaster.keySet().stream().sorted().toList();
        for (int s = 0; s < sources.size(); s++) {
            List<Integer> held = slotsByMaster.get(sources.get(s)).stream().sorted().toList();
            int extra = held.size() - target.getOrDefault(sources.get(s), 0);
            // the highest slots go, so what stays is contiguous where it was
            for (int i = held.size() - extra; i < held.size() && extra > 0; i++) {
                surplus.add(new int[] {held.get(i), s});
            }
        }
        List<Move> moves = new ArrayList<>();
        for (String m : staying) {
            int missing = target.get(m) - slotsByMaster.get(m).size();
            for (int i = 0; i < missing && !surplus.isEmpty(); i++) {
                int[] from = surplus.poll();
                moves.add(new Move(from[0], sources.get(from[1]), m));
            }
        }
        return moves;
    }

    /** Slots moving from one master to another together: one round of the move's commands covers them all. */
    public record Batch(String source, String target, List<Integer> slots) {
        public Batch {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(target, "target");
            slots = List.copyOf(slots);
            if (slots.isEmpty()) {
                throw new IllegalArgumentException("a batch from " + source + " to " + target + " moves no slot");
            }
        }
    }

    /**
     * The moves in batches of at most {@code size} slots, each between the same two masters, in the order their pairs
     * first appear in {@code moves}.
     */
    public static List<Batch> batches(List<Move> moves, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("a batch holds at least one slot, not " + size);
        }
        Map<List<String>, List<Integer>> byPair = new LinkedHashMap<>();
        moves.forEach(m -> byPair.computeIfAbsent(List.of(m.source(), m.target()), p -> new ArrayList<>()).add(m.slot()));
        List<Batch> batches = new ArrayList<>();
        byPair.forEach((pair, slots) -> {
            for (int from = 0; from < slots.size(); from += size) {
                batches.add(new Batch(pair.get(0), pair.get(1), slots.subList(from, Math.min(slots.size(), from + size))));
            }
        });
        return batches;
    }

    /**
     * The slots a shard that lost every member held, as {@code owners} (slot owners as a survivor sees them) tells:
     * those no one owns any more, and those still owned by {@code failed}, the shard's dead master. They can only be
     * served again empty.
     */
    public static List<Integer> lost(Map<Integer, String> owners, String failed) {
        List<Integer> lost = new ArrayList<>();
        for (int slot = 0; slot < SLOTS; slot++) {
            String owner = owners.get(slot);
            if (owner == null || owner.equals(failed)) {
                lost.add(slot);
            }
        }
        return lost;
    }

    private static void checkSlot(int slot) {
        if (slot < 0 || slot >= SLOTS) {
            throw new IllegalArgumentException("slot " + slot + " is not in 0-" + (SLOTS - 1));
        }
    }
}
