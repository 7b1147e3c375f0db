/**
 * How the client reaches the services: their addresses ({@link io.biu.cli.api.Services}), the token it sends
 * ({@link io.biu.cli.api.Credentials}), the HTTP calls ({@link io.biu.cli.api.ServiceApi}) and the one error type
 * with its exit codes ({@link io.biu.cli.api.CliException}, {@link io.biu.cli.api.Failure}).
 */
package io.biu.cli.api;
