package io.biu.redisctl.redis;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which slots move where so that the masters that stay end up with even shares (16384 / n, the first
 * 16384 % n of them, in order of the slots they already hold, one more) and masters being drained end up
 * with none, moving as few slots as possible: only surplus slots move, each once.
 */
public final class SlotPlan {

    public static final int SLOTS = 16384;

    private SlotPlan() {
    }

    public record Move(int slot, String source, String target) {
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
        Deque<Move> surplus = new ArrayDeque<>();
        for (String m : slotsByMaster.keySet().stream().sorted().toList()) {
            List<Integer> held = slotsByMaster.get(m).stream().sorted().toList();
            int extra = held.size() - target.getOrDefault(m, 0);
            // the highest slots go, so what stays is contiguous where it was
            for (int i = held.size() - extra; i < held.size() && extra > 0; i++) {
                surplus.add(new Move(held.get(i), m, null));
            }
        }
        List<Move> moves = new ArrayList<>();
        for (String m : staying) {
            int missing = target.get(m) - slotsByMaster.get(m).size();
            for (int i = 0; i < missing && !surplus.isEmpty(); i++) {
                Move from = surplus.poll();
                moves.add(new Move(from.slot(), from.source(), m));
            }
        }
        return moves;
    }
}
