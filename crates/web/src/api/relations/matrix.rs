//! The KAM matrix through the API, as its page shows it: the accounts most important first,
//! each with its key people level by level of the ladder and our counterparts of theirs,
//! with the page's filters, read page by page after the last account read.

use axum::extract::{RawQuery, State};
use axum::response::Response;
use counterpart_app::matrix::MatrixSlice;
use counterpart_core::cadence;
use counterpart_core::ids::AccountId;
use counterpart_core::ladder::Level;
use counterpart_core::matrix::{ContactEntry, CounterpartEntry, MatrixRow};
use serde::Serialize;
use utoipa::ToSchema;

use super::{ApiAssignmentKind, ApiDecisionRole, ApiHealth};
use crate::AppState;
use crate::api::resources::{ApiRelation, ApiTier, QueryParams, account_filter, plain};
use crate::api::{Bearer, Problem};

/// A rung of the ladder: a column of the matrix.
#[derive(Serialize, ToSchema)]
#[schema(as = MatrixLevel)]
pub(crate) struct ApiLevel {
    /// Its id.
    id: i64,
    /// Its rank, 1 = top.
    rank: i64,
    /// German name.
    name_de: String,
    /// English name.
    name_en: String,
}

impl From<Level> for ApiLevel {
    fn from(l: Level) -> Self {
        Self {
            id: l.id.get(),
            rank: l.rank,
            name_de: l.name_de,
            name_en: l.name_en,
        }
    }
}

/// Whether a pair's contact is due, by its expected interval.
#[derive(Clone, Copy, Serialize, ToSchema)]
#[schema(as = ContactState)]
#[serde(rename_all = "snake_case")]
pub(crate) enum ApiContactState {
    /// Within the interval.
    InTime,
    /// Past the interval.
    Due,
    /// Past it by half an interval more.
    Overdue,
}

impl From<cadence::State> for ApiContactState {
    fn from(state: cadence::State) -> Self {
        match state {
            cadence::State::InTime => Self::InTime,
            cadence::State::Due => Self::Due,
            cadence::State::Overdue => Self::Overdue,
        }
    }
}

/// One of ours who holds a key person.
#[derive(Serialize, ToSchema)]
#[schema(as = MatrixCounterpart)]
pub(crate) struct ApiCounterpart {
    /// Our person.
    our_id: i64,
    /// Their name.
    name: String,
    /// Their level's rank, to see a mismatch.
    level_rank: Option<i64>,
    /// Primary or deputy.
    kind: ApiAssignmentKind,
    /// The latest relationship rating, 1–5.
    relationship: Option<i64>,
    /// The traffic light by that rating.
    health: ApiHealth,
    /// Whether a contact is due.
    contact: ApiContactState,
}

impl From<CounterpartEntry> for ApiCounterpart {
    fn from(c: CounterpartEntry) -> Self {
        Self {
            our_id: c.our_id.get(),
            name: c.name.to_string(),
            level_rank: c.level_rank,
            kind: c.kind.into(),
            relationship: c.relationship,
            health: c.health.into(),
            contact: c.contact.into(),
        }
    }
}

/// A key person of an account with our counterparts.
#[derive(Serialize, ToSchema)]
#[schema(as = MatrixContact)]
pub(crate) struct ApiContact {
    /// The partner person.
    person_id: i64,
    /// Their name.
    name: String,
    /// Their role in the account's decisions.
    role: ApiDecisionRole,
    /// Nobody of ours holds them.
    gap: bool,
    /// Our counterparts, the primary first.
    counterparts: Vec<ApiCounterpart>,
}

impl From<ContactEntry> for ApiContact {
    fn from(c: ContactEntry) -> Self {
        Self {
            person_id: c.person_id.get(),
            gap: c.is_gap(),
            name: c.name,
            role: c.role.into(),
            counterparts: c.counterparts.into_iter().map(Into::into).collect(),
        }
    }
}

/// The key people of an account at one level.
#[derive(Serialize, ToSchema)]
#[schema(as = MatrixCell)]
pub(crate) struct ApiCell {
    /// The level's rank (see `levels`).
    rank: i64,
    /// The key people at that level.
    contacts: Vec<ApiContact>,
}

/// An account of the matrix.
#[derive(Serialize, ToSchema)]
#[schema(as = MatrixAccount)]
pub(crate) struct ApiMatrixAccount {
    /// Its id (`/accounts/{id}`).
    id: i64,
    /// Its name.
    name: String,
    /// Customer, supplier or both.
    relation: ApiRelation,
    /// A neighbouring department rather than a company outside.
    internal: bool,
    /// Our responsible unit's name.
    responsible_unit: Option<String>,
    /// The importance score, 0–100, once rated.
    score: Option<f64>,
    /// The importance tier, once rated.
    tier: Option<ApiTier>,
    /// The mirror score, 0–100, as last recorded.
    mirror_score: Option<f64>,
}

/// One row of the matrix: an account, its key people level by level, our counterparts.
#[derive(Serialize, ToSchema)]
#[schema(as = MatrixRow)]
pub(crate) struct ApiMatrixRow {
    /// The account.
    account: ApiMatrixAccount,
    /// One cell per level of the ladder, top first (empty levels too).
    cells: Vec<ApiCell>,
    /// Key people whose level is not known.
    unleveled: Vec<ApiContact>,
    /// Key people nobody of ours holds.
    gaps: usize,
    /// All key people.
    contacts: usize,
}

impl ApiMatrixRow {
    /// A row, its cells named by the ranks of `levels`.
    fn of(row: MatrixRow, levels: &[Level]) -> Self {
        let a = row.account;
        Self {
            account: ApiMatrixAccount {
                id: a.id.get(),
                name: a.name,
                relation: a.relation.into(),
                internal: a.internal,
                responsible_unit: a.responsible_unit,
                score: a.score,
                tier: a.tier.map(Into::into),
                mirror_score: a.mirror_score,
            },
            cells: levels
                .iter()
                .zip(row.cells)
                .map(|(level, contacts)| ApiCell {
                    rank: level.rank,
                    contacts: contacts.into_iter().map(Into::into).collect(),
                })
                .collect(),
            unleveled: row.unleveled.into_iter().map(Into::into).collect(),
            gaps: row.gaps,
            contacts: row.contacts,
        }
    }
}

/// A page of the matrix.
#[derive(Serialize, ToSchema)]
#[schema(as = Matrix)]
pub(crate) struct ApiMatrix {
    /// The ladder: the columns, top first.
    levels: Vec<ApiLevel>,
    /// The rows of this page, most important first.
    items: Vec<ApiMatrixRow>,
    /// The address of the next page (path and query), or null on the last.
    next: Option<String>,
}

/// The KAM matrix as its page shows it: the accounts most important first (scored first,
/// highest score first, then by name), each with its key people level by level and our
/// counterparts of theirs, a page at a time.
#[utoipa::path(
    get,
    path = "/matrix",
    tag = "matrix",
    operation_id = "getMatrix",
    params(
        ("relation" = Option<crate::api::resources::RelationFilter>, Query, description = "`customer` or `supplier` (each includes accounts that are both)."),
        ("side" = Option<crate::api::resources::SideFilter>, Query, description = "`internal` or `external` accounts only."),
        ("tier" = Option<ApiTier>, Query, description = "Only accounts of this importance tier."),
        ("unit" = Option<i64>, Query, minimum = 0, description = "Only accounts this unit of ours is responsible for."),
        ("after" = Option<i64>, Query, minimum = 0, description = "The rows after this account in the matrix's order: the last account of the page before (the `next` address carries it)."),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 200, description = "Rows per page, 1 to 200 (default 50)."),
    ),
    responses(
        (status = 200, description = "A page of the matrix.", body = ApiMatrix),
        (status = 400, description = "A parameter is wrong; `invalid_params` names it.", body = crate::api::ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "`after` names no account.", body = crate::api::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn matrix(
    State(state): State<AppState>,
    bearer: Bearer,
    RawQuery(raw): RawQuery,
) -> Result<Response, Problem> {
    let query = QueryParams::parse(
        raw.as_deref(),
        &["relation", "side", "tier", "unit", "after", "limit"],
    )?;
    let filter = account_filter(&query)?;
    let (after, limit) = query.seek()?;
    let MatrixSlice { levels, rows, more } = state
        .app
        .matrix_after(
            &bearer.principal,
            &filter,
            after.map(AccountId::new),
            limit as usize,
        )
        .await?;
    let next = more
        .then(|| {
            rows.last()
                .map(|last| query.next_after("/matrix", &last.account.id.get().to_string()))
        })
        .flatten();
    let items = rows
        .into_iter()
        .map(|row| ApiMatrixRow::of(row, &levels))
        .collect();
    Ok(plain(ApiMatrix {
        levels: levels.into_iter().map(Into::into).collect(),
        items,
        next,
    }))
}
