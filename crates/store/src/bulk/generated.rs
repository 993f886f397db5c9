//! Loading a generated dataset (the "enterprise" benchmark data, the demo) into an empty
//! database, in one transaction: the organizations and their people first, then the logins,
//! the accounts with their importance, and the relationships between the two sides.

use std::collections::HashMap;

use counterpart_core::generate::Dataset;

use super::loader::{LoadReport, Loader};
use super::org_chart::{Ladder, load_demo_users, load_org_chart};
use super::portfolio::{load_accounts, load_relationships};
use crate::db::Store;
use crate::error::{Refusal, Result, StoreError};
use crate::time::to_db;

impl Store {
    /// Loads a generated dataset into an empty database in one transaction, with the demo
    /// logins (password "demo") linked to the top people of our house. Writes one audit entry
    /// for the whole load rather than one per row.
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
        load_org_chart(&mut load, data, &ladder, &now).await?;
        let users = load_demo_users(&mut load, data, &hash, &now).await?;
        load_accounts(&mut load, data, &users, &now).await?;
        load_relationships(&mut load, data, &now).await?;
        let report = load.finish(label).await?;
        tx.commit().await?;
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
