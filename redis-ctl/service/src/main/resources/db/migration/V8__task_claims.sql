-- Every claim of a task has an id of its own, which each update under that claim compares: a process that stalled
-- past its lease, and lost the claim to another (or to its own next claim), writes nothing more.
ALTER TABLE task ADD COLUMN claim_id VARCHAR(36);
-- Since when the current step has failed without a break (null while it has not): a step that keeps failing for
-- reasons retrying may fix is retried until biu.redis-ctl.task-give-up has passed since then.
ALTER TABLE task ADD COLUMN failing_since TIMESTAMP WITH TIME ZONE;
