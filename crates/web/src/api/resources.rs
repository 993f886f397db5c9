//! The API's resources: organizations, their units, people and accounts, read through the
//! same use cases as the pages. The JSON shapes are the API's own (not the domain types), so
//! the API stays as it is when the domain changes.

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use counterpart_core::account::{Account, ManagementMode, Relation};
use counterpart_core::ids::{AccountId, OrganizationId, PersonId, UnitId};
use counterpart_core::importance::Tier;
use counterpart_core::org::{Organization, OrganizationKind, UnitKind, UnitNode};
use counterpart_core::person::Person;
use counterpart_store::{AccountFilter, AccountSummary, OrganizationFilter, OrganizationSummary};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::write::versioned;
use super::{Bearer, Problem};
use crate::AppState;

/// Items a list page holds unless `limit` says otherwise.
pub(crate) const DEFAULT_LIMIT: u32 = 50;
/// Items a list page holds at most.
pub(crate) const MAX_LIMIT: u32 = 200;

/// What an organization is to us.
#[derive(Clone, Copy, Serialize, Deserialize, ToSchema)]
#[schema(as = OrganizationKind)]
#[serde(rename_all = "snake_case")]
pub(crate) enum ApiOrganizationKind {
    /// Our own house.
    Own,
    /// A company outside.
    External,
    /// A neighbouring department kept as an organization.
    Internal,
}

impl From<ApiOrganizationKind> for OrganizationKind {
    fn from(kind: ApiOrganizationKind) -> Self {
        match kind {
            ApiOrganizationKind::Own => Self::Own,
            ApiOrganizationKind::External => Self::External,
            ApiOrganizationKind::Internal => Self::Internal,
        }
    }
}

impl From<OrganizationKind> for ApiOrganizationKind {
    fn from(kind: OrganizationKind) -> Self {
        match kind {
            OrganizationKind::Own => Self::Own,
            OrganizationKind::External => Self::External,
            OrganizationKind::Internal => Self::Internal,
        }
    }
}

/// An organization.
#[derive(Serialize, ToSchema)]
#[schema(as = Organization)]
pub(crate) struct ApiOrganization {
    /// Its id.
    id: i64,
    /// Its name.
    name: String,
    /// Own, external or internal.
    kind: ApiOrganizationKind,
    /// Free notes.
    notes: Option<String>,
    /// False once deactivated.
    active: bool,
    /// Counts up with every change.
    version: i64,
}

impl From<Organization> for ApiOrganization {
    fn from(o: Organization) -> Self {
        Self {
            id: o.id.get(),
            name: o.name,
            kind: o.kind.into(),
            notes: o.notes,
            active: o.active,
            version: o.version,
        }
    }
}

/// An organization as lists show it, with its sizes.
#[derive(Serialize, ToSchema)]
#[schema(as = OrganizationItem)]
pub(crate) struct ApiOrganizationItem {
    /// The organization.
    #[serde(flatten)]
    organization: ApiOrganization,
    /// Its active units.
    unit_count: i64,
    /// Its active people.
    person_count: i64,
}

impl From<OrganizationSummary> for ApiOrganizationItem {
    fn from(s: OrganizationSummary) -> Self {
        Self {
            organization: s.organization.into(),
            unit_count: s.units,
            person_count: s.people,
        }
    }
}

/// A page of organizations.
#[derive(Serialize, ToSchema)]
pub(crate) struct OrganizationPage {
    /// The organizations of this page, by id.
    items: Vec<ApiOrganizationItem>,
    /// The address of the next page (path and query), or null on the last.
    next: Option<String>,
}

/// What kind of unit.
#[derive(Clone, Copy, Serialize, Deserialize, ToSchema)]
#[schema(as = UnitKind)]
#[serde(rename_all = "snake_case")]
pub(crate) enum ApiUnitKind {
    /// Division (Bereich).
    Division,
    /// Department (Abteilung).
    Department,
    /// Team.
    Team,
    /// Secretariat or office.
    Secretariat,
    /// Anything else.
    Other,
}

impl From<ApiUnitKind> for UnitKind {
    fn from(kind: ApiUnitKind) -> Self {
        match kind {
            ApiUnitKind::Division => Self::Division,
            ApiUnitKind::Department => Self::Department,
            ApiUnitKind::Team => Self::Team,
            ApiUnitKind::Secretariat => Self::Secretariat,
            ApiUnitKind::Other => Self::Other,
        }
    }
}

impl From<UnitKind> for ApiUnitKind {
    fn from(kind: UnitKind) -> Self {
        match kind {
            UnitKind::Division => Self::Division,
            UnitKind::Department => Self::Department,
            UnitKind::Team => Self::Team,
            UnitKind::Secretariat => Self::Secretariat,
            UnitKind::Other => Self::Other,
        }
    }
}

/// A unit of an organization.
#[derive(Serialize, ToSchema)]
#[schema(as = Unit)]
pub(crate) struct ApiUnit {
    /// Its id.
    id: i64,
    /// The organization it belongs to.
    organization_id: i64,
    /// The unit above it; null for a top unit.
    parent_id: Option<i64>,
    /// Its name.
    name: String,
    /// Its kind.
    kind: ApiUnitKind,
    /// Depth in the tree, 0 for top units.
    depth: usize,
    /// False once deactivated.
    active: bool,
    /// Counts up with every change.
    version: i64,
}

impl From<UnitNode> for ApiUnit {
    fn from(node: UnitNode) -> Self {
        let u = node.unit;
        Self {
            id: u.id.get(),
            organization_id: u.organization_id.get(),
            parent_id: u.parent_id.map(UnitId::get),
            name: u.name,
            kind: u.kind.into(),
            depth: node.depth,
            active: u.active,
            version: u.version,
        }
    }
}

/// The units of an organization, each after its parent (the whole tree, not paged).
#[derive(Serialize, ToSchema)]
pub(crate) struct UnitList {
    /// The organization.
    organization_id: i64,
    /// Its units, each after its parent.
    items: Vec<ApiUnit>,
}

/// A person (of ours or of a partner).
#[derive(Serialize, ToSchema)]
#[schema(as = Person)]
pub(crate) struct ApiPerson {
    /// Its id.
    id: i64,
    /// The organization of the current position.
    organization_id: i64,
    /// The unit of the current position.
    unit_id: Option<i64>,
    /// The name as shown, e.g. "Dr. Katharina Schneider".
    display_name: String,
    /// Academic title, e.g. "Dr.".
    academic_title: Option<String>,
    /// Given name(s).
    given_name: Option<String>,
    /// Family name.
    family_name: String,
    /// Job title in the person's own organization.
    job_title: Option<String>,
    /// Rung on the shared ladder.
    level_id: Option<i64>,
    /// Function (sales, assistant…).
    function_id: Option<i64>,
    /// Direct manager.
    reports_to_id: Option<i64>,
    /// The boss this person assists.
    assistant_of_id: Option<i64>,
    /// E-mail address.
    email: Option<String>,
    /// Office phone.
    phone: Option<String>,
    /// Mobile phone.
    mobile: Option<String>,
    /// Free notes.
    notes: Option<String>,
    /// False once deactivated.
    active: bool,
    /// Counts up with every change.
    version: i64,
}

impl ApiPerson {
    /// The person's id.
    pub(super) fn id(&self) -> i64 {
        self.id
    }
}

impl From<Person> for ApiPerson {
    fn from(p: Person) -> Self {
        Self {
            display_name: p.display_name(),
            id: p.id.get(),
            organization_id: p.organization_id.get(),
            unit_id: p.unit_id.map(UnitId::get),
            academic_title: p.academic_title,
            given_name: p.given_name,
            family_name: p.family_name,
            job_title: p.job_title,
            level_id: p.level_id.map(|l| l.get()),
            function_id: p.function_id.map(|f| f.get()),
            reports_to_id: p.reports_to_id.map(PersonId::get),
            assistant_of_id: p.assistant_of_id.map(PersonId::get),
            email: p.email,
            phone: p.phone,
            mobile: p.mobile,
            notes: p.notes,
            active: p.active,
            version: p.version,
        }
    }
}

/// What an account is to us.
#[derive(Clone, Copy, Serialize, Deserialize, ToSchema)]
#[schema(as = Relation)]
#[serde(rename_all = "snake_case")]
pub(crate) enum ApiRelation {
    /// We sell to them.
    Customer,
    /// We buy from them.
    Supplier,
    /// Both.
    Both,
}

impl From<ApiRelation> for Relation {
    fn from(r: ApiRelation) -> Self {
        match r {
            ApiRelation::Customer => Self::Customer,
            ApiRelation::Supplier => Self::Supplier,
            ApiRelation::Both => Self::Both,
        }
    }
}

impl From<Relation> for ApiRelation {
    fn from(r: Relation) -> Self {
        match r {
            Relation::Customer => Self::Customer,
            Relation::Supplier => Self::Supplier,
            Relation::Both => Self::Both,
        }
    }
}

/// How the relationship is organized.
#[derive(Clone, Copy, Serialize, Deserialize, ToSchema)]
#[schema(as = ManagementMode)]
#[serde(rename_all = "snake_case")]
pub(crate) enum ApiManagementMode {
    /// Counterparts level by level.
    Hierarchical,
    /// One key account manager.
    SingleManager,
    /// A regular customer jour fixe.
    JourFixe,
}

impl From<ApiManagementMode> for ManagementMode {
    fn from(m: ApiManagementMode) -> Self {
        match m {
            ApiManagementMode::Hierarchical => Self::Hierarchical,
            ApiManagementMode::SingleManager => Self::SingleManager,
            ApiManagementMode::JourFixe => Self::JourFixe,
        }
    }
}

impl From<ManagementMode> for ApiManagementMode {
    fn from(m: ManagementMode) -> Self {
        match m {
            ManagementMode::Hierarchical => Self::Hierarchical,
            ManagementMode::SingleManager => Self::SingleManager,
            ManagementMode::JourFixe => Self::JourFixe,
        }
    }
}

/// Importance tier.
#[derive(Clone, Copy, Serialize, Deserialize, ToSchema)]
#[schema(as = Tier)]
pub(crate) enum ApiTier {
    /// The most important accounts.
    A,
    /// Important.
    B,
    /// The rest.
    C,
}

impl From<ApiTier> for Tier {
    fn from(t: ApiTier) -> Self {
        match t {
            ApiTier::A => Self::A,
            ApiTier::B => Self::B,
            ApiTier::C => Self::C,
        }
    }
}

impl From<Tier> for ApiTier {
    fn from(t: Tier) -> Self {
        match t {
            Tier::A => Self::A,
            Tier::B => Self::B,
            Tier::C => Self::C,
        }
    }
}

/// Which relations an account list shows (each includes accounts that are both).
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
#[expect(
    dead_code,
    reason = "only described in the OpenAPI document; the query is parsed by name"
)]
pub(crate) enum RelationFilter {
    /// Customers.
    Customer,
    /// Suppliers.
    Supplier,
}

/// Which side an account list shows.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
#[expect(
    dead_code,
    reason = "only described in the OpenAPI document; the query is parsed by name"
)]
pub(crate) enum SideFilter {
    /// Neighbouring departments, kept as organizations or units of our own house.
    Internal,
    /// Companies outside.
    External,
}

/// An account: a partner organization (or a unit of it) we keep a relationship with.
#[derive(Serialize, ToSchema)]
#[schema(as = Account)]
pub(crate) struct ApiAccount {
    /// Its id.
    id: i64,
    /// The partner organization.
    organization_id: i64,
    /// A unit of that organization, when the account is only part of it.
    unit_id: Option<i64>,
    /// Its name.
    name: String,
    /// Customer, supplier or both.
    relation: ApiRelation,
    /// How the relationship is organized.
    mode: ApiManagementMode,
    /// Our responsible unit.
    responsible_unit_id: Option<i64>,
    /// Our key account manager (a person).
    manager_id: Option<i64>,
    /// Free notes.
    notes: Option<String>,
    /// Restricted to the responsible unit and the units above it: only they and
    /// administrators see the account (to everyone else it does not exist).
    restricted: bool,
    /// False once deactivated.
    active: bool,
    /// Counts up with every change.
    version: i64,
}

impl From<Account> for ApiAccount {
    fn from(a: Account) -> Self {
        Self {
            id: a.id.get(),
            organization_id: a.organization_id.get(),
            unit_id: a.unit_id.map(UnitId::get),
            name: a.name,
            relation: a.relation.into(),
            mode: a.mode.into(),
            responsible_unit_id: a.responsible_unit_id.map(UnitId::get),
            manager_id: a.manager_id.map(PersonId::get),
            notes: a.notes,
            restricted: a.restricted,
            active: a.active,
            version: a.version,
        }
    }
}

/// An account as lists show it.
#[derive(Serialize, ToSchema)]
#[schema(as = AccountItem)]
pub(crate) struct ApiAccountItem {
    /// The account.
    #[serde(flatten)]
    account: ApiAccount,
    /// The partner organization's name.
    organization_name: String,
    /// An internal account (a neighbouring department) rather than an external company.
    internal: bool,
    /// Importance score 0–100, if rated.
    score: Option<f64>,
    /// Importance tier, if rated.
    tier: Option<ApiTier>,
    /// Key contacts.
    key_contacts: i64,
    /// Key contacts without a current counterpart.
    gaps: i64,
}

impl From<AccountSummary> for ApiAccountItem {
    fn from(s: AccountSummary) -> Self {
        Self {
            account: s.account.into(),
            organization_name: s.organization_name,
            internal: s.internal,
            score: s.score,
            tier: s.tier.map(Into::into),
            key_contacts: s.contacts,
            gaps: s.gaps,
        }
    }
}

/// A page of accounts.
#[derive(Serialize, ToSchema)]
pub(crate) struct AccountPage {
    /// The accounts of this page, by id.
    items: Vec<ApiAccountItem>,
    /// The address of the next page (path and query), or null on the last.
    next: Option<String>,
}

/// The parameters of a query string, each checked once; any other is refused.
pub(super) struct QueryParams(Vec<(String, String)>);

impl QueryParams {
    pub(super) fn parse(raw: Option<&str>, known: &[&str]) -> Result<Self, Problem> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw.unwrap_or(""))
            .map_err(|_| Problem::new(StatusCode::BAD_REQUEST, "The query string is malformed."))?;
        for (i, (name, _)) in pairs.iter().enumerate() {
            if !known.contains(&name.as_str()) {
                return Err(Problem::bad_param(
                    name,
                    format!("unknown parameter; known are {}", known.join(", ")),
                ));
            }
            if pairs[..i].iter().any(|(n, _)| n == name) {
                return Err(Problem::bad_param(name, "given more than once"));
            }
            // The document gives every parameter a type an empty value does not fit.
            if pairs[i].1.is_empty() {
                return Err(Problem::bad_param(
                    name,
                    "is empty; give a value or leave the parameter out",
                ));
            }
        }
        Ok(Self(pairs))
    }

    /// A parameter's value, if given (never empty: `parse` refused that).
    pub(super) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, v)| n == name && !v.is_empty())
            .map(|(_, v)| v.as_str())
    }

    /// A parameter that is one of the values of a closed set.
    pub(super) fn one_of<T: std::str::FromStr>(
        &self,
        name: &str,
        all: &[&str],
    ) -> Result<Option<T>, Problem> {
        self.get(name)
            .map(|v| {
                v.parse().map_err(|_| {
                    Problem::bad_param(name, format!("must be one of {}", all.join(", ")))
                })
            })
            .transpose()
    }

    pub(super) fn id(&self, name: &str) -> Result<Option<i64>, Problem> {
        self.get(name).map(|v| parse_id(name, v)).transpose()
    }

    pub(super) fn flag(&self, name: &str) -> Result<bool, Problem> {
        match self.get(name) {
            None | Some("0" | "false") => Ok(false),
            Some("1" | "true") => Ok(true),
            Some(_) => Err(Problem::bad_param(name, "must be true or false")),
        }
    }

    /// The page window: `after` (an id) and `limit`.
    pub(super) fn seek(&self) -> Result<(Option<i64>, u32), Problem> {
        Ok((self.id("after")?, self.limit()?))
    }

    /// How many items a page holds: `limit`, 1 to [`MAX_LIMIT`] (default [`DEFAULT_LIMIT`]).
    pub(super) fn limit(&self) -> Result<u32, Problem> {
        match self.get("limit") {
            None => Ok(DEFAULT_LIMIT),
            Some(v) => v
                .parse::<u32>()
                .ok()
                .filter(|l| (1..=MAX_LIMIT).contains(l))
                .ok_or_else(|| {
                    Problem::bad_param(
                        "limit",
                        format!("must be a whole number from 1 to {MAX_LIMIT}"),
                    )
                }),
        }
    }

    /// A day, `YYYY-MM-DD`.
    pub(super) fn date(&self, name: &str) -> Result<Option<chrono::NaiveDate>, Problem> {
        self.get(name)
            .map(|v| {
                chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d")
                    .map_err(|_| Problem::bad_param(name, "must be a day, YYYY-MM-DD"))
            })
            .transpose()
    }

    /// The address of this list (path and query) from `after` on: this query with `after`
    /// replaced, for lists whose key is not an id.
    pub(super) fn next_after(&self, path: &str, after: &str) -> String {
        let mut pairs: Vec<(&str, &str)> = self
            .0
            .iter()
            .filter(|(n, v)| n != "after" && !v.is_empty())
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        pairs.push(("after", after));
        let query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
        format!("/api/v1{path}?{query}")
    }

    /// The address of the page after `last`: this query with `after` replaced.
    fn next(&self, path: &str, last: i64) -> String {
        self.next_after(path, &last.to_string())
    }
}

/// An id in a path or query: a whole number (unknown ones are 404 where they are looked up).
pub(super) fn parse_id(name: &str, value: &str) -> Result<i64, Problem> {
    value
        .parse::<i64>()
        .ok()
        .filter(|id| *id >= 0)
        .ok_or_else(|| Problem::bad_param(name, "must be a whole number (an id)"))
}

/// A page of a list: at most `limit` of `rows` (one more was read to tell whether another
/// page follows) and the address of the next.
pub(super) fn page<R, T: From<R>>(
    mut rows: Vec<R>,
    limit: u32,
    query: &QueryParams,
    path: &str,
    id: impl Fn(&T) -> i64,
) -> (Vec<T>, Option<String>) {
    let more = rows.len() > limit as usize;
    rows.truncate(limit as usize);
    let items: Vec<T> = rows.into_iter().map(T::from).collect();
    let next = more
        .then(|| items.last().map(|last| query.next(path, id(last))))
        .flatten();
    (items, next)
}

/// A JSON answer with its `ETag` (a hash of the body), or 304 when the client holds it
/// already (`If-None-Match`).
pub(super) fn tagged<T: Serialize>(request: &HeaderMap, body: &T) -> Result<Response, Problem> {
    let bytes = serde_json::to_vec(body).map_err(|e| {
        tracing::error!(error.detail = %e, "api answer not serialized");
        Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong.")
    })?;
    let tag = format!("W/\"{:016x}\"", fnv1a(&bytes));
    let held = request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .any(|t| t == "*" || t.trim_start_matches("W/") == tag.trim_start_matches("W/"));
    let mut response = if held {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            bytes,
        )
            .into_response()
    };
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&tag) {
        headers.insert(header::ETAG, value);
    }
    // Kept by the client only, and asked again each time (cheap with `If-None-Match`).
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    Ok(response)
}

/// FNV-1a, 64 bits: the same on every instance and release, unlike `DefaultHasher`.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, b| {
        (hash ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// A JSON answer without a tag (lists: their pages change as others write).
pub(super) fn plain<T: Serialize>(body: T) -> Response {
    axum::Json(body).into_response()
}

/// Lists organizations by id, a page at a time.
#[utoipa::path(
    get,
    path = "/organizations",
    tag = "organizations",
    operation_id = "listOrganizations",
    params(
        ("kind" = Option<ApiOrganizationKind>, Query, description = "Only organizations of this kind."),
        ("inactive" = Option<bool>, Query, description = "Include deactivated ones (default false)."),
        ("after" = Option<i64>, Query, minimum = 0, description = "Only those with an id above this: the last id of the page before (the `next` address carries it)."),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 200, description = "Items per page, 1 to 200 (default 50)."),
    ),
    responses(
        (status = 200, description = "A page of organizations, by id.", body = OrganizationPage),
        (status = 400, description = "A parameter is wrong; `invalid_params` names it.", body = super::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn organizations(
    State(state): State<AppState>,
    bearer: Bearer,
    RawQuery(raw): RawQuery,
) -> Result<Response, Problem> {
    let query = QueryParams::parse(raw.as_deref(), &["kind", "inactive", "after", "limit"])?;
    let filter = OrganizationFilter {
        kind: query.one_of("kind", &["own", "external", "internal"])?,
        include_inactive: query.flag("inactive")?,
        page: None,
    };
    let (after, limit) = query.seek()?;
    let rows = state
        .app
        .organizations_after(
            &bearer.principal,
            &filter,
            after.map(OrganizationId::new),
            limit + 1,
        )
        .await?;
    let (items, next) = page(
        rows,
        limit,
        &query,
        "/organizations",
        |o: &ApiOrganizationItem| o.organization.id,
    );
    Ok(plain(OrganizationPage { items, next }))
}

/// One organization.
#[utoipa::path(
    get,
    path = "/organizations/{id}",
    tag = "organizations",
    operation_id = "getOrganization",
    params(("id" = i64, Path, minimum = 0, description = "The organization's id.")),
    responses(
        (status = 200, description = "The organization.", body = ApiOrganization, headers(("ETag" = String, description = "The version, such as \"v3\": send it as `If-None-Match` to be told 304 while it is unchanged, and as `If-Match` to change it."))),
        (status = 304, description = "Unchanged since the `ETag` sent."),
        (status = 400, description = "The id is not a number.", body = super::ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such organization.", body = super::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn organization(
    State(state): State<AppState>,
    bearer: Bearer,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let id = OrganizationId::new(parse_id("id", &id)?);
    let organization = state.app.organization(&bearer.principal, id).await?;
    Ok(versioned(
        &headers,
        organization.version,
        &ApiOrganization::from(organization),
    ))
}

/// The units of an organization as a tree, each after its parent.
#[utoipa::path(
    get,
    path = "/organizations/{id}/units",
    tag = "organizations",
    operation_id = "listOrganizationUnits",
    params(("id" = i64, Path, minimum = 0, description = "The organization's id.")),
    responses(
        (status = 200, description = "Its units, each after its parent.", body = UnitList, headers(("ETag" = String, description = "Send it as `If-None-Match` to be told 304 while they are unchanged."))),
        (status = 304, description = "Unchanged since the `ETag` sent."),
        (status = 400, description = "The id is not a number.", body = super::ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such organization.", body = super::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn organization_units(
    State(state): State<AppState>,
    bearer: Bearer,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let id = OrganizationId::new(parse_id("id", &id)?);
    let (organization, units) = state.app.organization_units(&bearer.principal, id).await?;
    tagged(
        &headers,
        &UnitList {
            organization_id: organization.id.get(),
            items: units.into_iter().map(ApiUnit::from).collect(),
        },
    )
}

/// One person.
#[utoipa::path(
    get,
    path = "/people/{id}",
    tag = "people",
    operation_id = "getPerson",
    params(("id" = i64, Path, minimum = 0, description = "The person's id.")),
    responses(
        (status = 200, description = "The person.", body = ApiPerson, headers(("ETag" = String, description = "The version, such as \"v3\": send it as `If-None-Match` to be told 304 while it is unchanged, and as `If-Match` to change it."))),
        (status = 304, description = "Unchanged since the `ETag` sent."),
        (status = 400, description = "The id is not a number.", body = super::ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such person.", body = super::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn person(
    State(state): State<AppState>,
    bearer: Bearer,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let id = PersonId::new(parse_id("id", &id)?);
    let person = state.app.person(&bearer.principal, id).await?;
    Ok(versioned(
        &headers,
        person.version,
        &ApiPerson::from(person),
    ))
}

/// The filters of an account list, as the account list and the matrix pages take them:
/// `relation` (customer or supplier, each with the accounts that are both), `side`
/// (internal or external), `tier`, `unit` (our responsible unit). Active accounts only.
pub(super) fn account_filter(query: &QueryParams) -> Result<AccountFilter, Problem> {
    let relation: Option<Relation> = query.one_of("relation", &["customer", "supplier"])?;
    if relation == Some(Relation::Both) {
        return Err(Problem::bad_param(
            "relation",
            "must be one of customer, supplier",
        ));
    }
    let internal = match query.get("side") {
        None => None,
        Some("internal") => Some(true),
        Some("external") => Some(false),
        Some(_) => {
            return Err(Problem::bad_param(
                "side",
                "must be one of internal, external",
            ));
        }
    };
    Ok(AccountFilter {
        relation,
        internal,
        tier: query.one_of("tier", &["A", "B", "C"])?,
        responsible_unit_id: query.id("unit")?.map(UnitId::new),
        responsible_unit_ids: Vec::new(),
        include_inactive: false,
        attention_below: None,
    })
}

/// Lists accounts by id, a page at a time.
#[utoipa::path(
    get,
    path = "/accounts",
    tag = "accounts",
    operation_id = "listAccounts",
    params(
        ("relation" = Option<RelationFilter>, Query, description = "`customer` or `supplier` (each includes accounts that are both)."),
        ("side" = Option<SideFilter>, Query, description = "`internal` or `external` accounts only."),
        ("tier" = Option<ApiTier>, Query, description = "Only accounts of this importance tier."),
        ("unit" = Option<i64>, Query, minimum = 0, description = "Only accounts this unit of ours is responsible for."),
        ("inactive" = Option<bool>, Query, description = "Include deactivated ones (default false)."),
        ("after" = Option<i64>, Query, minimum = 0, description = "Only those with an id above this: the last id of the page before (the `next` address carries it)."),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 200, description = "Items per page, 1 to 200 (default 50)."),
    ),
    responses(
        (status = 200, description = "A page of accounts, by id.", body = AccountPage),
        (status = 400, description = "A parameter is wrong; `invalid_params` names it.", body = super::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn accounts(
    State(state): State<AppState>,
    bearer: Bearer,
    RawQuery(raw): RawQuery,
) -> Result<Response, Problem> {
    let query = QueryParams::parse(
        raw.as_deref(),
        &[
            "relation", "side", "tier", "unit", "inactive", "after", "limit",
        ],
    )?;
    let filter = AccountFilter {
        include_inactive: query.flag("inactive")?,
        ..account_filter(&query)?
    };
    let (after, limit) = query.seek()?;
    let rows = state
        .app
        .accounts_after(
            &bearer.principal,
            &filter,
            after.map(AccountId::new),
            limit + 1,
        )
        .await?;
    let (items, next) = page(rows, limit, &query, "/accounts", |a: &ApiAccountItem| {
        a.account.id
    });
    Ok(plain(AccountPage { items, next }))
}

/// One account.
#[utoipa::path(
    get,
    path = "/accounts/{id}",
    tag = "accounts",
    operation_id = "getAccount",
    params(("id" = i64, Path, minimum = 0, description = "The account's id.")),
    responses(
        (status = 200, description = "The account.", body = ApiAccount, headers(("ETag" = String, description = "The version, such as \"v3\": send it as `If-None-Match` to be told 304 while it is unchanged, and as `If-Match` to change it."))),
        (status = 304, description = "Unchanged since the `ETag` sent."),
        (status = 400, description = "The id is not a number.", body = super::ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such account.", body = super::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn account(
    State(state): State<AppState>,
    bearer: Bearer,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let id = AccountId::new(parse_id("id", &id)?);
    let account = state.app.account(&bearer.principal, id).await?;
    Ok(versioned(
        &headers,
        account.version,
        &ApiAccount::from(account),
    ))
}
