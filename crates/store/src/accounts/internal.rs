//! Accounts whose partner is a unit of our own house (a neighbouring department as an
//! internal customer or supplier): which units a person or unit of ours sits in, and which
//! of them are such partner units.
//!
//! A person of ours inside a partner unit is "ours and theirs at once": they may be a key
//! contact of the account and hold counterparts elsewhere, but nobody inside the partner unit
//! (nor they themselves) may be the counterpart of its key contacts.

use counterpart_core::ids::{PersonId, UnitId};
use sqlx::AnyConnection;

use crate::dialect::placeholders;
use crate::error::Result;

/// A unit and every unit above it, nearest first (empty for `None`). A loop in the tree is
/// cut after 200 steps; the tree refuses loops anyway.
pub(crate) async fn unit_chain_on(
    conn: &mut AnyConnection,
    unit: Option<UnitId>,
) -> Result<Vec<UnitId>> {
    let Some(unit) = unit else {
        return Ok(Vec::new());
    };
    let rows: Vec<(i64,)> = sqlx::query_as(
        "WITH RECURSIVE chain (id, parent, depth) AS ( \
           SELECT id, parent_id, 0 FROM units WHERE id = $1 \
           UNION ALL \
           SELECT u.id, u.parent_id, c.depth + 1 FROM units u \
           JOIN chain c ON u.id = c.parent WHERE c.depth < 200) \
         SELECT id FROM chain ORDER BY depth",
    )
    .bind(unit.get())
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|(id,)| UnitId::new(id)).collect())
}

/// The unit of a person and every unit above it, nearest first (empty for someone without
/// a unit or unknown).
pub(crate) async fn person_chain_on(
    conn: &mut AnyConnection,
    person: PersonId,
) -> Result<Vec<UnitId>> {
    let unit: Option<(Option<i64>,)> = sqlx::query_as("SELECT unit_id FROM persons WHERE id = $1")
        .bind(person.get())
        .fetch_optional(&mut *conn)
        .await?;
    let unit = unit.and_then(|(u,)| u).map(UnitId::new);
    unit_chain_on(conn, unit).await
}

/// Those of `chain` that are the partner unit of an active account of our own house: the
/// neighbouring departments someone with this unit chain belongs to.
pub(crate) async fn partner_units_on(
    conn: &mut AnyConnection,
    chain: &[UnitId],
) -> Result<Vec<UnitId>> {
    if chain.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT DISTINCT a.unit_id FROM accounts a JOIN organizations o ON o.id = a.organization_id \
         WHERE o.kind = 'own' AND a.active = 1 AND a.unit_id IN ({}) ORDER BY a.unit_id",
        placeholders(1, chain.len())
    );
    let query = chain
        .iter()
        .fold(sqlx::query_as(&sql), |q, u| q.bind(u.get()));
    let rows: Vec<(i64,)> = query.fetch_all(conn).await?;
    Ok(rows.into_iter().map(|(id,)| UnitId::new(id)).collect())
}
