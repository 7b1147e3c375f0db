package io.biu.redismonitor.scaling;

import io.biu.redismonitor.client.ActionState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Actions in memory, with the steps each one stored, in the order it stored them. */
final class MemoryActions extends MemoryRepository<Action> implements ActionRepository {

    private final Map<Long, List<String>> steps = new HashMap<>();

    @Override
    Long idOf(Action a) {
        return a.id();
    }

    @Override
    Action withId(Action a, long id) {
        return new Action(id, a.clusterId(), a.tenant(), a.cluster(), a.kind(), a.masters(), a.subject(), a.state(),
                a.step(), a.known(), a.containers(), a.taskId(), a.detail(), a.createdAt(), a.updatedAt(),
                a.finishedAt());
    }

    @Override
    public <S extends Action> S save(S a) {
        S saved = super.save(a);
        stored(saved);
        return saved;
    }

    @Override
    public <S extends Action> S update(S a) {
        S updated = super.update(a);
        stored(updated);
        return updated;
    }

    private void stored(Action a) {
        List<String> list = steps.computeIfAbsent(a.id(), id -> new ArrayList<>());
        if (list.isEmpty() || !list.get(list.size() - 1).equals(a.step())) {
            list.add(a.step());
        }
    }

    /** The steps action {@code id} stored, each once, in order. */
    List<String> steps(long id) {
        return steps.getOrDefault(id, List.of());
    }

    @Override
    public List<Action> findByState(ActionState state) {
        return rows().stream().filter(a -> a.state() == state).toList();
    }

    @Override
    public Optional<Action> findFirstByClusterIdAndStateOrderByIdDesc(long clusterId, ActionState state) {
        return rows().stream().filter(a -> a.clusterId() == clusterId && a.state() == state)
                .max(Comparator.comparing(Action::id));
    }

    @Override
    public List<Action> findByClusterIdOrderByIdDesc(long clusterId) {
        return rows().stream().filter(a -> a.clusterId() == clusterId)
                .sorted(Comparator.comparing(Action::id).reversed()).toList();
    }

    @Override
    public List<Action> findRunningForUpdate(long clusterId) {
        return rows().stream().filter(a -> a.clusterId() == clusterId && a.running()).toList();
    }
}
