/** Engine containers the database has no row for: stopped, kept with their data, deleted late or by an operator. */
package io.biu.scheduler.quarantine;
