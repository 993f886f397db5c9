-- The mirror of an account in brief (score, shape, most severe findings: core's MirrorBrief as
-- JSON), stored by the mirror job with the score so that the account page and the briefing
-- read it instead of analysing the account on every request. NULL until the job has analysed
-- the account since; the store queues that analysis when it starts (Store::migrate).
ALTER TABLE accounts ADD COLUMN mirror_brief TEXT;
