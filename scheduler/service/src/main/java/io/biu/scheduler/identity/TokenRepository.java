package io.biu.scheduler.identity;

import io.biu.scheduler.client.TokenKind;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface TokenRepository extends CrudRepository<Token, Long> {

    Optional<Token> findBySecretHash(String secretHash);

    List<Token> findAllOrderById();

}
