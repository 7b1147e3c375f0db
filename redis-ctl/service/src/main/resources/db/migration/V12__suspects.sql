-- What a suspect instance was before (active or joining): what it is again once it answers.
ALTER TABLE instance ADD COLUMN suspected_from VARCHAR(16);
