/**
 * What the client shows people, as pure code over plain values: tables, sizes and durations, and the progress of
 * long tasks (the status line, the migration bar, terminal versus log output).
 */
package io.biu.cli.render;
