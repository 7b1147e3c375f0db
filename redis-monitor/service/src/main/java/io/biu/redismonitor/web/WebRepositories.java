package io.biu.redismonitor.web;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.Pageable;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;
import java.util.Optional;

/** The web tier's tables. */
final class WebRepositories {

    private WebRepositories() {
    }

    @JdbcRepository(dialect = Dialect.POSTGRES)
    interface Policies extends CrudRepository<WebPolicyRow, String> {
    }

    @JdbcRepository(dialect = Dialect.POSTGRES)
    interface Decisions extends CrudRepository<WebDecisionRow, Long> {

        Optional<WebDecisionRow> findFirstByTenantAndAppOrderByIdDesc(String tenant, String app);

        Optional<WebDecisionRow> findFirstByTenantAndAppAndKindOrderByIdDesc(String tenant, String app, String kind);

        List<WebDecisionRow> findByTenantAndAppOrderByIdDesc(String tenant, String app, Pageable page);
    }
}
