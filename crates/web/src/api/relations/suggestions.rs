//! The mirror's counterpart suggestions through the API: read for an account, one of our
//! units or the whole portfolio as the suggestions pages list them (each proposal explained
//! in words, in English or German), and accepted as the page's accept button does — the
//! proposals picked, or all of them while they are still those read (by their fingerprint).

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use counterpart_app::Error;
use counterpart_app::mirror::{Acceptance, Picked, SHOWN_PROPOSALS, SuggestionList};
use counterpart_core::account::AssignmentKind;
use counterpart_core::ids::{AccountId, PersonId, UnitId};
use counterpart_core::mirror::suggest::{Change, Scope};
use counterpart_core::user::Language;
use counterpart_store::Accepted;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::ApiAssignmentKind;
use super::locks::ApiLock;
use crate::AppState;
use crate::api::resources::{QueryParams, parse_id, plain, tagged};
use crate::api::write::JsonBody;
use crate::api::{Bearer, Problem, Writer};
use crate::wording::Names;

/// What a proposal changes.
#[derive(Clone, Copy, Serialize, ToSchema)]
#[schema(as = ProposalChange)]
#[serde(rename_all = "snake_case")]
pub(crate) enum ApiChange {
    /// The role had no holder.
    New,
    /// Someone else holds it now.
    Replace,
}

/// A proposed counterpart, explained.
#[derive(Serialize, ToSchema)]
#[schema(as = Proposal)]
pub(crate) struct ApiProposal {
    /// The partner person.
    partner_id: i64,
    /// Their name.
    partner_name: String,
    /// The accounts in scope where they are a key contact.
    account_ids: Vec<i64>,
    /// Primary or deputy.
    kind: ApiAssignmentKind,
    /// Our person proposed.
    our_id: i64,
    /// Their name.
    our_name: String,
    /// The current holder of the role, if any.
    current_id: Option<i64>,
    /// Their name.
    current_name: Option<String>,
    /// New holder or a replacement.
    change: ApiChange,
    /// Fixed by a user's `keep` lock rather than chosen by the solver.
    locked: bool,
    /// Why the contact was in the run, in words.
    needs: Vec<String>,
    /// Why this person, in words.
    reasons: Vec<String>,
}

/// A demand the run could not serve: no suitable counterpart is available.
#[derive(Serialize, ToSchema)]
#[schema(as = UnservedDemand)]
pub(crate) struct ApiUnserved {
    /// The partner person.
    partner_id: i64,
    /// Their name.
    partner_name: String,
    /// Primary or deputy.
    kind: ApiAssignmentKind,
    /// The current holder, who stays unless ended by hand.
    current_id: Option<i64>,
    /// Their name.
    current_name: Option<String>,
    /// Why the contact was in the run, in words.
    needs: Vec<String>,
    /// Why nobody at the contact's level took it, in words.
    why: String,
}

/// The counterpart suggestions of a scope, as its page lists them.
#[derive(Serialize, ToSchema)]
#[schema(as = Suggestions)]
pub(crate) struct ApiSuggestions {
    /// The account of an account's suggestions.
    account_id: Option<i64>,
    /// The unit of ours of a unit's suggestions (with the units below it).
    unit_id: Option<i64>,
    /// The account's or the unit's name; null for the whole portfolio.
    subject: Option<String>,
    /// Whether deputies are proposed too.
    deputies: bool,
    /// The fingerprint of the proposals that change something: send it to accept them all
    /// (`POST /suggestions/accept`), so that only what was read is accepted.
    fingerprint: String,
    /// How many proposals change something.
    changes: usize,
    /// How many keep the current holder (not listed).
    stays: usize,
    /// The proposals that change something, at most 300, most pressing first.
    proposals: Vec<ApiProposal>,
    /// Demands without a suitable counterpart, at most 300.
    unserved: Vec<ApiUnserved>,
    /// Locks that could not be honoured as given, in words.
    conflicts: Vec<String>,
    /// The keep/never locks on the key contacts in scope.
    locks: Vec<ApiLock>,
    /// The mean mirror score of the accounts in scope now, 0–100.
    mirror_before: Option<f64>,
    /// Their predicted mean mirror score once every proposal is accepted.
    mirror_after: Option<f64>,
    /// What the answer is optimal over, in words.
    optimality: String,
}

/// The suggestions as JSON, worded in `lang`.
fn answer(scope: Scope, deputies: bool, lang: Language, list: SuggestionList) -> ApiSuggestions {
    let names = Names::new(lang, &list.labels, &list.levels);
    let proposals = list
        .shown()
        .map(|p| ApiProposal {
            partner_id: p.partner_id.get(),
            partner_name: names.person(p.partner_id),
            account_ids: p.accounts.iter().map(|a| a.get()).collect(),
            kind: p.kind.into(),
            our_id: p.ours.get(),
            our_name: names.person(p.ours),
            current_id: p.current.map(PersonId::get),
            current_name: p.current.map(|c| names.person(c)),
            change: if p.change == Change::New {
                ApiChange::New
            } else {
                ApiChange::Replace
            },
            locked: p.locked,
            needs: p.needs.iter().map(|n| names.need(n)).collect(),
            reasons: names.reasons(p.partner_id, &p.reasons),
        })
        .collect();
    let unserved = list
        .unserved()
        .map(|u| ApiUnserved {
            partner_id: u.partner_id.get(),
            partner_name: names.person(u.partner_id),
            kind: u.kind.into(),
            current_id: u.current.map(PersonId::get),
            current_name: u.current.map(|c| names.person(c)),
            needs: u.needs.iter().map(|n| names.need(n)).collect(),
            why: names.no_better(u.partner_id, &u.why),
        })
        .collect();
    let o = &list.run.optimality;
    let optimality = crate::i18n::texts(lang).optimality_statement(
        o.demands,
        o.candidate_pairs,
        o.rule.per_contact,
        o.rule.level_window,
        o.truncated,
    );
    let (account_id, unit_id) = match scope {
        Scope::Account(id) => (Some(id.get()), None),
        Scope::Unit(id) => (None, Some(id.get())),
        Scope::Portfolio => (None, None),
    };
    ApiSuggestions {
        account_id,
        unit_id,
        deputies,
        fingerprint: list.fingerprint.clone(),
        changes: list.changes,
        stays: list.run.proposals.len() - list.changes,
        proposals,
        unserved,
        conflicts: list
            .run
            .conflicts
            .iter()
            .map(|c| names.conflict(c))
            .collect(),
        locks: list.locks.iter().cloned().map(ApiLock::from).collect(),
        mirror_before: list.run.mirror_before,
        mirror_after: list.run.mirror_after,
        optimality,
        subject: list.subject,
    }
}

/// The options every suggestion read takes: deputies and the language of the words.
fn options(query: &QueryParams) -> Result<(bool, Language), Problem> {
    let deputies = query.flag("deputies")?;
    let lang = match query.get("lang") {
        None | Some("en") => Language::En,
        Some("de") => Language::De,
        Some(_) => return Err(Problem::bad_param("lang", "must be one of en, de")),
    };
    Ok((deputies, lang))
}

/// Solves and answers the suggestions of a scope.
async fn read(
    state: &AppState,
    bearer: &Bearer,
    headers: &HeaderMap,
    scope: Scope,
    (deputies, lang): (bool, Language),
) -> Result<Response, Problem> {
    let list = state
        .app
        .suggestions(&bearer.principal, scope, deputies)
        .await?;
    tagged(headers, &answer(scope, deputies, lang, list))
}

/// The optimal counterpart suggestions for an account's key contacts, as its suggestions
/// page lists them.
#[utoipa::path(
    get,
    path = "/accounts/{id}/suggestions",
    tag = "suggestions",
    operation_id = "getAccountSuggestions",
    params(
        ("id" = i64, Path, minimum = 0, description = "The account's id."),
        ("deputies" = Option<bool>, Query, description = "Propose deputies too (default false)."),
        ("lang" = Option<String>, Query, pattern = "^(en|de)$", description = "The language of the explanations: `en` (default) or `de`."),
    ),
    responses(
        (status = 200, description = "The suggestions.", body = ApiSuggestions, headers(("ETag" = String, description = "Send it as `If-None-Match` to be told 304 while they are unchanged."))),
        (status = 304, description = "Unchanged since the `ETag` sent."),
        (status = 400, description = "A parameter is wrong; `invalid_params` names it.", body = crate::api::ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such account.", body = crate::api::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn of_account(
    State(state): State<AppState>,
    bearer: Bearer,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let account = AccountId::new(parse_id("id", &id)?);
    let query = QueryParams::parse(raw.as_deref(), &["deputies", "lang"])?;
    let options = options(&query)?;
    read(&state, &bearer, &headers, Scope::Account(account), options).await
}

/// The optimal counterpart suggestions portfolio-wide, or for the accounts one of our units
/// (with the units below it) is responsible for, as the portfolio's suggestions page lists
/// them.
#[utoipa::path(
    get,
    path = "/suggestions",
    tag = "suggestions",
    operation_id = "getSuggestions",
    params(
        ("unit" = Option<i64>, Query, minimum = 0, description = "Only the accounts of this unit of ours and the units below it."),
        ("deputies" = Option<bool>, Query, description = "Propose deputies too (default false)."),
        ("lang" = Option<String>, Query, pattern = "^(en|de)$", description = "The language of the explanations: `en` (default) or `de`."),
    ),
    responses(
        (status = 200, description = "The suggestions.", body = ApiSuggestions, headers(("ETag" = String, description = "Send it as `If-None-Match` to be told 304 while they are unchanged."))),
        (status = 304, description = "Unchanged since the `ETag` sent."),
        (status = 400, description = "A parameter is wrong; `invalid_params` names it.", body = crate::api::ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such unit.", body = crate::api::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn portfolio(
    State(state): State<AppState>,
    bearer: Bearer,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let query = QueryParams::parse(raw.as_deref(), &["unit", "deputies", "lang"])?;
    let scope = match query.id("unit")? {
        Some(unit) => Scope::Unit(UnitId::new(unit)),
        None => Scope::Portfolio,
    };
    let options = options(&query)?;
    read(&state, &bearer, &headers, scope, options).await
}

/// One proposal picked: the pair and the role.
#[derive(Deserialize, ToSchema)]
#[schema(as = Pick)]
#[serde(deny_unknown_fields)]
pub(crate) struct ApiPick {
    /// The partner person.
    partner_id: i64,
    /// Our person proposed.
    our_id: i64,
    /// Primary or deputy.
    kind: ApiAssignmentKind,
}

/// Suggestions to accept: of the scope read, either all of them (by the `fingerprint` read)
/// or the proposals picked.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct AcceptSuggestions {
    /// The account whose suggestions were read; left out with `unit_id`, the portfolio's.
    #[serde(default)]
    account_id: Option<i64>,
    /// The unit of ours whose suggestions were read.
    #[serde(default)]
    unit_id: Option<i64>,
    /// Whether they were read with deputies.
    #[serde(default)]
    deputies: bool,
    /// Accept every proposal that changes something, if they are still those read: the
    /// `fingerprint` of the suggestions read.
    #[serde(default)]
    fingerprint: Option<String>,
    /// Or accept these proposals (at most 300).
    #[serde(default)]
    picks: Option<Vec<ApiPick>>,
}

/// What accepting made.
#[derive(Serialize, ToSchema)]
#[schema(as = Acceptance)]
pub(crate) struct ApiAcceptance {
    /// How many assignments were made (each from today, with its audit entry).
    accepted: usize,
}

/// Accepts suggestions as the page's accept button does: each becomes a normal assignment
/// from today, all in one transaction. 409 when the suggestions changed since they were read
/// (nothing is accepted then: read them again).
#[utoipa::path(
    post,
    path = "/suggestions/accept",
    tag = "suggestions",
    operation_id = "acceptSuggestions",
    request_body = AcceptSuggestions,
    responses(
        (status = 200, description = "Accepted.", body = ApiAcceptance),
        (status = 409, description = "The suggestions changed since they were read; nothing was accepted.", body = crate::api::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn accept(
    State(state): State<AppState>,
    Writer(bearer): Writer,
    JsonBody(body): JsonBody<AcceptSuggestions>,
) -> Result<Response, Problem> {
    let scope = match (body.account_id, body.unit_id) {
        (Some(_), Some(_)) => {
            return Err(Problem::bad_field(
                "unit_id",
                "name an account or a unit, not both",
            ));
        }
        (Some(account), None) => Scope::Account(AccountId::new(account)),
        (None, Some(unit)) => Scope::Unit(UnitId::new(unit)),
        (None, None) => Scope::Portfolio,
    };
    let picked = match (body.fingerprint, body.picks) {
        (Some(_), Some(_)) => {
            return Err(Problem::bad_field(
                "picks",
                "send a fingerprint (accept all) or picks, not both",
            ));
        }
        (None, None) => {
            return Err(Problem::bad_field(
                "picks",
                "send the proposals to accept, or the fingerprint to accept them all",
            ));
        }
        (Some(fingerprint), None) => {
            if fingerprint.len() > 64 {
                return Err(Problem::bad_field("fingerprint", "at most 64 characters"));
            }
            Picked::All { fingerprint }
        }
        (None, Some(picks)) => {
            if picks.len() > SHOWN_PROPOSALS {
                return Err(Problem::bad_field(
                    "picks",
                    &format!("at most {SHOWN_PROPOSALS} proposals"),
                ));
            }
            // A pick naming nobody is a wrong field, not a list that changed since it was
            // read: named at its place (the people of all picks read at once).
            let named: Vec<PersonId> = picks
                .iter()
                .flat_map(|p| [p.partner_id, p.our_id])
                .map(PersonId::new)
                .collect();
            let existing = state.app.existing_people(&bearer.principal, &named).await?;
            for (i, pick) in picks.iter().enumerate() {
                for (field, id) in [("partner_id", pick.partner_id), ("our_id", pick.our_id)] {
                    if !existing.contains(&PersonId::new(id)) {
                        return Err(Problem::bad_field(
                            &format!("picks[{i}].{field}"),
                            "no such person",
                        ));
                    }
                }
            }
            Picked::These(
                picks
                    .into_iter()
                    .map(|p| Accepted {
                        partner_id: PersonId::new(p.partner_id),
                        our_id: PersonId::new(p.our_id),
                        kind: AssignmentKind::from(p.kind),
                    })
                    .collect(),
            )
        }
    };
    let done = state
        .app
        .accept_suggestions(&bearer.principal, scope, body.deputies, picked)
        .await;
    match done {
        Ok(Acceptance::Accepted(accepted)) => Ok(plain(ApiAcceptance { accepted })),
        Ok(Acceptance::Changed(_)) => Err(Problem::new(
            StatusCode::CONFLICT,
            "The suggestions changed since they were read; nothing was accepted. Read them \
             again and accept what they propose now.",
        )),
        Ok(Acceptance::NonePicked(_)) => Err(Problem::bad_field("picks", "no proposal picked")),
        // The scope named in the body does not exist: a wrong field, not a wrong address.
        Err(Error::NotFound) => Err(match scope {
            Scope::Account(_) => Problem::bad_field("account_id", "no such account"),
            _ => Problem::bad_field("unit_id", "no such unit"),
        }),
        Err(e) => Err(e.into()),
    }
}
