//! Importance: criteria, the team's weight proposals and ratings, scores, tiers and their
//! history.

use counterpart_core::audit::{AuditAction, EntityKind};
use counterpart_core::ids::{AccountId, CriterionId, UserId};
use counterpart_core::importance::{
    Criterion, CriterionInput, CriterionRating, Score, Tiers, WeightProposal, ratings_tag, score,
};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::accounts::account_on;
use crate::audit::{Change, action_of, conflict, record};
use crate::db::Store;
use crate::decode::decode;
use crate::error::{Result, StoreError};
use crate::jobs::{Accounts, Job, enqueue_on};
use crate::time::{from_db, to_db};
use crate::{Actor, Timestamp};

const CRITERION_COLUMNS: &str =
    "id, name_de, name_en, description_de, description_en, scope, weight, rank, version";

/// The `meta` key of the tier thresholds.
const TIERS_KEY: &str = "tiers";

fn criterion(row: &AnyRow) -> Result<Criterion, sqlx::Error> {
    Ok(Criterion {
        id: CriterionId::new(row.try_get("id")?),
        name_de: row.try_get("name_de")?,
        name_en: row.try_get("name_en")?,
        description_de: row.try_get("description_de")?,
        description_en: row.try_get("description_en")?,
        scope: row.try_get::<String, _>("scope")?.parse().map_err(decode)?,
        weight: row.try_get("weight")?,
        rank: row.try_get("rank")?,
        version: row.try_get("version")?,
    })
}

async fn criteria_on(conn: &mut AnyConnection) -> Result<Vec<Criterion>> {
    let rows = sqlx::query(&format!(
        "SELECT {CRITERION_COLUMNS} FROM criteria WHERE active = 1 ORDER BY rank, id"
    ))
    .fetch_all(conn)
    .await?;
    Ok(rows.iter().map(criterion).collect::<Result<_, _>>()?)
}

async fn tiers_on(conn: &mut AnyConnection) -> Result<Tiers> {
    let value: Option<(String,)> = sqlx::query_as("SELECT value FROM meta WHERE key = $1")
        .bind(TIERS_KEY)
        .fetch_optional(conn)
        .await?;
    Ok(value
        .and_then(|(v,)| serde_json::from_str(&v).ok())
        .unwrap_or_default())
}

/// A member's ratings of an account, by criterion.
async fn member_ratings_on(
    conn: &mut AnyConnection,
    user: UserId,
    account: AccountId,
) -> Result<Vec<(CriterionId, i64)>> {
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT criterion_id, score FROM criterion_ratings WHERE account_id = $1 AND user_id = $2 \
         ORDER BY criterion_id",
    )
    .bind(account.get())
    .bind(user.get())
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(c, s)| (CriterionId::new(c), s))
        .collect())
}

async fn ratings_on(
    conn: &mut AnyConnection,
    account: Option<AccountId>,
) -> Result<Vec<CriterionRating>> {
    // One account's ratings by its key; `$1 IS NULL OR …` kept SQLite from using it and read
    // every rating of every account (21,000 in the enterprise data) for one account's score.
    let sql = format!(
        "SELECT r.account_id, r.criterion_id, r.user_id, u.display_name, r.score \
         FROM criterion_ratings r JOIN users u ON u.id = r.user_id {} \
         ORDER BY r.account_id, r.criterion_id, u.display_name",
        if account.is_some() {
            "WHERE r.account_id = $1"
        } else {
            ""
        }
    );
    let mut query = sqlx::query(&sql);
    if let Some(account) = account {
        query = query.bind(account.get());
    }
    let rows = query.fetch_all(conn).await?;
    rows.iter()
        .map(|row| {
            Ok(CriterionRating {
                account_id: AccountId::new(row.try_get("account_id")?),
                criterion_id: CriterionId::new(row.try_get("criterion_id")?),
                user_id: UserId::new(row.try_get("user_id")?),
                user_name: row.try_get("display_name")?,
                score: row.try_get("score")?,
            })
        })
        .collect()
}

/// Computes an account's score from the current criteria and ratings, stores it on the
/// account and appends it to the history when it changed.
pub(crate) async fn recompute_score(
    conn: &mut AnyConnection,
    id: AccountId,
) -> Result<Option<Score>> {
    let criteria = criteria_on(conn).await?;
    let tiers = tiers_on(conn).await?;
    recompute_with(conn, id, &criteria, &tiers).await
}

async fn recompute_with(
    conn: &mut AnyConnection,
    id: AccountId,
    criteria: &[Criterion],
    tiers: &Tiers,
) -> Result<Option<Score>> {
    let account = account_on(conn, id).await?;
    let (kind,): (String,) = sqlx::query_as("SELECT kind FROM organizations WHERE id = $1")
        .bind(account.organization_id.get())
        .fetch_one(&mut *conn)
        .await?;
    let ratings = ratings_on(conn, Some(id)).await?;
    let computed = score(
        criteria,
        &ratings,
        account.relation,
        kind != "external",
        tiers,
    );
    let stored: (Option<f64>, Option<String>) =
        sqlx::query_as("SELECT score, tier FROM accounts WHERE id = $1")
            .bind(id.get())
            .fetch_one(&mut *conn)
            .await?;
    let new = computed
        .as_ref()
        .map(|s| ((s.value * 10.0).round() / 10.0, s.tier.as_str().to_owned()));
    let changed = match (&stored, &new) {
        ((Some(old), Some(old_tier)), Some((value, tier))) => {
            (old - value).abs() > 0.05 || old_tier != tier
        }
        ((None, _), None) => false,
        _ => true,
    };
    if changed {
        sqlx::query("UPDATE accounts SET score = $1, tier = $2 WHERE id = $3")
            .bind(new.as_ref().map(|n| n.0))
            .bind(new.as_ref().map(|n| n.1.clone()))
            .bind(id.get())
            .execute(&mut *conn)
            .await?;
        if let Some((value, tier)) = &new {
            sqlx::query(
                "INSERT INTO score_history (account_id, at, score, tier) VALUES ($1, $2, $3, $4)",
            )
            .bind(id.get())
            .bind(to_db(crate::now()))
            .bind(*value)
            .bind(tier)
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(computed)
}

/// Recomputes every account (after weights, criteria or thresholds changed).
pub(crate) async fn recompute_all(conn: &mut AnyConnection) -> Result<()> {
    let criteria = criteria_on(conn).await?;
    let tiers = tiers_on(conn).await?;
    let ids: Vec<(i64,)> = sqlx::query_as("SELECT id FROM accounts")
        .fetch_all(&mut *conn)
        .await?;
    for (id,) in ids {
        recompute_with(conn, AccountId::new(id), &criteria, &tiers).await?;
    }
    Ok(())
}

impl Store {
    /// The active criteria in display order.
    pub async fn criteria(&self) -> Result<Vec<Criterion>> {
        criteria_on(&mut *self.pool().acquire().await?).await
    }

    /// The tier thresholds.
    pub async fn tiers(&self) -> Result<Tiers> {
        tiers_on(&mut *self.pool().acquire().await?).await
    }

    /// Sets the tier thresholds and re-tiers every account.
    pub async fn set_tiers(&self, actor: &Actor, tiers: Tiers) -> Result<()> {
        let mut tx = self.write().await?;
        let before = tiers_on(&mut tx).await?;
        if before == tiers {
            return Ok(());
        }
        let json = serde_json::to_string(&tiers).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
        sqlx::query(
            "INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(TIERS_KEY)
        .bind(json)
        .execute(&mut *tx)
        .await?;
        let label = format!("A ≥ {}, B ≥ {}", tiers.a, tiers.b);
        let change = Change {
            entity: EntityKind::Tiers,
            id: 0,
            action: AuditAction::Update,
            label: &label,
        };
        record(&mut tx, actor, change, Some(&before), Some(&tiers)).await?;
        enqueue_on(&mut tx, Job::ImportanceScores(Accounts::All)).await?;
        tx.commit().await
    }

    /// Adds a criterion at the end of the list.
    pub async fn create_criterion(
        &self,
        actor: &Actor,
        input: &CriterionInput,
    ) -> Result<Criterion> {
        let mut tx = self.write().await?;
        let (rank,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(rank), 0) + 1 FROM criteria")
            .fetch_one(&mut *tx)
            .await?;
        let row = sqlx::query(&format!(
            "INSERT INTO criteria (name_de, name_en, description_de, description_en, scope, weight, rank) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {CRITERION_COLUMNS}"
        ))
        .bind(&input.name_de)
        .bind(&input.name_en)
        .bind(&input.description_de)
        .bind(&input.description_en)
        .bind(input.scope.as_str())
        .bind(input.weight)
        .bind(rank)
        .fetch_one(&mut *tx)
        .await?;
        let created = criterion(&row)?;
        let change = Change {
            entity: EntityKind::Criterion,
            id: created.id.get(),
            action: AuditAction::Create,
            label: &created.name_de,
        };
        record(&mut tx, actor, change, None, Some(&created)).await?;
        enqueue_on(&mut tx, Job::ImportanceScores(Accounts::All)).await?;
        tx.commit().await?;
        Ok(created)
    }

    /// Changes a criterion (names, scope, final weight) and rescores every account.
    pub async fn update_criterion(
        &self,
        actor: &Actor,
        id: CriterionId,
        version: i64,
        input: &CriterionInput,
    ) -> Result<Criterion> {
        let mut tx = self.write().await?;
        let before = criteria_on(&mut tx)
            .await?
            .into_iter()
            .find(|c| c.id == id)
            .ok_or(StoreError::not_found(EntityKind::Criterion, id.get()))?;
        let row = sqlx::query(&format!(
            "UPDATE criteria SET name_de = $1, name_en = $2, description_de = $3, description_en = $4, \
             scope = $5, weight = $6, version = version + 1 WHERE id = $7 AND version = $8 \
             RETURNING {CRITERION_COLUMNS}"
        ))
        .bind(&input.name_de)
        .bind(&input.name_en)
        .bind(&input.description_de)
        .bind(&input.description_en)
        .bind(input.scope.as_str())
        .bind(input.weight)
        .bind(id.get())
        .bind(version)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Err(conflict(&mut tx, EntityKind::Criterion, id.get()).await);
        };
        let after = criterion(&row)?;
        let change = Change {
            entity: EntityKind::Criterion,
            id: id.get(),
            action: AuditAction::Update,
            label: &after.name_de,
        };
        record(&mut tx, actor, change, Some(&before), Some(&after)).await?;
        enqueue_on(&mut tx, Job::ImportanceScores(Accounts::All)).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Every member's weight proposals.
    pub async fn weight_proposals(&self) -> Result<Vec<WeightProposal>> {
        let rows = sqlx::query(
            "SELECT p.criterion_id, p.user_id, u.display_name, p.weight FROM weight_proposals p \
             JOIN users u ON u.id = p.user_id ORDER BY p.criterion_id, u.display_name",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(WeightProposal {
                    criterion_id: CriterionId::new(row.try_get("criterion_id")?),
                    user_id: UserId::new(row.try_get("user_id")?),
                    user_name: row.try_get("display_name")?,
                    weight: row.try_get("weight")?,
                })
            })
            .collect()
    }

    /// Records (or withdraws, with `None`) a member's proposed weights, one per criterion, in
    /// one transaction with an audit entry for each that changed.
    pub async fn propose_weights(
        &self,
        actor: &Actor,
        user: UserId,
        weights: &[(CriterionId, Option<f64>)],
    ) -> Result<()> {
        let mut tx = self.write().await?;
        let criteria = criteria_on(&mut tx).await?;
        for &(criterion, weight) in weights {
            let named =
                criteria
                    .iter()
                    .find(|c| c.id == criterion)
                    .ok_or(StoreError::not_found(
                        EntityKind::Criterion,
                        criterion.get(),
                    ))?;
            let before: Option<(f64,)> = sqlx::query_as(
                "SELECT weight FROM weight_proposals WHERE criterion_id = $1 AND user_id = $2",
            )
            .bind(criterion.get())
            .bind(user.get())
            .fetch_optional(&mut *tx)
            .await?;
            let before = before.map(|(w,)| w);
            if before == weight {
                continue;
            }
            sqlx::query("DELETE FROM weight_proposals WHERE criterion_id = $1 AND user_id = $2")
                .bind(criterion.get())
                .bind(user.get())
                .execute(&mut *tx)
                .await?;
            if let Some(weight) = weight {
                sqlx::query(
                    "INSERT INTO weight_proposals (criterion_id, user_id, weight, updated_at) VALUES ($1, $2, $3, $4)",
                )
                .bind(criterion.get())
                .bind(user.get())
                .bind(weight)
                .bind(to_db(crate::now()))
                .execute(&mut *tx)
                .await?;
            }
            let json =
                |w: Option<f64>| w.map(|w| serde_json::json!({ "user_id": user, "weight": w }));
            let change = Change {
                entity: EntityKind::WeightProposal,
                id: criterion.get(),
                action: action_of(before.is_some(), weight.is_some()),
                label: &named.name_de,
            };
            record(
                &mut tx,
                actor,
                change,
                json(before).as_ref(),
                json(weight).as_ref(),
            )
            .await?;
        }
        tx.commit().await
    }

    /// Every member's ratings, of one account or of all.
    pub async fn criterion_ratings(
        &self,
        account: Option<AccountId>,
    ) -> Result<Vec<CriterionRating>> {
        ratings_on(&mut *self.pool().acquire().await?, account).await
    }

    /// Records (or withdraws, with `None`) a member's ratings of an account, one per criterion,
    /// in one transaction with an audit entry for each that changed; the account's score is
    /// recomputed after the commit (an importance job).
    pub async fn rate_importance(
        &self,
        actor: &Actor,
        user: UserId,
        account: AccountId,
        ratings: &[(CriterionId, Option<i64>)],
    ) -> Result<()> {
        self.write_importance(actor, user, account, ratings, None)
            .await
    }

    /// A member's own ratings of an account, by criterion.
    pub async fn member_ratings(
        &self,
        user: UserId,
        account: AccountId,
    ) -> Result<Vec<(CriterionId, i64)>> {
        member_ratings_on(&mut *self.pool().acquire().await?, user, account).await
    }

    /// [`Store::rate_importance`] only if the member's ratings of the account are still
    /// those whose [`ratings_tag`] is `seen`, compared in the write transaction; else a
    /// conflict naming their last change of them (only they change their own ratings).
    pub async fn rate_importance_seen(
        &self,
        actor: &Actor,
        user: UserId,
        account: AccountId,
        seen: &str,
        ratings: &[(CriterionId, Option<i64>)],
    ) -> Result<()> {
        self.write_importance(actor, user, account, ratings, Some(seen))
            .await
    }

    /// Writes a member's ratings, checking them against `seen` first when given.
    async fn write_importance(
        &self,
        actor: &Actor,
        user: UserId,
        account: AccountId,
        ratings: &[(CriterionId, Option<i64>)],
        seen: Option<&str>,
    ) -> Result<()> {
        let mut tx = self.write().await?;
        // PostgreSQL: ratings of one account queue on its row, so two changes cannot read the
        // same ratings and both write (SQLite's single writer needs no lock).
        sqlx::query("UPDATE accounts SET id = id WHERE id = $1")
            .bind(account.get())
            .execute(&mut *tx)
            .await?;
        let rated = account_on(&mut tx, account).await?;
        if let Some(seen) = seen
            && ratings_tag(&member_ratings_on(&mut tx, user, account).await?) != seen
        {
            let last: Option<(String, String)> = sqlx::query_as(
                "SELECT actor_name, at FROM audit_log WHERE entity = $1 AND entity_id = $2 \
                     AND actor_user_id = $3 ORDER BY id DESC LIMIT 1",
            )
            .bind(EntityKind::ImportanceRating.as_str())
            .bind(account.get())
            .bind(user.get())
            .fetch_optional(&mut *tx)
            .await?;
            return Err(match last {
                Some((name, at)) => StoreError::Conflict {
                    entity: EntityKind::ImportanceRating,
                    id: account.get(),
                    changed_by: Some(name),
                    changed_at: Some(from_db(&at)?),
                },
                // Changed for them (by the command line, say): the last change of any.
                None => conflict(&mut tx, EntityKind::ImportanceRating, account.get()).await,
            });
        }
        let criteria = criteria_on(&mut tx).await?;
        for &(criterion, score) in ratings {
            if !criteria.iter().any(|c| c.id == criterion) {
                return Err(StoreError::not_found(
                    EntityKind::Criterion,
                    criterion.get(),
                ));
            }
            let before: Option<(i64,)> = sqlx::query_as(
                "SELECT score FROM criterion_ratings WHERE account_id = $1 AND criterion_id = $2 AND user_id = $3",
            )
            .bind(account.get())
            .bind(criterion.get())
            .bind(user.get())
            .fetch_optional(&mut *tx)
            .await?;
            let before = before.map(|(s,)| s);
            if before == score {
                continue;
            }
            sqlx::query("DELETE FROM criterion_ratings WHERE account_id = $1 AND criterion_id = $2 AND user_id = $3")
                .bind(account.get())
                .bind(criterion.get())
                .bind(user.get())
                .execute(&mut *tx)
                .await?;
            if let Some(score) = score {
                sqlx::query(
                    "INSERT INTO criterion_ratings (account_id, criterion_id, user_id, score, updated_at) \
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(account.get())
                .bind(criterion.get())
                .bind(user.get())
                .bind(score)
                .bind(to_db(crate::now()))
                .execute(&mut *tx)
                .await?;
            }
            let json = |s: Option<i64>| {
                s.map(|s| serde_json::json!({ "criterion_id": criterion, "user_id": user, "score": s }))
            };
            let change = Change {
                entity: EntityKind::ImportanceRating,
                id: account.get(),
                action: action_of(before.is_some(), score.is_some()),
                label: &rated.name,
            };
            record(
                &mut tx,
                actor,
                change,
                json(before).as_ref(),
                json(score).as_ref(),
            )
            .await?;
        }
        enqueue_on(&mut tx, Job::ImportanceScores(Accounts::One(account))).await?;
        tx.commit().await
    }

    /// The current score of an account with its parts.
    pub async fn account_score(&self, account: AccountId) -> Result<Option<Score>> {
        let mut conn = self.pool().acquire().await?;
        let criteria = criteria_on(&mut conn).await?;
        let tiers = tiers_on(&mut conn).await?;
        let a = account_on(&mut conn, account).await?;
        let (kind,): (String,) = sqlx::query_as("SELECT kind FROM organizations WHERE id = $1")
            .bind(a.organization_id.get())
            .fetch_one(&mut *conn)
            .await?;
        let ratings = ratings_on(&mut conn, Some(account)).await?;
        Ok(score(
            &criteria,
            &ratings,
            a.relation,
            kind != "external",
            &tiers,
        ))
    }

    /// The score history of an account, oldest first: (when, score, tier).
    pub async fn score_history(&self, account: AccountId) -> Result<Vec<(Timestamp, f64, String)>> {
        let rows: Vec<(String, f64, String)> = sqlx::query_as(
            "SELECT at, score, tier FROM score_history WHERE account_id = $1 ORDER BY at, id",
        )
        .bind(account.get())
        .fetch_all(self.pool())
        .await?;
        rows.into_iter()
            .map(|(at, score, tier)| Ok((from_db(&at)?, score, tier)))
            .collect()
    }
}
