package io.biu.redismonitor.scaling;

import io.micronaut.data.repository.CrudRepository;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A repository of records with generated ids, in memory, for tests of the code that uses it. */
abstract class MemoryRepository<E> implements CrudRepository<E, Long> {

    private final Map<Long, E> rows = new TreeMap<>();
    private long next = 1;

    abstract Long idOf(E row);

    abstract E withId(E row, long id);

    /** Every row, in id order. */
    List<E> rows() {
        return new ArrayList<>(rows.values());
    }

    @Override
    @SuppressWarnings("unchecked")
    public <S extends E> S save(S row) {
        E saved = idOf(row) == null ? withId(row, next++) : row;
        rows.put(idOf(saved), saved);
        return (S) saved;
    }

    @Override
    public <S extends E> S update(S row) {
        if (!rows.containsKey(idOf(row))) {
            throw new IllegalStateException("no row " + idOf(row) + " to update");
        }
        rows.put(idOf(row), row);
        return row;
    }

    @Override
    public <S extends E> List<S> updateAll(Iterable<S> all) {
        List<S> updated = new ArrayList<>();
        all.forEach(row -> updated.add(update(row)));
        return updated;
    }

    @Override
    public <S extends E> List<S> saveAll(Iterable<S> all) {
        List<S> saved = new ArrayList<>();
        all.forEach(row -> saved.add(save(row)));
        return saved;
    }

    @Override
    public Optional<E> findById(Long id) {
        return Optional.ofNullable(rows.get(id));
    }

    @Override
    public boolean existsById(Long id) {
        return rows.containsKey(id);
    }

    @Override
    public List<E> findAll() {
        return rows();
    }

    @Override
    public long count() {
        return rows.size();
    }

    @Override
    public void deleteById(Long id) {
        rows.remove(id);
    }

    @Override
    public void delete(E row) {
        rows.remove(idOf(row));
    }

    @Override
    public void deleteAll(Iterable<? extends E> all) {
        all.forEach(this::delete);
    }

    @Override
    public void deleteAll() {
        rows.clear();
    }
}
