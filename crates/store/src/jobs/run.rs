//! Doing a job: each recomputes from the data as it is now, so a job run twice, or after a
//! later write, gives the same result.

use super::{Accounts, Job, enqueue_on};
use crate::db::Store;
use crate::error::{Result, StoreError};
use crate::importance::{recompute_all, recompute_score};

impl Store {
    /// Does one job. A job about an account that no longer exists has nothing to do.
    pub(super) async fn execute(&self, job: Job) -> Result<()> {
        match self.execute_inner(job).await {
            Err(StoreError::NotFound { .. }) => Ok(()),
            other => other,
        }
    }

    async fn execute_inner(&self, job: Job) -> Result<()> {
        match job {
            Job::MirrorScores(Accounts::One(id)) => self.refresh_mirror_scores(Some(&[id])).await,
            Job::MirrorScores(Accounts::All) => self.refresh_mirror_scores(None).await,
            Job::PlanMeetings => {
                self.plan_meetings(crate::now().date_naive()).await?;
                Ok(())
            }
            Job::ImportanceScores(accounts) => {
                // A handful of reads and one write per account: short enough for one
                // transaction.
                let mut tx = self.write().await?;
                match accounts {
                    Accounts::One(id) => {
                        recompute_score(&mut tx, id).await?;
                    }
                    Accounts::All => recompute_all(&mut tx).await?,
                }
                // The importance is the mirror's weight and the tier its contact intervals.
                enqueue_on(&mut tx, Job::MirrorScores(accounts)).await?;
                tx.commit().await
            }
        }
    }
}
