//! Loading a generated dataset (the "enterprise" benchmark data, the demo) into an empty
//! database, in one transaction: the organizations and their people first, then the logins,
//! the accounts with their importance, the relationships between the two sides, and the
//! insights and contacts logged.

use std::collections::HashMap;

use counterpart_core::generate::Dataset;

use super::knowledge::load_knowledge;
use super::loader::{LoadReport, Loader};
use super::org_chart::{Ladder, load_org_chart, load_users};
use super::portfolio::{load_accounts, load_relationships};
use crate::db::Store;
use crate::error::{Refusal, Result, StoreError};
use crate::time::to_db;

/// The steps of a load: the organizations and their people, the logins (password hash and
/// time stamp as given), the accounts, the relationships, and the knowledge.
async fn load_steps(
    load: &mut Loader<'_>,
    data: &Dataset,
    ladder: &Ladder,
    (hash, now): (&str, &str),
) -> Result<()> {
    load_org_chart(load, data, ladder, now).await?;
    let users = load_users(load, data, hash, now).await?;
    load_accounts(load, data, &users, now).await?;
    load_relationships(load, data, now).await?;
    load_knowledge(load, data).await
}

impl Store {
    /// Loads a generated dataset into an empty database in one transaction, with its logins
    /// (password "demo": the demo logins and the generated users alike) linked to people of
    /// our house, and what those users learned and logged. Writes one audit entry for the
    /// whole load rather than one per row.
    pub async fn load_generated(&self, data: &Dataset, label: &str) -> Result<LoadReport> {
        if !self.is_empty().await? {
            return Err(StoreError::Refused(Refusal::DatabaseNotEmpty));
        }
        self.seed_defaults().await?;
        let ladder = self.seeded_ladder().await?;
        let hash = self.hash_password("demo").await?;
        let now = to_db(crate::now());
        let mut tx = self.write().await?;
        let mut load = Loader::new(&mut tx, self.backend());
        load_steps(&mut load, data, &ladder, (&hash, &now)).await?;
        let report = load.finish(label).await?;
        tx.commit().await?;
        // PostgreSQL plans from statistics it gathers only when analysing: straight after a
        // bulk load it has none (and where autovacuum is off, never), and plans every read
        // as if the tables were empty — the enterprise landing page took 402 ms instead of
        // 93 ms. SQLite plans from its indexes alone.
        if self.backend() == crate::Backend::Postgres {
            sqlx::query("ANALYZE").execute(self.pool()).await?;
        }
        Ok(report)
    }

    /// The ladder as seeded, the way the generated rows refer to it.
    async fn seeded_ladder(&self) -> Result<Ladder> {
        let levels: HashMap<i64, i64> = self
            .levels()
            .await?
            .into_iter()
            .map(|l| (l.rank, l.id.get()))
            .collect();
        let functions: HashMap<String, i64> = self
            .functions()
            .await?
            .into_iter()
            .map(|f| (f.key, f.id.get()))
            .collect();
        Ok(Ladder { levels, functions })
    }
}
