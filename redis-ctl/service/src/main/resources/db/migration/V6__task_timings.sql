-- How long each finished step of a task took, as "step=ms" entries separated by commas.
ALTER TABLE task ADD COLUMN timings VARCHAR(4000) DEFAULT '' NOT NULL;
