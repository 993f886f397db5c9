//! Importance through the API: the criteria the team rates accounts by (read by everyone,
//! created and changed by administrators, as on the importance page; a criterion's `ETag` is
//! its version), an account's importance as its page shows it, and the token user's own
//! ratings of an account (set as the account page's importance form does; their `ETag` is a
//! fingerprint of those ratings, since a member's ratings carry no version).

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use counterpart_app::accounts::{AccountImportance, MyRatings};
use counterpart_core::ids::{AccountId, CriterionId};
use counterpart_core::importance::{Criterion, CriterionInput, Scope, Spread};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::api::resources::{ApiTier, parse_id, tagged};
use crate::api::write::{
    IfMatch, IfMatchTag, JsonBody, changed, changed_as, created, tagged_as, versioned,
};
use crate::api::{Bearer, InvalidParam, Problem, Writer};

/// The most ratings one change may name: more than any team defines criteria.
const MAX_RATINGS: usize = 100;

/// Which accounts a criterion applies to.
#[derive(Clone, Copy, Serialize, Deserialize, ToSchema)]
#[schema(as = CriterionScope)]
#[serde(rename_all = "snake_case")]
pub(crate) enum ApiScope {
    /// Every account.
    All,
    /// Customers (and accounts that are both), outside our house.
    Customer,
    /// Suppliers (and accounts that are both), outside our house.
    Supplier,
    /// Neighbouring departments of our own house.
    Internal,
}

impl From<ApiScope> for Scope {
    fn from(scope: ApiScope) -> Self {
        match scope {
            ApiScope::All => Self::All,
            ApiScope::Customer => Self::Customer,
            ApiScope::Supplier => Self::Supplier,
            ApiScope::Internal => Self::Internal,
        }
    }
}

impl From<Scope> for ApiScope {
    fn from(scope: Scope) -> Self {
        match scope {
            Scope::All => Self::All,
            Scope::Customer => Self::Customer,
            Scope::Supplier => Self::Supplier,
            Scope::Internal => Self::Internal,
        }
    }
}

/// An importance criterion: what "important" means, defined by the team.
#[derive(Serialize, ToSchema)]
#[schema(as = Criterion)]
pub(crate) struct ApiCriterion {
    /// Its id.
    id: i64,
    /// German name.
    name_de: String,
    /// English name.
    name_en: String,
    /// German description (what a 1 and a 5 mean).
    description_de: String,
    /// English description.
    description_en: String,
    /// Which accounts it applies to.
    scope: ApiScope,
    /// Its weight, 0–100, set after the team discussed the proposals.
    weight: f64,
    /// Its place in the order the pages show criteria in.
    rank: i64,
    /// Counts up with every change.
    version: i64,
}

impl From<Criterion> for ApiCriterion {
    fn from(c: Criterion) -> Self {
        Self {
            id: c.id.get(),
            name_de: c.name_de,
            name_en: c.name_en,
            description_de: c.description_de,
            description_en: c.description_en,
            scope: c.scope.into(),
            weight: c.weight,
            rank: c.rank,
            version: c.version,
        }
    }
}

/// The criteria in their order (few: the whole list, not paged).
#[derive(Serialize, ToSchema)]
pub(crate) struct CriterionList {
    /// The criteria, in the order the pages show them.
    items: Vec<ApiCriterion>,
}

/// A criterion's fields, new or as they are to be.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CriterionBody {
    /// German name, 1 to 120 characters.
    name_de: String,
    /// English name, 1 to 120 characters.
    name_en: String,
    /// German description, up to 2,000 characters; left out, it is emptied.
    #[serde(default)]
    description_de: Option<String>,
    /// English description, up to 2,000 characters; left out, it is emptied.
    #[serde(default)]
    description_en: Option<String>,
    /// Which accounts it applies to.
    scope: ApiScope,
    /// Its weight, 0 to 100.
    weight: f64,
}

impl CriterionBody {
    /// The fields checked as the importance page's form checks them (422 naming each).
    fn input(&self) -> Result<CriterionInput, Problem> {
        Ok(CriterionInput::parse(
            &self.name_de,
            &self.name_en,
            self.description_de.as_deref().unwrap_or(""),
            self.description_en.as_deref().unwrap_or(""),
            Scope::from(self.scope).as_str(),
            &self.weight.to_string(),
        )?)
    }
}

/// Lists the importance criteria in their order.
#[utoipa::path(
    get,
    path = "/criteria",
    tag = "importance",
    operation_id = "listCriteria",
    responses(
        (status = 200, description = "The criteria in their order.", body = CriterionList, headers(("ETag" = String, description = "Send it as `If-None-Match` to be told 304 while they are unchanged."))),
        (status = 304, description = "Unchanged since the `ETag` sent."),
    ),
)]
pub(crate) async fn criteria(
    State(state): State<AppState>,
    bearer: Bearer,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let items = state
        .app
        .criteria(&bearer.principal)
        .await?
        .into_iter()
        .map(ApiCriterion::from)
        .collect();
    tagged(&headers, &CriterionList { items })
}

/// One importance criterion.
#[utoipa::path(
    get,
    path = "/criteria/{id}",
    tag = "importance",
    operation_id = "getCriterion",
    params(("id" = i64, Path, minimum = 0, description = "The criterion's id.")),
    responses(
        (status = 200, description = "The criterion.", body = ApiCriterion, headers(("ETag" = String, description = "The version, such as \"v3\": send it as `If-None-Match` to be told 304 while it is unchanged, and as `If-Match` to change it."))),
        (status = 304, description = "Unchanged since the `ETag` sent."),
        (status = 400, description = "The id is not a number.", body = crate::api::ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such criterion.", body = crate::api::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn criterion(
    State(state): State<AppState>,
    bearer: Bearer,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let id = CriterionId::new(parse_id("id", &id)?);
    let criterion = state.app.criterion(&bearer.principal, id).await?;
    Ok(versioned(
        &headers,
        criterion.version,
        &ApiCriterion::from(criterion),
    ))
}

/// Adds a criterion (administrators, as on the importance page).
#[utoipa::path(
    post,
    path = "/criteria",
    tag = "importance",
    operation_id = "createCriterion",
    request_body = CriterionBody,
    responses(
        (status = 201, description = "Created; `Location` is its address.", body = ApiCriterion, headers(("Location" = String, description = "The new criterion's address."), ("ETag" = String, description = "Its version."))),
    ),
)]
pub(crate) async fn create_criterion(
    State(state): State<AppState>,
    Writer(bearer): Writer,
    JsonBody(body): JsonBody<CriterionBody>,
) -> Result<Response, Problem> {
    bearer.principal.may_administer()?;
    let criterion = state
        .app
        .create_criterion(&bearer.principal, &body.input()?)
        .await?;
    Ok(created(
        format!("/api/v1/criteria/{}", criterion.id.get()),
        criterion.version,
        &ApiCriterion::from(criterion),
    ))
}

/// Changes a criterion (administrators, as on the importance page).
#[utoipa::path(
    put,
    path = "/criteria/{id}",
    tag = "importance",
    operation_id = "updateCriterion",
    params(("id" = i64, Path, minimum = 0, description = "The criterion's id.")),
    request_body = CriterionBody,
    responses(
        (status = 200, description = "Changed; the criterion as it is now.", body = ApiCriterion, headers(("ETag" = String, description = "Its new version."))),
        (status = 404, description = "No such criterion.", body = crate::api::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn update_criterion(
    State(state): State<AppState>,
    Writer(bearer): Writer,
    Path(id): Path<String>,
    IfMatch(version): IfMatch,
    JsonBody(body): JsonBody<CriterionBody>,
) -> Result<Response, Problem> {
    let id = CriterionId::new(parse_id("id", &id)?);
    bearer.principal.may_administer()?;
    let criterion = state
        .app
        .update_criterion(&bearer.principal, id, version, &body.input()?)
        .await?;
    Ok(changed(criterion.version, &ApiCriterion::from(criterion)))
}

/// How the members rated an account on one criterion.
#[derive(Serialize, ToSchema)]
#[schema(as = RatingSpread)]
pub(crate) struct ApiSpread {
    /// How many members rated.
    count: usize,
    /// Their mean, 1–5.
    mean: f64,
    /// The lowest rating.
    min: f64,
    /// The highest rating.
    max: f64,
}

impl From<Spread> for ApiSpread {
    fn from(s: Spread) -> Self {
        Self {
            count: s.count,
            mean: s.mean,
            min: s.min,
            max: s.max,
        }
    }
}

/// One criterion of an account's importance.
#[derive(Serialize, ToSchema)]
#[schema(as = ImportanceLine)]
pub(crate) struct ApiImportanceLine {
    /// The criterion (`/criteria/{id}`).
    criterion_id: i64,
    /// Its German name.
    name_de: String,
    /// Its English name.
    name_en: String,
    /// Its weight.
    weight: f64,
    /// How the members rated the account on it; null before anyone did.
    ratings: Option<ApiSpread>,
    /// Whether the members' ratings lie far apart (worth discussing).
    disputed: bool,
    /// The points it adds to the score; null while unrated.
    points: Option<f64>,
    /// The token user's own rating, 1–5, if any.
    mine: Option<i64>,
}

/// An account's importance as its page shows it.
#[derive(Serialize, ToSchema)]
#[schema(as = AccountImportance)]
pub(crate) struct ApiAccountImportance {
    /// The account.
    account_id: i64,
    /// The importance score, 0–100; null before anyone rated it.
    score: Option<f64>,
    /// Its tier by the thresholds; null before anyone rated it.
    tier: Option<ApiTier>,
    /// The criteria that apply to the account, in their order.
    criteria: Vec<ApiImportanceLine>,
}

impl From<AccountImportance> for ApiAccountImportance {
    fn from(view: AccountImportance) -> Self {
        Self {
            account_id: view.account.id.get(),
            score: view.score.as_ref().map(|s| s.value),
            tier: view.score.as_ref().map(|s| s.tier.into()),
            criteria: view
                .criteria
                .into_iter()
                .map(|line| ApiImportanceLine {
                    criterion_id: line.criterion.id.get(),
                    name_de: line.criterion.name_de,
                    name_en: line.criterion.name_en,
                    weight: line.criterion.weight,
                    ratings: line.spread.map(ApiSpread::from),
                    disputed: line.disputed,
                    points: line.points,
                    mine: line.mine,
                })
                .collect(),
        }
    }
}

/// An account's importance: its score and tier, and each criterion that applies with the
/// members' ratings, as the account page shows it.
#[utoipa::path(
    get,
    path = "/accounts/{id}/importance",
    tag = "importance",
    operation_id = "getAccountImportance",
    params(("id" = i64, Path, minimum = 0, description = "The account's id.")),
    responses(
        (status = 200, description = "The account's importance.", body = ApiAccountImportance, headers(("ETag" = String, description = "Send it as `If-None-Match` to be told 304 while it is unchanged."))),
        (status = 304, description = "Unchanged since the `ETag` sent."),
        (status = 400, description = "The id is not a number.", body = crate::api::ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such account.", body = crate::api::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn account_importance(
    State(state): State<AppState>,
    bearer: Bearer,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let id = AccountId::new(parse_id("id", &id)?);
    let view = state.app.account_importance(&bearer.principal, id).await?;
    tagged(&headers, &ApiAccountImportance::from(view))
}

/// One rating of one criterion.
#[derive(Serialize, Deserialize, ToSchema)]
#[schema(as = CriterionScore)]
#[serde(deny_unknown_fields)]
pub(crate) struct ApiCriterionScore {
    /// The criterion (`/criteria/{id}`).
    criterion_id: i64,
    /// 1 (unimportant) to 5 (very important).
    score: i64,
}

/// The token user's own importance ratings of an account.
#[derive(Serialize, ToSchema)]
#[schema(as = MyImportance)]
pub(crate) struct ApiMyImportance {
    /// The account.
    account_id: i64,
    /// Their rating per criterion, by criterion.
    ratings: Vec<ApiCriterionScore>,
}

impl ApiMyImportance {
    /// The answer, with the ratings' tag.
    fn answer(mine: MyRatings) -> (String, Self) {
        let body = Self {
            account_id: mine.account_id.get(),
            ratings: mine
                .ratings
                .into_iter()
                .map(|(criterion, score)| ApiCriterionScore {
                    criterion_id: criterion.get(),
                    score,
                })
                .collect(),
        };
        (mine.tag, body)
    }
}

/// The token user's importance ratings of an account as they are to be.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct MyImportanceChange {
    /// A score per criterion rated, of those that apply to the account (each once, at most
    /// 100); every criterion that applies but is not named is not rated by the user any more.
    ratings: Vec<ApiCriterionScore>,
}

/// The token user's own importance ratings of an account.
#[utoipa::path(
    get,
    path = "/accounts/{id}/importance/mine",
    tag = "importance",
    operation_id = "getMyImportance",
    params(("id" = i64, Path, minimum = 0, description = "The account's id.")),
    responses(
        (status = 200, description = "The user's own ratings.", body = ApiMyImportance, headers(("ETag" = String, description = "A fingerprint of these ratings, such as \"r0f3c…\": send it as `If-Match` to change them."))),
        (status = 304, description = "Unchanged since the `ETag` sent."),
        (status = 400, description = "The id is not a number.", body = crate::api::ProblemBody, content_type = "application/problem+json"),
        (status = 403, description = "The token speaks for no user (ratings are a member's own).", body = crate::api::ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such account.", body = crate::api::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn my_importance(
    State(state): State<AppState>,
    bearer: Bearer,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let id = AccountId::new(parse_id("id", &id)?);
    let mine = state.app.my_importance(&bearer.principal, id).await?;
    let (tag, body) = ApiMyImportance::answer(mine);
    Ok(tagged_as(&headers, &tag, &body))
}

/// Sets the token user's own importance ratings of an account, as the account page's
/// importance form does: the account's score follows. `If-Match` is the `ETag` of the
/// ratings read (a fingerprint of them: they carry no version); if they changed since, 412.
#[utoipa::path(
    put,
    path = "/accounts/{id}/importance/mine",
    tag = "importance",
    operation_id = "rateImportance",
    params(("id" = i64, Path, minimum = 0, description = "The account's id.")),
    request_body = MyImportanceChange,
    responses(
        (status = 200, description = "Set; the user's ratings as they are now.", body = ApiMyImportance, headers(("ETag" = String, description = "Their new fingerprint."))),
        (status = 404, description = "No such account.", body = crate::api::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn rate_importance(
    State(state): State<AppState>,
    Writer(bearer): Writer,
    Path(id): Path<String>,
    IfMatchTag(seen): IfMatchTag,
    JsonBody(body): JsonBody<MyImportanceChange>,
) -> Result<Response, Problem> {
    let id = AccountId::new(parse_id("id", &id)?);
    let who = &bearer.principal;
    who.may_edit()?;
    if body.ratings.len() > MAX_RATINGS {
        return Err(Problem::bad_field(
            "ratings",
            &format!("at most {MAX_RATINGS} ratings"),
        ));
    }
    // The criteria that apply to the account: what its page's form rates.
    let criteria: Vec<Criterion> = state
        .app
        .account_importance(who, id)
        .await?
        .criteria
        .into_iter()
        .map(|line| line.criterion)
        .collect();
    let mut wrong = Vec::new();
    for (i, rating) in body.ratings.iter().enumerate() {
        let named = |field: &str, reason: &str| InvalidParam {
            name: format!("ratings[{i}].{field}"),
            reason: reason.to_owned(),
        };
        if !criteria.iter().any(|c| c.id.get() == rating.criterion_id) {
            wrong.push(named(
                "criterion_id",
                "no criterion that applies to this account",
            ));
        } else if body.ratings[..i]
            .iter()
            .any(|r| r.criterion_id == rating.criterion_id)
        {
            wrong.push(named("criterion_id", "named twice"));
        }
        if !(1..=5).contains(&rating.score) {
            wrong.push(named("score", "must be from 1 to 5"));
        }
    }
    if !wrong.is_empty() {
        return Err(Problem::invalid(wrong));
    }
    // Every criterion that applies: the score named, else none (as the page's empty field).
    let values: Vec<(CriterionId, Option<i64>)> = criteria
        .iter()
        .map(|c| {
            let score = body
                .ratings
                .iter()
                .find(|r| r.criterion_id == c.id.get())
                .map(|r| r.score);
            (c.id, score)
        })
        .collect();
    let mine = state
        .app
        .rate_my_importance(who, id, &seen, &values)
        .await?;
    let (tag, body) = ApiMyImportance::answer(mine);
    Ok(changed_as(&tag, &body))
}
