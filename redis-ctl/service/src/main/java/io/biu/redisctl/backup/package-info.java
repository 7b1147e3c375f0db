/**
 * Backups and restores of clusters. A backup is a task ({@code TaskKind.BACKUP}) that takes every master's RDB as a
 * replica would (the master keeps serving; nothing of the container's filesystem is needed), keeps the files in a
 * {@link io.biu.redisctl.backup.BackupStore} with the slots each covered and its SHA-256, then reads every file back
 * in full. A restore ({@code TaskKind.RESTORE}) checks every file of a backup before it writes anything, and loads
 * each key with {@code RESTORE ... REPLACE ABSTTL} into the master that owns its slot, so the target's shape need not
 * be the source's.
 */
package io.biu.redisctl.backup;
