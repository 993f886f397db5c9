//! Changing a versioned record: compare-and-set on its `version`, in one place.
//!
//! Every record a user edits in a form carries a `version`. A change names the version it was
//! made from; the `UPDATE … WHERE id = $ AND version = $` that writes it matches no row when
//! someone else changed the record meanwhile, and the caller gets a conflict naming who that
//! was (from the audit log). A change that is written bumps the version, stamps `updated_at`
//! and writes its audit entry (before and after) in the caller's transaction.
//!
//! A kind of record takes part by implementing [`Versioned`]: its table, the columns an update
//! returns, its [`EntityKind`], how a row is read and how the log names it. Then
//! [`update`] writes any set of columns and [`set_active`] deactivates or reactivates it:
//!
//! ```text
//! impl Versioned for Unit {
//!     const TABLE: &'static str = "units";
//!     const COLUMNS: &'static str = "id, organization_id, parent_id, name, kind, active, version";
//!     const ENTITY: EntityKind = EntityKind::Unit;
//!     fn decode(row: &AnyRow) -> Result<Self, sqlx::Error> { unit(row) }
//!     fn key(&self) -> i64 { self.id.get() }
//!     fn label(&self) -> String { self.name.clone() }
//! }
//!
//! let before = unit_on(&mut tx, id).await?;   // NotFound if there is none
//! let fields = Fields::new().set("name", &input.name).set("kind", input.kind.as_str());
//! let after = versioned::update(&mut tx, actor, &before, version, fields).await?;
//! tx.commit().await?;
//! ```

use counterpart_core::audit::{AuditAction, EntityKind};
use serde::Serialize;
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::error::BoxDynError;
use sqlx::{Any, AnyConnection, Arguments, Encode, Type};

use crate::Actor;
use crate::audit::{Change, conflict, record};
use crate::error::{Result, StoreError};
use crate::time::to_db;

/// A kind of record that changes only by compare-and-set on its `version` column, with an
/// audit entry in the same transaction. Its table has the columns `id`, `version`,
/// `updated_at` (unless [`Versioned::STAMPED`] says otherwise) and, for [`set_active`],
/// `active`.
pub(crate) trait Versioned: Serialize + Sized {
    /// The table.
    const TABLE: &'static str;
    /// The columns an update returns, unqualified, comma-separated: what
    /// [`Versioned::decode`] reads.
    const COLUMNS: &'static str;
    /// The record's kind in the audit log and in "changed meanwhile by …".
    const ENTITY: EntityKind;
    /// Whether the table has an `updated_at` column that a change stamps (users do not: their
    /// changes are in the audit log only).
    const STAMPED: bool = true;

    /// Reads one row of [`Versioned::COLUMNS`].
    fn decode(row: &AnyRow) -> Result<Self, sqlx::Error>;

    /// The record's id.
    fn key(&self) -> i64;

    /// The record's name in the audit log.
    fn label(&self) -> String;

    /// What an update the database refused means for this kind of record (a name that is
    /// taken, say). By default the database's error as it is.
    fn write_error(error: sqlx::Error) -> StoreError {
        error.into()
    }
}

/// The columns an update sets, each with its value; the values are bound in the order they
/// are named, so a column and its value stay on one line.
pub(crate) struct Fields<'q> {
    /// `column = $n` for each column set so far.
    assignments: Vec<String>,
    /// Their values, in order.
    arguments: AnyArguments<'q>,
    /// The first value that could not be encoded, reported when the update runs.
    error: Option<BoxDynError>,
}

impl<'q> Fields<'q> {
    /// No columns yet.
    pub(crate) fn new() -> Self {
        Self {
            assignments: Vec::new(),
            arguments: AnyArguments::default(),
            error: None,
        }
    }

    /// Sets `column` to `value`.
    pub(crate) fn set<V>(mut self, column: &'static str, value: V) -> Self
    where
        V: 'q + Encode<'q, Any> + Type<Any>,
    {
        self.push(column, value);
        self
    }

    /// Appends `column = $n` and binds `value` as `$n`.
    fn push<V>(&mut self, column: &'static str, value: V)
    where
        V: 'q + Encode<'q, Any> + Type<Any>,
    {
        if let Err(e) = self.arguments.add(value) {
            self.error.get_or_insert(e);
        }
        self.assignments
            .push(format!("{column} = ${}", self.arguments.len()));
    }
}

/// Changes a record (`before`, as read in this transaction) to `fields` if nobody changed it
/// since `version`, and records the change in the audit log. Returns the record as written.
///
/// When the version moved on, nothing is written and the error is
/// [`StoreError::Conflict`] naming who changed it last.
pub(crate) async fn update<T: Versioned>(
    tx: &mut AnyConnection,
    actor: &Actor,
    before: &T,
    version: i64,
    fields: Fields<'_>,
) -> Result<T> {
    write(tx, actor, before, version, fields, AuditAction::Update).await
}

/// Deactivates (`active == false`) or reactivates a record like [`update`], logged as
/// [`AuditAction::Deactivate`] or [`AuditAction::Reactivate`]. Whether it may be
/// deactivated at all is the caller's to check first.
pub(crate) async fn set_active<T: Versioned>(
    tx: &mut AnyConnection,
    actor: &Actor,
    before: &T,
    version: i64,
    active: bool,
) -> Result<T> {
    let action = if active {
        AuditAction::Reactivate
    } else {
        AuditAction::Deactivate
    };
    let fields = Fields::new().set("active", i64::from(active));
    write(tx, actor, before, version, fields, action).await
}

/// Changes a record like [`update`], logged as `action` (a withdrawal, say).
pub(crate) async fn write_as<T: Versioned>(
    tx: &mut AnyConnection,
    actor: &Actor,
    before: &T,
    version: i64,
    fields: Fields<'_>,
    action: AuditAction,
) -> Result<T> {
    write(tx, actor, before, version, fields, action).await
}

/// The compare-and-set itself: `UPDATE … SET <fields>, updated_at, version + 1 WHERE id AND
/// version RETURNING …`, the conflict when no row matched, the audit entry when one did.
async fn write<T: Versioned>(
    tx: &mut AnyConnection,
    actor: &Actor,
    before: &T,
    version: i64,
    mut fields: Fields<'_>,
    action: AuditAction,
) -> Result<T> {
    let id = before.key();
    if T::STAMPED {
        fields.push("updated_at", to_db(crate::now()));
    }
    let Fields {
        assignments,
        mut arguments,
        error,
    } = fields;
    for value in [id, version] {
        if let Err(e) = arguments.add(value) {
            return Err(sqlx::Error::Encode(e).into());
        }
    }
    if let Some(e) = error {
        return Err(sqlx::Error::Encode(e).into());
    }
    let n = assignments.len();
    let sql = format!(
        "UPDATE {} SET {}, version = version + 1 WHERE id = ${} AND version = ${} RETURNING {}",
        T::TABLE,
        assignments.join(", "),
        n + 1,
        n + 2,
        T::COLUMNS,
    );
    let row = sqlx::query_with(&sql, arguments)
        .fetch_optional(&mut *tx)
        .await
        .map_err(T::write_error)?;
    let Some(row) = row else {
        return Err(conflict(tx, T::ENTITY, id).await);
    };
    let after = T::decode(&row)?;
    let change = Change {
        entity: T::ENTITY,
        id,
        action,
        label: &after.label(),
    };
    record(tx, actor, change, Some(before), Some(&after)).await?;
    Ok(after)
}
