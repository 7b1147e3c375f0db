package io.biu.redismonitor.scaling;

import io.micronaut.data.model.Pageable;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** Recorded decisions in memory. */
final class MemoryDecisions extends MemoryRepository<DecisionRow> implements DecisionRepository {

    @Override
    Long idOf(DecisionRow d) {
        return d.id();
    }

    @Override
    DecisionRow withId(DecisionRow d, long id) {
        return new DecisionRow(id, d.clusterId(), d.tenant(), d.cluster(), d.at(), d.kind(), d.masters(), d.reason(),
                d.trigger(), d.why(), d.inputs(), d.actionId());
    }

    @Override
    public Optional<DecisionRow> findFirstByClusterIdOrderByIdDesc(long clusterId) {
        return newest(d -> d.clusterId() == clusterId, Pageable.from(0, 1)).stream().findFirst();
    }

    @Override
    public List<DecisionRow> findByClusterIdAndTenantOrderByIdDesc(long clusterId, String tenant, Pageable page) {
        return newest(d -> d.clusterId() == clusterId && d.tenant().equals(tenant), page);
    }

    @Override
    public List<DecisionRow> findByTenantOrderByIdDesc(String tenant, Pageable page) {
        return newest(d -> d.tenant().equals(tenant), page);
    }

    @Override
    public List<DecisionRow> findByTenantAndClusterOrderByIdDesc(String tenant, String cluster, Pageable page) {
        return newest(d -> d.tenant().equals(tenant) && d.cluster().equals(cluster), page);
    }

    private List<DecisionRow> newest(Predicate<DecisionRow> which, Pageable page) {
        return rows().stream().filter(which).sorted(Comparator.comparing(DecisionRow::id).reversed())
                .limit(page.getSize()).toList();
    }
}
