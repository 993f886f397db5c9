//! The optimal counterpart suggestions of a scope (an account, one of our units, the whole
//! portfolio): proposals with their reasons, unserved demands, lock conflicts and the locks
//! themselves; accepting the ticked ones or all, keep/never locks.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use counterpart_app::mirror::{Acceptance, Picked, SuggestionList};
use counterpart_core::account::AssignmentKind;
use counterpart_core::ids::{AccountId, PersonId, UnitId};
use counterpart_core::mirror::suggest::{Change, Need, Proposal, Scope, Suggestions};
use counterpart_store::Accepted;
use serde::Deserialize;

use crate::AppState;
use crate::ctx::{Ctx, Editor, Viewer};
use crate::error::AppError;
use crate::i18n::Texts;
use crate::render::{PageResult, render, see_other};
use crate::wording::Names;

/// Options of a suggestion run, from the query string.
#[derive(Deserialize, Default)]
pub(super) struct SuggestQuery {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    deputies: String,
}

/// A proposal as listed.
struct ProposalRow {
    pick: String,
    partner: PersonId,
    partner_name: String,
    partner_level: String,
    accounts: Vec<(AccountId, String)>,
    kind: AssignmentKind,
    ours: PersonId,
    ours_name: String,
    ours_level: String,
    current: Option<(PersonId, String)>,
    change: Change,
    locked: bool,
    needs: String,
    reasons: Vec<String>,
}

#[derive(Template)]
#[template(path = "mirror/suggestions.html")]
struct SuggestionsPage<'a> {
    ctx: &'a Ctx,
    t: &'static Texts,
    title: String,
    /// Where the page lives, to come back to.
    back: String,
    scope_key: String,
    deputies: bool,
    /// The account of an account run, with its name.
    account: Option<(AccountId, String)>,
    run: std::sync::Arc<Suggestions>,
    rows: Vec<ProposalRow>,
    changes: usize,
    stays: usize,
    unserved: Vec<(String, String, String, String)>,
    /// Contacts whose holder stays although someone at their level would mirror them better:
    /// who, the holder, why.
    kept: Vec<(String, String, &'static str, String)>,
    conflicts: Vec<String>,
    fingerprint: String,
    notice: Option<&'static str>,
    /// The keep/never locks on key contacts of this run, to see and lift.
    locks: Vec<LockRow>,
}

/// A keep/never lock as the suggestions page lists it.
struct LockRow {
    partner: PersonId,
    ours: PersonId,
    partner_name: String,
    ours_name: String,
    keep: bool,
    by: String,
}

impl SuggestionsPage<'_> {
    fn fmt_score(&self, v: &Option<f64>) -> String {
        v.map_or_else(|| "–".to_owned(), |v| format!("{v:.0}"))
    }

    fn kind_name(&self, kind: &AssignmentKind) -> &'static str {
        self.t.assignment_kind(kind)
    }

    fn change_name(&self, change: &Change) -> &'static str {
        match change {
            Change::New => self.t.change_new,
            Change::Replace => self.t.change_replace,
            Change::Stay => self.t.change_stay,
        }
    }

    fn optimality(&self) -> String {
        let o = &self.run.optimality;
        self.t.optimality_statement(
            o.demands,
            o.candidate_pairs,
            o.rule.per_contact,
            o.rule.level_window,
            o.truncated,
        )
    }
}

/// How a proposal is picked in the form: "partner:ours:kind".
fn pick_key(p: &Proposal) -> String {
    format!("{}:{}:{}", p.partner_id, p.ours, p.kind.as_str())
}

/// The title of a scope's page, where it lives and the account of an account run.
fn heading(
    t: &Texts,
    scope: Scope,
    deputies: bool,
    subject: Option<String>,
) -> (String, String, Option<(AccountId, String)>) {
    let subject = subject.unwrap_or_default();
    let (title, back, account) = match scope {
        Scope::Account(id) => (
            format!("{}: {subject}", t.suggestions_title),
            format!("/accounts/{id}/suggestions"),
            Some((id, subject)),
        ),
        Scope::Unit(id) => (
            format!("{}: {subject}", t.suggestions_title),
            format!("/mirror/suggestions?unit={id}"),
            None,
        ),
        Scope::Portfolio => (
            format!("{}: {}", t.suggestions_title, t.whole_portfolio),
            "/mirror/suggestions".to_owned(),
            None,
        ),
    };
    let back = if deputies {
        with_query(&back, "deputies=1")
    } else {
        back
    };
    (title, back, account)
}

/// The listed proposals in the user's language.
fn proposal_rows(names: &Names<'_>, list: &SuggestionList) -> Vec<ProposalRow> {
    let accounts_of = |ids: &[AccountId]| {
        ids.iter()
            .map(|id| (*id, list.account_names.get(id).cloned().unwrap_or_default()))
            .collect::<Vec<_>>()
    };
    list.shown()
        .map(|p| ProposalRow {
            pick: pick_key(p),
            partner: p.partner_id,
            partner_name: names.person(p.partner_id),
            partner_level: names.level(names.rank(p.partner_id)),
            accounts: accounts_of(&p.accounts),
            kind: p.kind,
            ours: p.ours,
            ours_name: names.person(p.ours),
            ours_level: names.level(names.rank(p.ours)),
            current: p.current.map(|c| (c, names.who(c))),
            change: p.change,
            locked: p.locked,
            needs: p
                .needs
                .iter()
                .map(|n| names.need_short(n))
                .collect::<Vec<_>>()
                .join(" · "),
            reasons: names.reasons(p.partner_id, &p.reasons),
        })
        .collect()
}

/// The suggestions page of a scope, with a message above it.
fn render_list(
    ctx: &Ctx,
    scope: Scope,
    deputies: bool,
    notice: Option<&'static str>,
    list: SuggestionList,
    status: StatusCode,
) -> Response {
    let t = ctx.t();
    let (title, back, account) = heading(t, scope, deputies, list.subject.clone());
    let names = Names::new(ctx.lang, &list.labels, &list.levels);
    let rows = proposal_rows(&names, &list);
    let unserved = list
        .unserved()
        .map(|u| {
            (
                names.who(u.partner_id),
                t.assignment_kind(&u.kind).to_owned(),
                u.needs
                    .iter()
                    .map(|n| names.need(n))
                    .collect::<Vec<_>>()
                    .join("; "),
                names.no_better(u.partner_id, &u.why),
            )
        })
        .collect();
    let kept = list
        .run
        .proposals
        .iter()
        .filter(|p| {
            p.needs
                .iter()
                .any(|n| matches!(n, Need::LevelGap { .. } | Need::FunctionMismatch { .. }))
        })
        .filter_map(|p| {
            let why = p.why_not_better.as_ref()?;
            Some((
                names.who(p.partner_id),
                names.who(p.ours),
                "",
                names.no_better(p.partner_id, why),
            ))
        })
        .chain(list.run.near_misses.iter().map(|m| {
            (
                names.who(m.partner_id),
                names.who(m.current),
                t.kept_one_level,
                names.no_better(m.partner_id, &m.why),
            )
        }))
        .take(50)
        .collect();
    let conflicts = list
        .run
        .conflicts
        .iter()
        .map(|c| names.conflict(c))
        .collect();
    let locks = list
        .locks
        .iter()
        .map(|l| LockRow {
            partner: l.partner_id,
            ours: l.our_id,
            partner_name: names.person(l.partner_id),
            ours_name: names.person(l.our_id),
            keep: l.keep,
            by: l.by.clone(),
        })
        .collect();
    render(
        &SuggestionsPage {
            ctx,
            t,
            title,
            back,
            scope_key: scope_key(scope),
            deputies,
            account,
            stays: list.run.proposals.len() - list.changes,
            changes: list.changes,
            rows,
            unserved,
            kept,
            conflicts,
            fingerprint: list.fingerprint.clone(),
            notice,
            locks,
            run: list.run,
        },
        status,
    )
}

/// The suggestions of a scope, freshly computed.
async fn suggestions_page(state: &AppState, ctx: &Ctx, scope: Scope, deputies: bool) -> PageResult {
    let list = state
        .app
        .suggestions(&ctx.principal(), scope, deputies)
        .await?;
    Ok(render_list(
        ctx,
        scope,
        deputies,
        None,
        list,
        StatusCode::OK,
    ))
}

pub(super) async fn account_suggestions(
    State(state): State<AppState>,
    Viewer(ctx): Viewer,
    Path(id): Path<AccountId>,
    Query(q): Query<SuggestQuery>,
) -> PageResult {
    suggestions_page(&state, &ctx, Scope::Account(id), q.deputies == "1").await
}

pub(super) async fn scope_suggestions(
    State(state): State<AppState>,
    Viewer(ctx): Viewer,
    Query(q): Query<SuggestQuery>,
) -> PageResult {
    let scope = match q.unit.as_str() {
        "" => Scope::Portfolio,
        unit => Scope::Unit(unit.parse::<UnitId>().map_err(|_| AppError::BadRequest)?),
    };
    suggestions_page(&state, &ctx, scope, q.deputies == "1").await
}

fn parse_scope(key: &str) -> Option<Scope> {
    match key.split_once(':') {
        Some(("account", id)) => id.parse().ok().map(|id| Scope::Account(AccountId::new(id))),
        Some(("unit", id)) => id.parse().ok().map(|id| Scope::Unit(UnitId::new(id))),
        None if key == "portfolio" => Some(Scope::Portfolio),
        _ => None,
    }
}

fn scope_key(scope: Scope) -> String {
    match scope {
        Scope::Account(id) => format!("account:{id}"),
        Scope::Unit(id) => format!("unit:{id}"),
        Scope::Portfolio => "portfolio".to_owned(),
    }
}

/// Only paths of our own site are places to go back to.
fn safe_back(back: &str, fallback: &str) -> String {
    crate::ctx::local_target(back).unwrap_or_else(|| fallback.to_owned())
}

fn with_query(path: &str, query: &str) -> String {
    format!(
        "{path}{}{query}",
        if path.contains('?') { '&' } else { '?' }
    )
}

fn parse_pick(pick: &str) -> Option<Accepted> {
    let mut parts = pick.split(':');
    let partner = parts.next()?.parse().ok()?;
    let ours = parts.next()?.parse().ok()?;
    let kind = parts.next()?.parse().ok()?;
    parts.next().is_none().then_some(Accepted {
        partner_id: PersonId::new(partner),
        our_id: PersonId::new(ours),
        kind,
    })
}

/// Accepts the ticked proposals, or all of them if the list is still what the user saw.
pub(super) async fn accept(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult {
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or_default()
    };
    let scope = parse_scope(field("scope")).ok_or(AppError::BadRequest)?;
    let deputies = field("deputies") == "1";
    let fallback = match scope {
        Scope::Account(id) => format!("/accounts/{id}/mirror"),
        _ => "/mirror".to_owned(),
    };
    let picked = if field("all") == "1" {
        Picked::All {
            fingerprint: field("fingerprint").to_owned(),
        }
    } else {
        Picked::These(
            fields
                .iter()
                .filter(|(k, _)| k == "pick")
                .map(|(_, v)| parse_pick(v).ok_or(AppError::BadRequest))
                .collect::<Result<_, _>>()?,
        )
    };
    let t = ctx.t();
    // The suggestions again, with a message above them.
    let again = |notice, list, status| {
        Ok(render_list(
            &ctx,
            scope,
            deputies,
            Some(notice),
            list,
            status,
        ))
    };
    match state
        .app
        .accept_suggestions(&ctx.principal(), scope, deputies, picked)
        .await?
    {
        Acceptance::Accepted(made) => Ok(see_other(&with_query(
            &fallback,
            &format!("accepted={made}"),
        ))),
        Acceptance::Changed(list) => again(t.suggestions_changed, *list, StatusCode::CONFLICT),
        Acceptance::NonePicked(list) => again(
            t.suggestions_none_picked,
            *list,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    }
}

/// Sets or clears a keep/never lock on a pair, then goes back to the suggestions.
pub(super) async fn lock(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult {
    let value = fields
        .iter()
        .find(|(k, _)| k == "lock")
        .map(|(_, v)| v.as_str())
        .ok_or(AppError::BadRequest)?;
    let back = fields
        .iter()
        .find(|(k, _)| k == "back")
        .map_or("/mirror", |(_, v)| v.as_str());
    let mut parts = value.split(':');
    let (Some(partner), Some(ours), Some(rule), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(AppError::BadRequest);
    };
    let partner: PersonId = partner.parse().map_err(|_| AppError::BadRequest)?;
    let ours: PersonId = ours.parse().map_err(|_| AppError::BadRequest)?;
    let keep = match rule {
        "keep" => Some(true),
        "never" => Some(false),
        "clear" => None,
        _ => return Err(AppError::BadRequest),
    };
    state
        .app
        .set_lock(&ctx.principal(), partner, ours, keep)
        .await?;
    Ok(see_other(&safe_back(back, "/mirror")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_and_scopes_parse_strictly() {
        assert_eq!(
            parse_pick("12:34:primary"),
            Some(Accepted {
                partner_id: PersonId::new(12),
                our_id: PersonId::new(34),
                kind: AssignmentKind::Primary
            })
        );
        for bad in ["", "12:34", "12:34:boss", "a:34:primary", "1:2:deputy:3"] {
            assert_eq!(parse_pick(bad), None, "{bad}");
        }
        assert_eq!(
            parse_scope("account:7"),
            Some(Scope::Account(AccountId::new(7)))
        );
        assert_eq!(parse_scope("portfolio"), Some(Scope::Portfolio));
        assert_eq!(parse_scope("unit:x"), None);
        assert_eq!(scope_key(Scope::Unit(UnitId::new(3))), "unit:3");
    }

    #[test]
    fn only_our_own_paths_are_gone_back_to() {
        assert_eq!(
            safe_back("/accounts/1/suggestions", "/mirror"),
            "/accounts/1/suggestions"
        );
        for bad in ["https://evil.example", "//evil.example", "/\\evil", ""] {
            assert_eq!(safe_back(bad, "/mirror"), "/mirror", "{bad}");
        }
    }
}
