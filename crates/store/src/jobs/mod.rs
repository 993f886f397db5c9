//! The durable job queue: a write records the work it makes stale in its own transaction
//! ([`enqueue_on`]); a worker leases it after the commit and does it ([`Store::run_jobs`]).
//! Leases keep two instances from running one job at once; a lease that runs out frees the
//! job again (at-least-once), and every job recomputes from the data as it is, so running it
//! twice does no harm. See `docs/adr/0006-job-queue.md`.

mod run;

use std::time::Duration;

use counterpart_core::ids::{AccountId, PersonId};
use sqlx::{AnyConnection, Row};

use crate::db::Store;
use crate::dialect;
use crate::error::Result;
use crate::time::{from_db, to_db};

/// How long a worker may take before its job counts as abandoned.
const LEASE: chrono::Duration = chrono::Duration::minutes(5);
/// Jobs a worker leases at once.
const BATCH: i64 = 16;

/// A piece of derived work.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Job {
    /// Recompute and record the mirror scores of an account, or of every account.
    MirrorScores(Accounts),
    /// Recompute the importance score and tier of an account, or of every account.
    ImportanceScores(Accounts),
    /// Record the jour-fixe meetings of the next days and prepare their agendas.
    PlanMeetings,
}

/// Which accounts a job is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Accounts {
    /// One account.
    One(AccountId),
    /// Every account.
    All,
}

/// The kinds this program does; rows of other kinds (a newer program's) are left alone.
const KINDS: [&str; 3] = ["mirror_scores", "importance_scores", "plan_meetings"];

impl Job {
    fn kind(self) -> &'static str {
        match self {
            Self::MirrorScores(_) => "mirror_scores",
            Self::ImportanceScores(_) => "importance_scores",
            Self::PlanMeetings => "plan_meetings",
        }
    }

    fn key(self) -> String {
        match self {
            Self::MirrorScores(a) | Self::ImportanceScores(a) => match a {
                Accounts::One(id) => format!("account:{id}"),
                Accounts::All => "all".to_owned(),
            },
            Self::PlanMeetings => "all".to_owned(),
        }
    }

    fn parse(kind: &str, key: &str) -> Option<Self> {
        let accounts = match key {
            "all" => Accounts::All,
            _ => Accounts::One(AccountId::new(key.strip_prefix("account:")?.parse().ok()?)),
        };
        match kind {
            "plan_meetings" => Some(Self::PlanMeetings),
            "mirror_scores" => Some(Self::MirrorScores(accounts)),
            "importance_scores" => Some(Self::ImportanceScores(accounts)),
            _ => None,
        }
    }
}

/// The state of the data at a moment, read cheaply: the newest audit row and the queue.
/// Every write leaves an audit row, and every value derived from the data (scores, tiers,
/// findings) is written by a job queued in that write's transaction and deleted once done;
/// so a result worked out from the data is still current while the stamp is unchanged. What
/// keeps whole-portfolio results between requests compares it (`counterpart_app`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DataStamp {
    newest_audit: i64,
    jobs: i64,
    generations: i64,
    newest_job: i64,
}

impl Store {
    /// The data's [`DataStamp`] now: four index lookups in one statement.
    pub async fn data_stamp(&self) -> Result<DataStamp> {
        let row = sqlx::query(
            "SELECT (SELECT COALESCE(MAX(id), 0) FROM audit_log) AS newest_audit, \
             (SELECT COUNT(*) FROM jobs) AS jobs, \
             (SELECT CAST(COALESCE(SUM(generation), 0) AS BIGINT) FROM jobs) AS generations, \
             (SELECT COALESCE(MAX(id), 0) FROM jobs) AS newest_job",
        )
        .fetch_one(self.pool())
        .await?;
        Ok(DataStamp {
            newest_audit: row.try_get("newest_audit")?,
            jobs: row.try_get("jobs")?,
            generations: row.try_get("generations")?,
            newest_job: row.try_get("newest_job")?,
        })
    }
}

/// Records a job in the caller's transaction. A job already pending for the same key gets a
/// new generation, so that a worker running it now runs it again afterwards.
pub(crate) async fn enqueue_on(conn: &mut AnyConnection, job: Job) -> Result<()> {
    enqueue_kind_on(conn, job.kind(), &job.key()).await
}

/// Records an outside job in the caller's transaction.
pub(crate) async fn enqueue_outside_on(
    conn: &mut AnyConnection,
    job: OutsideJob,
    key: &str,
) -> Result<()> {
    enqueue_kind_on(conn, job.kind(), key).await
}

/// [`enqueue_on`] by kind and key.
async fn enqueue_kind_on(conn: &mut AnyConnection, kind: &str, key: &str) -> Result<()> {
    let now = to_db(crate::now());
    sqlx::query(
        "INSERT INTO jobs (kind, key, run_after, created_at) VALUES ($1, $2, $3, $3) \
         ON CONFLICT (kind, key) DO UPDATE SET generation = jobs.generation + 1, \
         run_after = CASE WHEN excluded.run_after < jobs.run_after \
         THEN excluded.run_after ELSE jobs.run_after END",
    )
    .bind(kind)
    .bind(key)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Records the mirror jobs of every account whose mirror a change of these people moves: where
/// they are key contacts, or hold a counterpart of one.
pub(crate) async fn enqueue_mirror_of_people_on(
    conn: &mut AnyConnection,
    people: &[PersonId],
) -> Result<()> {
    let mut accounts = Vec::new();
    for person in people {
        let rows: Vec<(i64,)> = sqlx::query_as(
            "SELECT account_id FROM key_contacts WHERE person_id = $1 \
             UNION SELECT k.account_id FROM key_contacts k \
             JOIN assignments s ON s.partner_id = k.person_id \
             WHERE s.our_id = $1 AND s.valid_to IS NULL",
        )
        .bind(person.get())
        .fetch_all(&mut *conn)
        .await?;
        accounts.extend(rows.into_iter().map(|(id,)| AccountId::new(id)));
    }
    accounts.sort();
    accounts.dedup();
    for account in accounts {
        enqueue_on(conn, Job::MirrorScores(Accounts::One(account))).await?;
    }
    Ok(())
}

/// Records the mirror jobs of the accounts where these people are key contacts: for changes
/// of their pairs that move nothing on our side (a rating, a contact, an interval).
pub(crate) async fn enqueue_mirror_of_contacts_on(
    conn: &mut AnyConnection,
    people: &[PersonId],
) -> Result<()> {
    if people.is_empty() {
        return Ok(());
    }
    let list = crate::dialect::placeholders(1, people.len());
    let accounts: Vec<(i64,)> = people
        .iter()
        .fold(
            sqlx::query_as(&format!(
                "SELECT DISTINCT account_id FROM key_contacts WHERE person_id IN ({list}) \
                 ORDER BY account_id"
            )),
            |q, p| q.bind(p.get()),
        )
        .fetch_all(&mut *conn)
        .await?;
    for (account,) in accounts {
        enqueue_on(
            conn,
            Job::MirrorScores(Accounts::One(AccountId::new(account))),
        )
        .await?;
    }
    Ok(())
}

/// Work the queue holds for a caller outside the store, which the store's own worker never
/// takes: the same rows, leases and retries, so that one instance of several does it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutsideJob {
    /// A week's digest mails (the web layer renders and sends them); keyed by ISO week.
    WeeklyDigests,
    /// The invitation mails of a jour-fixe series (`series:{id}`) or of one of its meetings
    /// (`meeting:{id}`), as they stand when sent: recorded by every change invitees must
    /// learn of; several changes before the mail go out as one.
    Invitations,
}

impl OutsideJob {
    fn kind(self) -> &'static str {
        match self {
            Self::WeeklyDigests => "weekly_digests",
            Self::Invitations => "jf_invitations",
        }
    }
}

/// An outside job a worker holds: done with [`Store::finish_outside`], or given back.
#[derive(Clone, Debug)]
pub struct OutsideLease {
    leased: Leased,
    /// The key it was recorded under.
    pub key: String,
}

/// A job a worker holds.
#[derive(Clone, Debug)]
struct Leased {
    id: i64,
    generation: i64,
    attempts: i64,
    job: Option<Job>,
}

/// What a worker's round did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct JobsRun {
    /// Jobs done.
    pub done: usize,
    /// Jobs that failed and will be tried again later.
    pub failed: usize,
}

impl Store {
    /// Records an outside job under `key`; one pending already gets a new generation, and one
    /// done is pending again.
    pub async fn enqueue_outside(&self, job: OutsideJob, key: &str) -> Result<()> {
        let mut tx = self.write().await?;
        enqueue_kind_on(&mut tx, job.kind(), key).await?;
        tx.commit().await
    }

    /// Leases the oldest due and free job of this outside kind for `worker`, if there is one
    /// (none while another worker holds it).
    pub async fn lease_outside(
        &self,
        worker: &str,
        job: OutsideJob,
    ) -> Result<Option<OutsideLease>> {
        let now = crate::now();
        let sql = format!(
            "UPDATE jobs SET leased_until = $1, leased_by = $2, attempts = attempts + 1 \
             WHERE id IN (SELECT id FROM jobs WHERE kind = $3 AND run_after <= $4 \
             AND (leased_until IS NULL OR leased_until < $4) ORDER BY run_after, id LIMIT 1{}) \
             RETURNING id, key, generation, attempts",
            dialect::skip_locked(self.backend())
        );
        let mut tx = self.write().await?;
        let row = sqlx::query(&sql)
            .bind(to_db(now + LEASE))
            .bind(worker)
            .bind(job.kind())
            .bind(to_db(now))
            .fetch_optional(&mut *tx)
            .await?;
        tx.commit().await?;
        row.map(|row| {
            Ok(OutsideLease {
                leased: Leased {
                    id: row.try_get("id")?,
                    generation: row.try_get("generation")?,
                    attempts: row.try_get("attempts")?,
                    job: None,
                },
                key: row.try_get("key")?,
            })
        })
        .transpose()
    }

    /// Marks a leased outside job done (pending again if it was enqueued while it ran).
    pub async fn finish_outside(&self, lease: &OutsideLease) -> Result<()> {
        self.finish(&lease.leased).await
    }

    /// Gives a failed outside job back, to be tried again after a growing wait; `error` is
    /// kept with it (a kind of error, never a person's data).
    pub async fn give_back_outside(&self, lease: &OutsideLease, error: &str) -> Result<()> {
        self.give_back(&lease.leased, error).await
    }

    /// Whether any job is due and free (a read, so that an idle worker takes no write lock).
    async fn any_due(&self) -> Result<bool> {
        let now = to_db(crate::now());
        let sql = format!(
            "SELECT id FROM jobs WHERE run_after <= $1 \
             AND (leased_until IS NULL OR leased_until < $1) AND kind IN ({}) LIMIT 1",
            dialect::placeholders(2, KINDS.len())
        );
        let mut query = sqlx::query_as::<_, (i64,)>(&sql).bind(now);
        for kind in KINDS {
            query = query.bind(kind);
        }
        let due = query.fetch_optional(self.pool()).await?;
        Ok(due.is_some())
    }

    /// Leases up to [`BATCH`] jobs that are due and free (of `only`, when given), for `worker`.
    async fn lease(&self, worker: &str, only: Option<&[Job]>) -> Result<Vec<Leased>> {
        let now = crate::now();
        let wanted: Vec<String> = only
            .unwrap_or_default()
            .iter()
            .map(|j| format!("{}|{}", j.kind(), j.key()))
            .collect();
        let known = dialect::placeholders(5, KINDS.len());
        let filter = match only {
            Some(_) if wanted.is_empty() => return Ok(Vec::new()),
            Some(_) => format!(
                " AND kind || '|' || key IN ({})",
                dialect::placeholders(5 + KINDS.len(), wanted.len())
            ),
            None => String::new(),
        };
        let sql = format!(
            "UPDATE jobs SET leased_until = $1, leased_by = $2, attempts = attempts + 1 \
             WHERE id IN (SELECT id FROM jobs WHERE run_after <= $3 \
             AND (leased_until IS NULL OR leased_until < $3) AND kind IN ({known}){filter} \
             ORDER BY run_after, id LIMIT $4{}) \
             RETURNING id, kind, key, generation, attempts",
            dialect::skip_locked(self.backend())
        );
        let mut query = sqlx::query(&sql)
            .bind(to_db(now + LEASE))
            .bind(worker)
            .bind(to_db(now))
            .bind(BATCH);
        for kind in KINDS {
            query = query.bind(kind);
        }
        for key in &wanted {
            query = query.bind(key);
        }
        let mut tx = self.write().await?;
        let rows = query.fetch_all(&mut *tx).await?;
        tx.commit().await?;
        rows.iter()
            .map(|row| {
                let kind: String = row.try_get("kind")?;
                let key: String = row.try_get("key")?;
                Ok(Leased {
                    id: row.try_get("id")?,
                    generation: row.try_get("generation")?,
                    attempts: row.try_get("attempts")?,
                    job: Job::parse(&kind, &key),
                })
            })
            .collect()
    }

    /// Marks a leased job done: gone, unless it was enqueued again while it ran (then it is
    /// free to run once more).
    async fn finish(&self, leased: &Leased) -> Result<()> {
        let mut tx = self.write().await?;
        let deleted = sqlx::query("DELETE FROM jobs WHERE id = $1 AND generation = $2")
            .bind(leased.id)
            .bind(leased.generation)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if deleted == 0 {
            sqlx::query("UPDATE jobs SET leased_until = NULL, leased_by = NULL WHERE id = $1")
                .bind(leased.id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await
    }

    /// Gives a failed job back, to be tried again after a wait that grows with its attempts.
    async fn give_back(&self, leased: &Leased, error: &str) -> Result<()> {
        let wait = chrono::Duration::seconds(10 * (1 << leased.attempts.clamp(0, 10)));
        let mut tx = self.write().await?;
        sqlx::query(
            "UPDATE jobs SET leased_until = NULL, leased_by = NULL, last_error = $1, \
             run_after = $2 WHERE id = $3",
        )
        .bind(error.chars().take(500).collect::<String>())
        .bind(to_db(crate::now() + wait))
        .bind(leased.id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await
    }

    /// Runs every job that is due, batch after batch, until none is left; `worker` names this
    /// process in the leases. The command line calls it before it exits; the server's worker
    /// after every commit that enqueued and every few seconds.
    pub async fn run_jobs(&self, worker: &str) -> Result<JobsRun> {
        self.run_jobs_of(worker, None).await
    }

    /// Runs these jobs now if they are pending and free (a request that shows the fresh value
    /// waits for its own job); a job another worker holds is left to it.
    pub async fn run_jobs_now(&self, worker: &str, jobs: &[Job]) -> Result<JobsRun> {
        self.run_jobs_of(worker, Some(jobs)).await
    }

    async fn run_jobs_of(&self, worker: &str, only: Option<&[Job]>) -> Result<JobsRun> {
        let mut run = JobsRun::default();
        if only.is_none() && !self.any_due().await? {
            return Ok(run);
        }
        loop {
            let batch = self.lease(worker, only).await?;
            if batch.is_empty() {
                return Ok(run);
            }
            for leased in batch {
                let outcome = match leased.job {
                    Some(job) => self.execute(job).await,
                    // Only known kinds are leased; a key this program cannot read is a fault.
                    None => Err(crate::StoreError::Migration(format!(
                        "job {} has a key this program cannot read",
                        leased.id
                    ))),
                };
                match outcome {
                    Ok(()) => {
                        self.finish(&leased).await?;
                        run.done += 1;
                    }
                    Err(e) => {
                        // The message is about data and code, never a person's name.
                        tracing::warn!(job.id = leased.id, error.detail = %e, "job failed");
                        self.give_back(&leased, &e.to_string()).await?;
                        run.failed += 1;
                    }
                }
            }
        }
    }

    /// Queues a job (once: a job already waiting is asked for again, not twice).
    pub async fn enqueue(&self, job: Job) -> Result<()> {
        let mut tx = self.write().await?;
        enqueue_on(&mut tx, job).await?;
        tx.commit().await
    }

    /// Jobs waiting, and the oldest one's age: for the health check and the tests.
    pub async fn pending_jobs(&self) -> Result<(i64, Option<chrono::Duration>)> {
        let row = sqlx::query("SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM jobs")
            .fetch_one(self.pool())
            .await?;
        let oldest: Option<String> = row.try_get("oldest")?;
        Ok((
            row.try_get("n")?,
            oldest
                .as_deref()
                .map(from_db)
                .transpose()?
                .map(|t| crate::now() - t),
        ))
    }

    /// Works the queue until `shutdown`: after every commit in this process (which may have
    /// enqueued) and at least every `poll` (for jobs other instances enqueued, and retries).
    pub async fn work_jobs(
        &self,
        worker: String,
        poll: Duration,
        shutdown: impl std::future::Future<Output = ()>,
    ) {
        tokio::pin!(shutdown);
        let mut analysed_on = None;
        loop {
            // Days pass without a change: pairs fall due, findings go stale. Once a day every
            // account is analysed again (the job is one row however many instances ask).
            let today = crate::now().date_naive();
            if analysed_on != Some(today) {
                let daily = async {
                    self.enqueue(Job::MirrorScores(Accounts::All)).await?;
                    self.enqueue(Job::PlanMeetings).await
                };
                match daily.await {
                    Ok(()) => analysed_on = Some(today),
                    Err(e) => tracing::warn!(error.detail = %e, "daily analysis not queued"),
                }
            }
            if let Err(e) = self.run_jobs(&worker).await {
                tracing::warn!(error.detail = %e, "job worker round failed");
            }
            tokio::select! {
                () = &mut shutdown => return,
                () = self.committed() => {}
                () = tokio::time::sleep(poll) => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jobs_survive_their_keys() {
        for job in [
            Job::MirrorScores(Accounts::One(AccountId::new(17))),
            Job::MirrorScores(Accounts::All),
            Job::ImportanceScores(Accounts::One(AccountId::new(3))),
            Job::ImportanceScores(Accounts::All),
        ] {
            assert_eq!(Job::parse(job.kind(), &job.key()), Some(job));
        }
        assert_eq!(Job::parse("digest", "all"), None);
        for job in [importance(1), Job::MirrorScores(Accounts::All)] {
            assert!(KINDS.contains(&job.kind()));
        }
        assert_eq!(Job::parse("mirror_scores", "account:x"), None);
    }

    async fn enqueue(store: &Store, jobs: impl IntoIterator<Item = Job>) {
        let mut tx = store.write().await.unwrap();
        for job in jobs {
            enqueue_on(&mut tx, job).await.unwrap();
        }
        tx.commit().await.unwrap();
    }

    fn importance(id: i64) -> Job {
        Job::ImportanceScores(Accounts::One(AccountId::new(id)))
    }

    async fn leases_hold_and_generations_rerun(store: &Store) {
        // Twenty jobs, two workers at once: every job done once.
        enqueue(store, (1..=20).map(importance)).await;
        assert_eq!(store.pending_jobs().await.unwrap().0, 20);
        let (a, b) = tokio::join!(store.run_jobs("a"), store.run_jobs("b"));
        assert_eq!(a.unwrap().done + b.unwrap().done, 20);
        assert_eq!(store.pending_jobs().await.unwrap().0, 0);
        // Enqueued again while a worker holds it: done once more afterwards.
        enqueue(store, [importance(1)]).await;
        let leased = store.lease("a", None).await.unwrap();
        assert_eq!(leased.len(), 1);
        assert!(
            store.lease("b", None).await.unwrap().is_empty(),
            "held by a"
        );
        enqueue(store, [importance(1)]).await;
        store.finish(&leased[0]).await.unwrap();
        assert_eq!(
            store.pending_jobs().await.unwrap().0,
            1,
            "the newer generation waits"
        );
        assert_eq!(store.run_jobs("b").await.unwrap().done, 1);
        // A worker that died holding a job: its lease runs out, another takes the job.
        enqueue(store, [importance(2)]).await;
        assert_eq!(store.lease("dead", None).await.unwrap().len(), 1);
        assert_eq!(store.run_jobs("b").await.unwrap().done, 0, "still leased");
        sqlx::query("UPDATE jobs SET leased_until = $1")
            .bind(to_db(crate::now() - chrono::Duration::seconds(1)))
            .execute(store.pool())
            .await
            .unwrap();
        assert_eq!(store.run_jobs("b").await.unwrap().done, 1);
        // The same key twice in one transaction is one job.
        enqueue(store, [importance(3), importance(3)]).await;
        assert_eq!(store.pending_jobs().await.unwrap().0, 1);
        assert_eq!(
            store
                .run_jobs_now("c", &[importance(3)])
                .await
                .unwrap()
                .done,
            1
        );
    }

    #[tokio::test]
    async fn leases_hold_and_generations_rerun_on_both_backends() {
        for db in crate::testing::TestDb::both().await {
            leases_hold_and_generations_rerun(&db.store).await;
            db.cleanup().await;
        }
    }
}
