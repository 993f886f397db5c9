//! The hierarchy ladder and the functions: seeded with defaults, edited by admins.

use counterpart_core::audit::{AuditAction, EntityKind};
use counterpart_core::ids::{FunctionId, LevelId};
use counterpart_core::ladder::{
    DEFAULT_FUNCTIONS, DEFAULT_LEVELS, Function, LadderNames, Level, Move, reorder,
};
use counterpart_core::validate::{FieldErrors, Problem};
use sqlx::AnyConnection;

use crate::audit::{Change, conflict, record};
use crate::db::Store;
use crate::error::{Result, StoreError};
use crate::{Actor, dialect};

type LevelRow = (i64, i64, String, String, i64);
type FunctionRow = (i64, String, String, String, i64, i64, i64);

fn level((id, rank, name_de, name_en, version): LevelRow) -> Level {
    Level {
        id: LevelId::new(id),
        rank,
        name_de,
        name_en,
        version,
    }
}

fn function((id, key, name_de, name_en, is_assistant, rank, version): FunctionRow) -> Function {
    Function {
        id: FunctionId::new(id),
        key,
        name_de,
        name_en,
        is_assistant: is_assistant != 0,
        rank,
        version,
    }
}

const LEVEL_COLUMNS: &str = "id, rank, name_de, name_en, version";
const FUNCTION_COLUMNS: &str = "id, key, name_de, name_en, is_assistant, rank, version";

pub(crate) async fn levels_on(conn: &mut AnyConnection) -> Result<Vec<Level>> {
    let rows: Vec<LevelRow> = sqlx::query_as(&format!(
        "SELECT {LEVEL_COLUMNS} FROM levels ORDER BY rank, id"
    ))
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(level).collect())
}

pub(crate) async fn functions_on(conn: &mut AnyConnection) -> Result<Vec<Function>> {
    let rows: Vec<FunctionRow> = sqlx::query_as(&format!(
        "SELECT {FUNCTION_COLUMNS} FROM functions ORDER BY rank, id"
    ))
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(function).collect())
}

impl Store {
    /// Inserts the default ladder and functions when the tables are empty. Idempotent.
    pub async fn seed_defaults(&self) -> Result<()> {
        let mut tx = self.write().await?;
        let (levels,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM levels")
            .fetch_one(&mut *tx)
            .await?;
        if levels == 0 {
            for (rank, (de, en)) in (1..).zip(DEFAULT_LEVELS) {
                sqlx::query("INSERT INTO levels (rank, name_de, name_en) VALUES ($1, $2, $3)")
                    .bind(rank)
                    .bind(de)
                    .bind(en)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        let (functions,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM functions")
            .fetch_one(&mut *tx)
            .await?;
        if functions == 0 {
            for (rank, (key, de, en, assistant)) in (1..).zip(DEFAULT_FUNCTIONS) {
                sqlx::query(
                    "INSERT INTO functions (key, name_de, name_en, is_assistant, rank) \
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(key)
                .bind(de)
                .bind(en)
                .bind(i64::from(assistant))
                .bind(rank)
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await
    }

    /// The ladder, top first.
    pub async fn levels(&self) -> Result<Vec<Level>> {
        levels_on(&mut *self.pool().acquire().await?).await
    }

    /// The functions in display order.
    pub async fn functions(&self) -> Result<Vec<Function>> {
        functions_on(&mut *self.pool().acquire().await?).await
    }

    /// Adds a level at the bottom of the ladder.
    pub async fn create_level(&self, actor: &Actor, names: LadderNames) -> Result<Level> {
        let mut tx = self.write().await?;
        let (rank,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(rank), 0) + 1 FROM levels")
            .fetch_one(&mut *tx)
            .await?;
        let row: LevelRow = sqlx::query_as(&format!(
            "INSERT INTO levels (rank, name_de, name_en) VALUES ($1, $2, $3) \
             RETURNING {LEVEL_COLUMNS}"
        ))
        .bind(rank)
        .bind(&names.name_de)
        .bind(&names.name_en)
        .fetch_one(&mut *tx)
        .await?;
        let created = level(row);
        let change = Change {
            entity: EntityKind::Level,
            id: created.id.get(),
            action: AuditAction::Create,
            label: &created.name_de,
        };
        record(&mut tx, actor, change, None, Some(&created)).await?;
        tx.commit().await?;
        Ok(created)
    }

    /// Renames a level, if nobody changed it since `version`.
    pub async fn rename_level(
        &self,
        actor: &Actor,
        id: LevelId,
        version: i64,
        names: LadderNames,
    ) -> Result<Level> {
        let mut tx = self.write().await?;
        let before = levels_on(&mut tx)
            .await?
            .into_iter()
            .find(|l| l.id == id)
            .ok_or(StoreError::not_found(EntityKind::Level, id.get()))?;
        let row: Option<LevelRow> = sqlx::query_as(&format!(
            "UPDATE levels SET name_de = $1, name_en = $2, version = version + 1 \
             WHERE id = $3 AND version = $4 RETURNING {LEVEL_COLUMNS}"
        ))
        .bind(&names.name_de)
        .bind(&names.name_en)
        .bind(id.get())
        .bind(version)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Err(conflict(&mut tx, EntityKind::Level, id.get()).await);
        };
        let after = level(row);
        let change = Change {
            entity: EntityKind::Level,
            id: id.get(),
            action: AuditAction::Update,
            label: &after.name_de,
        };
        record(&mut tx, actor, change, Some(&before), Some(&after)).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Moves a level one rung up or down; ranks stay 1..=n.
    pub async fn move_level(&self, actor: &Actor, id: LevelId, direction: Move) -> Result<()> {
        let mut tx = self.write().await?;
        move_ranked::<Level>(&mut tx, actor, id.get(), direction).await?;
        // Ranks are what the mirror compares.
        crate::jobs::enqueue_on(
            &mut tx,
            crate::jobs::Job::MirrorScores(crate::jobs::Accounts::All),
        )
        .await?;
        tx.commit().await
    }

    /// Adds a function at the end of the list.
    pub async fn create_function(
        &self,
        actor: &Actor,
        key: String,
        names: LadderNames,
        is_assistant: bool,
    ) -> Result<Function> {
        let mut tx = self.write().await?;
        let (rank,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(rank), 0) + 1 FROM functions")
            .fetch_one(&mut *tx)
            .await?;
        let inserted: Result<FunctionRow, sqlx::Error> = sqlx::query_as(&format!(
            "INSERT INTO functions (key, name_de, name_en, is_assistant, rank) \
             VALUES ($1, $2, $3, $4, $5) RETURNING {FUNCTION_COLUMNS}"
        ))
        .bind(&key)
        .bind(&names.name_de)
        .bind(&names.name_en)
        .bind(i64::from(is_assistant))
        .bind(rank)
        .fetch_one(&mut *tx)
        .await;
        let created = match inserted {
            Ok(row) => function(row),
            Err(e) if dialect::is_unique_violation(&e, "functions_key", "functions.key") => {
                return Err(FieldErrors::single("key", Problem::Taken).into());
            }
            Err(e) => return Err(e.into()),
        };
        let change = Change {
            entity: EntityKind::Function,
            id: created.id.get(),
            action: AuditAction::Create,
            label: &created.name_de,
        };
        record(&mut tx, actor, change, None, Some(&created)).await?;
        tx.commit().await?;
        Ok(created)
    }

    /// Renames a function and sets whether it is an assistant/secretariat function.
    pub async fn update_function(
        &self,
        actor: &Actor,
        id: FunctionId,
        version: i64,
        names: LadderNames,
        is_assistant: bool,
    ) -> Result<Function> {
        let mut tx = self.write().await?;
        let before = functions_on(&mut tx)
            .await?
            .into_iter()
            .find(|f| f.id == id)
            .ok_or(StoreError::not_found(EntityKind::Function, id.get()))?;
        let row: Option<FunctionRow> = sqlx::query_as(&format!(
            "UPDATE functions SET name_de = $1, name_en = $2, is_assistant = $3, \
             version = version + 1 WHERE id = $4 AND version = $5 RETURNING {FUNCTION_COLUMNS}"
        ))
        .bind(&names.name_de)
        .bind(&names.name_en)
        .bind(i64::from(is_assistant))
        .bind(id.get())
        .bind(version)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Err(conflict(&mut tx, EntityKind::Function, id.get()).await);
        };
        let after = function(row);
        let change = Change {
            entity: EntityKind::Function,
            id: id.get(),
            action: AuditAction::Update,
            label: &after.name_de,
        };
        record(&mut tx, actor, change, Some(&before), Some(&after)).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Moves a function one place up or down in the list.
    pub async fn move_function(
        &self,
        actor: &Actor,
        id: FunctionId,
        direction: Move,
    ) -> Result<()> {
        let mut tx = self.write().await?;
        move_ranked::<Function>(&mut tx, actor, id.get(), direction).await?;
        tx.commit().await
    }
}

/// A row of a list the administrators put in order (the ladder's levels, the functions):
/// ranks 1..=n, moved one place at a time.
trait Ranked: Clone + serde::Serialize + Sized {
    /// Its table.
    const TABLE: &'static str;
    /// What the audit log calls it.
    const ENTITY: EntityKind;
    /// The list in its order.
    async fn all(conn: &mut AnyConnection) -> Result<Vec<Self>>;
    /// Its raw id.
    fn key(&self) -> i64;
    /// Its name in the audit log.
    fn label(&self) -> &str;
}

impl Ranked for Level {
    const TABLE: &'static str = "levels";
    const ENTITY: EntityKind = EntityKind::Level;
    async fn all(conn: &mut AnyConnection) -> Result<Vec<Self>> {
        levels_on(conn).await
    }
    fn key(&self) -> i64 {
        self.id.get()
    }
    fn label(&self) -> &str {
        &self.name_de
    }
}

impl Ranked for Function {
    const TABLE: &'static str = "functions";
    const ENTITY: EntityKind = EntityKind::Function;
    async fn all(conn: &mut AnyConnection) -> Result<Vec<Self>> {
        functions_on(conn).await
    }
    fn key(&self) -> i64 {
        self.id.get()
    }
    fn label(&self) -> &str {
        &self.name_de
    }
}

/// Moves one row of a ranked list one place up or down, renumbering the ranks 1..=n, with an
/// audit entry for the row moved.
async fn move_ranked<T: Ranked>(
    tx: &mut AnyConnection,
    actor: &Actor,
    id: i64,
    direction: Move,
) -> Result<()> {
    let before = T::all(tx).await?;
    let moved = before
        .iter()
        .find(|row| row.key() == id)
        .ok_or(StoreError::not_found(T::ENTITY, id))?
        .clone();
    let order = reorder(
        &before.iter().map(Ranked::key).collect::<Vec<_>>(),
        id,
        direction,
    );
    let sql = format!(
        "UPDATE {} SET rank = $1, version = version + 1 WHERE id = $2 AND rank <> $1",
        T::TABLE
    );
    for (rank, key) in (1_i64..).zip(&order) {
        sqlx::query(&sql)
            .bind(rank)
            .bind(*key)
            .execute(&mut *tx)
            .await?;
    }
    let after = T::all(tx).await?;
    let moved_after = after.into_iter().find(|row| row.key() == id);
    let change = Change {
        entity: T::ENTITY,
        id,
        action: AuditAction::Update,
        label: moved.label(),
    };
    record(tx, actor, change, Some(&moved), moved_after.as_ref()).await
}
