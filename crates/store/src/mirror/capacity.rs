//! How many counterparts one of ours can hold.

use counterpart_core::audit::{AuditAction, EntityKind};
use counterpart_core::ids::PersonId;

use crate::Actor;
use crate::audit::{Change, record};
use crate::db::Store;
use crate::error::{Result, StoreError};

impl Store {
    /// Sets how many counterparts one of ours can hold (`None`: the default of their level).
    pub async fn set_capacity(
        &self,
        actor: &Actor,
        person: PersonId,
        capacity: Option<i64>,
    ) -> Result<()> {
        let mut tx = self.write().await?;
        let before = crate::people::person_on(&mut tx, person).await?;
        let old: (Option<i64>,) = sqlx::query_as("SELECT capacity FROM persons WHERE id = $1")
            .bind(person.get())
            .fetch_one(&mut *tx)
            .await?;
        if old.0 == capacity {
            return Ok(());
        }
        sqlx::query("UPDATE persons SET capacity = $1 WHERE id = $2")
            .bind(capacity)
            .bind(person.get())
            .execute(&mut *tx)
            .await?;
        let change = Change {
            entity: EntityKind::Person,
            id: person.get(),
            action: AuditAction::Update,
            label: &before.display_name(),
        };
        let json = |c: Option<i64>| serde_json::json!({ "capacity": c });
        record(
            &mut tx,
            actor,
            change,
            Some(&json(old.0)),
            Some(&json(capacity)),
        )
        .await?;
        tx.commit().await
    }

    /// How many counterparts one of ours can hold, if set.
    pub async fn capacity(&self, person: PersonId) -> Result<Option<i64>> {
        let (c,): (Option<i64>,) = sqlx::query_as("SELECT capacity FROM persons WHERE id = $1")
            .bind(person.get())
            .fetch_optional(self.pool())
            .await?
            .ok_or(StoreError::not_found(EntityKind::Person, person.get()))?;
        Ok(c)
    }
}
