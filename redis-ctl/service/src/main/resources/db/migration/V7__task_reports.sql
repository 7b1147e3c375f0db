-- The last progress report of each finished step of a task, one line per step in the order of timings.
ALTER TABLE task ADD COLUMN reports VARCHAR(16000) DEFAULT '' NOT NULL;
