-- The durable job queue: work a write made stale (mirror and importance scores today;
-- reminders, digests and agendas later), recorded in the write's own transaction and done
-- after the commit by a worker of whichever instance leases it first.
--
-- One row per pending job and key: enqueueing a job already pending only bumps its
-- generation, so that a worker that started before the bump runs it once more. A worker
-- leases rows (`leased_until`); a lease that runs out (a killed instance) makes the job free
-- again: at-least-once, and every job is written so that running it twice does no harm.
CREATE TABLE jobs (
    id {{id}},
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    generation BIGINT NOT NULL DEFAULT 1,
    run_after TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    leased_until TEXT,
    leased_by TEXT,
    last_error TEXT,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX jobs_kind_key ON jobs (kind, key);
CREATE INDEX jobs_run_after ON jobs (run_after);
