//! The mirror: an account's hierarchy beside ours with its findings and score, the portfolio
//! roll-up sorted by what needs attention, and the optimal counterpart suggestions with
//! accept, keep and never.
//!
//! Analysis and suggestion run on the blocking thread pool: a portfolio-wide suggestion takes
//! seconds at enterprise scale and must not hold up the server's async threads.

use std::collections::{HashMap, HashSet};

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::NaiveDate;
use counterpart_core::account::{AssignmentKind, Health};
use counterpart_core::ids::{AccountId, AssignmentId, PersonId, UnitId};
use counterpart_core::ladder::Level;
use counterpart_core::mirror::analysis::{
    AccountAnalysis, Band, PortfolioAnalysis, Shape, analyze_portfolio,
};
use counterpart_core::mirror::suggest::{
    Change, Proposal, Scope, SuggestOptions, Suggestions, suggest,
};
use counterpart_core::mirror::view::{Geometry, MirrorView, layout};
use counterpart_core::mirror::{MirrorInput, Settings, default_capacity};
use counterpart_core::org::unit_tree;
use counterpart_core::user::Language;
use counterpart_store::{Accepted, PersonLabel, Store, StoreError};
use serde::Deserialize;

use crate::AppState;
use crate::ctx::{Ctx, Editor, Viewer};
use crate::error::AppError;
use crate::i18n::Texts;
use crate::render::charts::TimeChart;
use crate::render::score_class;
use crate::render::{PageResult, page, render, see_other};
use crate::wording::{self, Names};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/mirror", get(portfolio))
        .route("/mirror/suggestions", get(scope_suggestions))
        .route("/accounts/{id}/mirror", get(account_mirror))
        .route("/accounts/{id}/suggestions", get(account_suggestions))
        .route("/suggestions/accept", post(accept))
        .route("/locks", post(lock))
        .route("/people/{id}/capacity", post(set_capacity))
}

/// At most this many changing proposals are listed; "accept all" takes every one.
const SHOWN_PROPOSALS: usize = 300;
/// Accounts on the portfolio's attention list.
const ATTENTION_SHOWN: usize = 25;
/// Months of trend.
const TREND_MONTHS: u32 = 24;

/// Runs CPU-heavy mirror work off the async threads.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(AppError::internal)
}

fn settings() -> Settings {
    Settings::new(counterpart_store::now().date_naive())
}

/// The mirror score over time, 0–100.
fn score_trend(ctx: &Ctx, points: &[(NaiveDate, f64)]) -> Option<TimeChart> {
    let (days, values): (Vec<NaiveDate>, Vec<f64>) = points.iter().copied().unzip();
    TimeChart::new(
        ctx,
        &days,
        (0.0, 100.0),
        [0, 50, 100],
        vec![("mirror", ctx.t().mirror_score, values)],
    )
}

/// A finding as shown.
struct FindingRow {
    band: Band,
    band_name: &'static str,
    severity: u8,
    text: String,
    person: Option<PersonId>,
}

fn finding_rows(names: &Names<'_>, lang: Language, analysis: &AccountAnalysis) -> Vec<FindingRow> {
    let mut rows: Vec<FindingRow> = analysis
        .findings
        .iter()
        .map(|f| FindingRow {
            band: f.band,
            band_name: wording::band(lang, f.band),
            severity: f.severity,
            text: names.finding(&f.detail),
            person: f.detail.contact().or(f.detail.ours()),
        })
        .collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r.severity));
    rows
}

fn finding_people(analysis: &AccountAnalysis) -> impl Iterator<Item = PersonId> + '_ {
    analysis
        .findings
        .iter()
        .flat_map(|f| [f.detail.contact(), f.detail.ours()])
        .flatten()
        .chain(analysis.holders.iter().map(|h| h.ours))
}

/// One heat map cell.
struct HeatCell {
    count: usize,
    deputies: usize,
    heat: usize,
    diagonal: bool,
}

/// The level × level matrix as rows of (their level, cells), with our levels as columns.
struct Heatmap {
    columns: Vec<String>,
    rows: Vec<(String, Vec<HeatCell>)>,
}

fn heatmap(names: &Names<'_>, analysis: &AccountAnalysis) -> Heatmap {
    let m = &analysis.matrix;
    let unknown_used = m.cells[m.ranks.len()].iter().any(|c| c.total() > 0)
        || m.cells.iter().any(|row| row[m.ranks.len()].total() > 0);
    let axis: Vec<Option<i64>> = m
        .ranks
        .iter()
        .map(|r| Some(*r))
        .chain(unknown_used.then_some(None))
        .collect();
    let max = m
        .cells
        .iter()
        .flatten()
        .map(|c| c.total())
        .max()
        .unwrap_or(0)
        .max(1);
    Heatmap {
        columns: axis.iter().map(|r| names.level(*r)).collect(),
        rows: axis
            .iter()
            .map(|theirs| {
                let cells = axis
                    .iter()
                    .map(|ours| {
                        let c = m.cell(*theirs, *ours);
                        HeatCell {
                            count: c.total(),
                            deputies: c.deputy,
                            heat: if c.total() == 0 {
                                0
                            } else {
                                1 + 3 * c.total() / max
                            }
                            .min(4),
                            diagonal: theirs.is_some() && theirs == ours,
                        }
                    })
                    .collect();
                (names.level(*theirs), cells)
            })
            .collect(),
    }
}

#[derive(Template)]
#[template(path = "mirror/account.html")]
struct AccountPage<'a> {
    ctx: &'a Ctx,
    t: &'static Texts,
    account_id: AccountId,
    account_name: String,
    active: bool,
    analysis: Option<AccountAnalysis>,
    shape_name: &'static str,
    shape_text: &'static str,
    findings: Vec<FindingRow>,
    heatmap: Option<Heatmap>,
    view: Option<MirrorView>,
    labels: HashMap<PersonId, PersonLabel>,
    links: HashMap<(PersonId, PersonId), AssignmentId>,
    levels: Vec<Level>,
    trend: Option<TimeChart>,
    accepted: Option<usize>,
}

/// Characters that fit a box of the mirror view: names in bold, subtitles in small print.
const BOX_NAME_CHARS: usize = 26;
const BOX_SUBTITLE_CHARS: usize = 36;

/// Shortens a text to `max` characters, ending in "…" when cut.
fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(max.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    }
}

impl AccountPage<'_> {
    fn name(&self, id: &PersonId) -> String {
        self.labels
            .get(id)
            .map_or_else(|| format!("#{id}"), |l| l.name.clone())
    }

    /// The name as it fits a box.
    fn box_name(&self, id: &PersonId) -> String {
        clip(&self.name(id), BOX_NAME_CHARS)
    }

    /// The subtitle as it fits a box.
    fn box_subtitle(&self, id: &PersonId, covered: &bool) -> String {
        let subtitle = self.subtitle(id);
        if !*covered {
            clip(
                &format!("⚠ {} · {subtitle}", self.t.no_counterpart_short),
                BOX_SUBTITLE_CHARS,
            )
        } else {
            clip(&subtitle, BOX_SUBTITLE_CHARS)
        }
    }

    fn subtitle(&self, id: &PersonId) -> String {
        let Some(label) = self.labels.get(id) else {
            return String::new();
        };
        let level = Names::new(self.ctx.lang, &self.labels, &self.levels).level(label.level_rank);
        match &label.job_title {
            Some(job) if !job.is_empty() => format!("{level} · {job}"),
            _ => level,
        }
    }

    fn band_label(&self, rank: &Option<i64>) -> String {
        Names::new(self.ctx.lang, &self.labels, &self.levels).level(*rank)
    }

    fn link(&self, partner: &PersonId, ours: &PersonId) -> String {
        self.links.get(&(*partner, *ours)).map_or_else(
            || format!("/people/{partner}"),
            |id| format!("/assignments/{id}"),
        )
    }

    fn health_name(&self, health: &Health) -> &'static str {
        self.t.health(health)
    }

    /// (CSS class, label) of the line colours.
    fn legend(&self) -> Vec<(&'static str, &'static str)> {
        let mut keys: Vec<(&'static str, &'static str)> =
            [Health::Good, Health::Fair, Health::Poor, Health::Unrated]
                .iter()
                .map(|h| (h.class(), self.t.health(h)))
                .collect();
        keys.push(("deputy", self.t.assignment_kind(&AssignmentKind::Deputy)));
        keys
    }

    fn kind_name(&self, kind: &AssignmentKind) -> &'static str {
        self.t.assignment_kind(kind)
    }

    fn is_deputy(&self, kind: &AssignmentKind) -> bool {
        *kind == AssignmentKind::Deputy
    }

    fn score_class(&self, score: &f64) -> &'static str {
        score_class(*score)
    }
}

async fn account_mirror(
    State(state): State<AppState>,
    Viewer(ctx): Viewer,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> PageResult {
    let id = AccountId::new(id);
    let account = state.store().account(id).await?;
    let levels = state.store().levels().await?;
    let input = state.store().mirror_input(Some(id)).await?;
    let (input, analysis, view) = blocking(move || {
        let analysis = analyze_portfolio(&input, &settings())
            .accounts
            .into_iter()
            .next();
        let view = input
            .accounts
            .first()
            .map(|a| layout(a, &input.people, &Geometry::default()));
        (input, analysis, view)
    })
    .await?;
    let mut wanted: Vec<PersonId> = Vec::new();
    if let Some(view) = &view {
        wanted.extend(view.theirs.iter().chain(&view.ours).map(|n| n.person_id));
    }
    if let Some(a) = &analysis {
        wanted.extend(finding_people(a));
    }
    drop(input);
    let labels = state.store().person_labels(&wanted).await?;
    let names = Names::new(ctx.lang, &labels, &levels);
    let findings = analysis
        .as_ref()
        .map(|a| finding_rows(&names, ctx.lang, a))
        .unwrap_or_default();
    let heatmap = analysis.as_ref().map(|a| heatmap(&names, a));
    let links = state
        .store()
        .current_assignments_of_account(id)
        .await?
        .into_iter()
        .map(|(assignment, partner, ours)| ((partner, ours), assignment))
        .collect();
    let history: Vec<(NaiveDate, f64)> = state
        .store()
        .mirror_history(id)
        .await?
        .into_iter()
        .map(|(at, score)| (at.date_naive(), score))
        .collect();
    let shape = analysis.as_ref().map_or(Shape::Empty, |a| a.shape);
    Ok(page(&AccountPage {
        t: ctx.t(),
        account_id: id,
        account_name: account.name,
        active: account.active,
        shape_name: wording::shape(ctx.lang, shape),
        shape_text: wording::shape_explained(ctx.lang, shape),
        findings,
        heatmap,
        view,
        links,
        trend: score_trend(&ctx, &history),
        analysis,
        labels,
        levels,
        accepted: q.accepted,
        ctx: &ctx,
    }))
}

/// The mirror in brief, for the account page.
pub(crate) struct MirrorSummary {
    pub(crate) score: f64,
    pub(crate) coverage: f64,
    pub(crate) level_match: f64,
    pub(crate) spread: f64,
    pub(crate) shape: &'static str,
    /// The most severe findings: (band key, band name, sentence).
    pub(crate) top: Vec<(Band, &'static str, String)>,
    /// Findings not listed.
    pub(crate) more: usize,
}

/// Findings the account page lists; the mirror page has them all.
const SUMMARY_FINDINGS: usize = 3;

/// The mirror of one account in brief; `None` for a deactivated account.
pub(crate) async fn account_summary(
    state: &AppState,
    ctx: &Ctx,
    id: AccountId,
) -> Result<Option<MirrorSummary>, AppError> {
    let input = state.store().mirror_input(Some(id)).await?;
    let analysis = blocking(move || {
        analyze_portfolio(&input, &settings())
            .accounts
            .into_iter()
            .next()
    })
    .await?;
    let Some(a) = analysis else {
        return Ok(None);
    };
    let wanted: Vec<PersonId> = finding_people(&a).collect();
    let labels = state.store().person_labels(&wanted).await?;
    let levels = state.store().levels().await?;
    let names = Names::new(ctx.lang, &labels, &levels);
    let rows = finding_rows(&names, ctx.lang, &a);
    Ok(Some(MirrorSummary {
        score: a.score.value,
        coverage: a.score.parts.coverage,
        level_match: a.score.parts.level_match,
        spread: a.score.parts.spread,
        shape: wording::shape(ctx.lang, a.shape),
        more: rows.len().saturating_sub(SUMMARY_FINDINGS),
        top: rows
            .into_iter()
            .take(SUMMARY_FINDINGS)
            .map(|r| (r.band, r.band_name, r.text))
            .collect(),
    }))
}

/// What came back from an accept.
#[derive(Deserialize, Default)]
struct DoneQuery {
    accepted: Option<usize>,
}

/// Options of a suggestion run, from the query string.
#[derive(Deserialize, Default)]
struct SuggestQuery {
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
    reasons: String,
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
    run: Suggestions,
    rows: Vec<ProposalRow>,
    changes: usize,
    stays: usize,
    unserved: Vec<(String, String, String)>,
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

/// Order-independent FNV-1a fingerprint of the changing proposals, so that "accept all" only
/// accepts what the user saw.
fn fingerprint(run: &Suggestions) -> String {
    let mut picks: Vec<String> = changing(run).map(pick_key).collect();
    picks.sort();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in picks.join(",").bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

fn changing(run: &Suggestions) -> impl Iterator<Item = &Proposal> {
    run.proposals.iter().filter(|p| p.change != Change::Stay)
}

fn pick_key(p: &Proposal) -> String {
    format!("{}:{}:{}", p.partner_id, p.ours, p.kind.as_str())
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

/// Solves a suggestion run for a scope with the users' locks, off the async threads.
async fn run_suggestions(
    store: &Store,
    scope: Scope,
    deputies: bool,
) -> Result<Suggestions, AppError> {
    // An account's run needs only its own contacts; every person of ours is a candidate.
    let input: MirrorInput = match scope {
        Scope::Account(id) => store.suggestion_input(id).await?,
        Scope::Unit(_) | Scope::Portfolio => store.mirror_input(None).await?,
    };
    let mut options = SuggestOptions::new(scope);
    options.deputies = deputies;
    options.locks = store.suggestion_locks().await?;
    blocking(move || suggest(&input, &options, &settings()))
        .await?
        .map_err(AppError::internal)
}

async fn suggestions_page(
    state: &AppState,
    ctx: &Ctx,
    scope: Scope,
    deputies: bool,
    notice: Option<&'static str>,
    run: Option<Suggestions>,
) -> PageResult {
    let t = ctx.t();
    let (title, back, account) = match scope {
        Scope::Account(id) => {
            let account = state.store().account(id).await?;
            (
                format!("{}: {}", t.suggestions_title, account.name),
                format!("/accounts/{id}/suggestions"),
                Some((id, account.name)),
            )
        }
        Scope::Unit(id) => {
            let unit = state.store().unit(id).await?;
            (
                format!("{}: {}", t.suggestions_title, unit.name),
                format!("/mirror/suggestions?unit={id}"),
                None,
            )
        }
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
    let run = match run {
        Some(run) => run,
        None => run_suggestions(state.store(), scope, deputies).await?,
    };
    let shown: Vec<&Proposal> = changing(&run).take(SHOWN_PROPOSALS).collect();
    let mut wanted: HashSet<PersonId> = HashSet::new();
    for p in &shown {
        wanted.extend([p.partner_id, p.ours]);
        wanted.extend(p.current);
        for r in &p.reasons {
            use counterpart_core::mirror::suggest::Reason;
            match *r {
                Reason::Replaces { previous, .. } => {
                    wanted.insert(previous);
                }
                Reason::AssistantOfBossCounterpart {
                    boss,
                    boss_counterpart,
                } => {
                    wanted.extend([boss, boss_counterpart]);
                }
                _ => {}
            }
        }
    }
    for u in run.unserved.iter().take(SHOWN_PROPOSALS) {
        wanted.insert(u.partner_id);
        wanted.extend(u.current);
    }
    // Locks apply to the key contacts of the accounts in scope.
    let locks = match scope {
        Scope::Portfolio => state.store().locks().await?,
        Scope::Account(id) => state.store().locks_on_accounts(&[id]).await?,
        Scope::Unit(_) => {
            let accounts: Vec<AccountId> = run.accounts.iter().map(|a| a.account_id).collect();
            state.store().locks_on_accounts(&accounts).await?
        }
    };
    for l in &locks {
        wanted.extend([l.partner_id, l.our_id]);
    }
    let wanted: Vec<PersonId> = wanted.into_iter().collect();
    let labels = state.store().person_labels(&wanted).await?;
    let levels = state.store().levels().await?;
    let names = Names::new(ctx.lang, &labels, &levels);
    let account_names = state.store().account_names().await?;
    let accounts_of = |ids: &[AccountId]| {
        ids.iter()
            .map(|id| (*id, account_names.get(id).cloned().unwrap_or_default()))
            .collect::<Vec<_>>()
    };
    let rows = shown
        .iter()
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
                .map(|n| names.need(n))
                .collect::<Vec<_>>()
                .join("; "),
            reasons: names.reasons(p.partner_id, &p.reasons),
        })
        .collect();
    let unserved = run
        .unserved
        .iter()
        .take(SHOWN_PROPOSALS)
        .map(|u| {
            (
                names.who(u.partner_id),
                t.assignment_kind(&u.kind).to_owned(),
                u.needs
                    .iter()
                    .map(|n| names.need(n))
                    .collect::<Vec<_>>()
                    .join("; "),
            )
        })
        .collect();
    let conflicts = run.conflicts.iter().map(|c| names.conflict(c)).collect();
    let changes = changing(&run).count();
    let status = if notice == Some(t.suggestions_changed) {
        StatusCode::CONFLICT
    } else {
        StatusCode::OK
    };
    Ok(render(
        &SuggestionsPage {
            ctx,
            t,
            title,
            back,
            scope_key: scope_key(scope),
            deputies,
            account,
            stays: run.proposals.len() - changes,
            changes,
            rows,
            unserved,
            conflicts,
            fingerprint: fingerprint(&run),
            run,
            notice,
            locks: locks
                .into_iter()
                .map(|l| LockRow {
                    partner: l.partner_id,
                    ours: l.our_id,
                    partner_name: names.person(l.partner_id),
                    ours_name: names.person(l.our_id),
                    keep: l.keep,
                    by: l.by,
                })
                .collect(),
        },
        status,
    ))
}

async fn account_suggestions(
    State(state): State<AppState>,
    Viewer(ctx): Viewer,
    Path(id): Path<i64>,
    Query(q): Query<SuggestQuery>,
) -> PageResult {
    let id = AccountId::new(id);
    state.store().account(id).await?;
    suggestions_page(
        &state,
        &ctx,
        Scope::Account(id),
        q.deputies == "1",
        None,
        None,
    )
    .await
}

async fn scope_suggestions(
    State(state): State<AppState>,
    Viewer(ctx): Viewer,
    Query(q): Query<SuggestQuery>,
) -> PageResult {
    let scope = match q.unit.as_str() {
        "" => Scope::Portfolio,
        unit => {
            let id = unit
                .parse()
                .map(UnitId::new)
                .map_err(|_| AppError::BadRequest)?;
            state.store().unit(id).await?;
            Scope::Unit(id)
        }
    };
    suggestions_page(&state, &ctx, scope, q.deputies == "1", None, None).await
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
async fn accept(
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
    // The suggestions again, with a message above them.
    let again = |message: &'static str, run| {
        suggestions_page(&state, &ctx, scope, deputies, Some(message), run)
    };
    let accepted: Vec<Accepted> = if field("all") == "1" {
        let run = run_suggestions(state.store(), scope, deputies).await?;
        if fingerprint(&run) != field("fingerprint") {
            return again(ctx.t().suggestions_changed, Some(run)).await;
        }
        changing(&run)
            .map(|p| Accepted {
                partner_id: p.partner_id,
                our_id: p.ours,
                kind: p.kind,
            })
            .collect()
    } else {
        fields
            .iter()
            .filter(|(k, _)| k == "pick")
            .map(|(_, v)| parse_pick(v).ok_or(AppError::BadRequest))
            .collect::<Result<_, _>>()?
    };
    if accepted.is_empty() {
        return again(ctx.t().suggestions_none_picked, None)
            .await
            .map(|mut r| {
                *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
                r
            });
    }
    let today = counterpart_store::now().date_naive();
    let made = match state
        .store()
        .accept_suggestions(&ctx.actor(), &accepted, today)
        .await
    {
        Ok(made) => made,
        Err(StoreError::Invalid(_)) => return again(ctx.t().suggestions_changed, None).await,
        Err(e) => return Err(e.into()),
    };
    Ok(see_other(&with_query(
        &fallback,
        &format!("accepted={made}"),
    )))
}

/// Sets or clears a keep/never lock on a pair, then goes back to the suggestions.
async fn lock(
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
    let partner = PersonId::new(partner.parse().map_err(|_| AppError::BadRequest)?);
    let ours = PersonId::new(ours.parse().map_err(|_| AppError::BadRequest)?);
    let keep = match rule {
        "keep" => Some(true),
        "never" => Some(false),
        "clear" => None,
        _ => return Err(AppError::BadRequest),
    };
    state
        .store()
        .set_lock(&ctx.actor(), partner, ours, keep)
        .await?;
    Ok(see_other(&safe_back(back, "/mirror")))
}

#[derive(Deserialize)]
struct CapacityForm {
    #[serde(default)]
    capacity: String,
}

/// The most counterparts anyone can be given.
const MAX_CAPACITY: i64 = 500;

async fn set_capacity(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<i64>,
    Form(form): Form<CapacityForm>,
) -> PageResult {
    let id = PersonId::new(id);
    let detail = state.store().person_detail(id).await?;
    if detail.organization.kind != counterpart_core::org::OrganizationKind::Own {
        return Err(AppError::BadRequest);
    }
    let text = form.capacity.trim();
    let capacity = if text.is_empty() {
        None
    } else {
        match text.parse::<i64>() {
            Ok(n) if (0..=MAX_CAPACITY).contains(&n) => Some(n),
            _ => {
                let t = ctx.t();
                let message = format!(
                    "{}: {}",
                    t.field_capacity,
                    crate::i18n::problem(
                        ctx.lang,
                        &counterpart_core::validate::Problem::OutOfRange {
                            min: 0,
                            max: MAX_CAPACITY
                        }
                    )
                );
                return crate::pages::people::show_with_errors(&state, &ctx, id, vec![message])
                    .await;
            }
        }
    };
    state
        .store()
        .set_capacity(&ctx.actor(), id, capacity)
        .await?;
    Ok(see_other(&format!("/people/{id}?saved=1#capacity")))
}

/// Capacity facts of one of ours for the person page: (set, default of their level, primaries
/// held now).
pub(crate) async fn capacity_facts(
    state: &AppState,
    person: &counterpart_core::person::Person,
    levels: &[Level],
) -> Result<(Option<i64>, i64, usize), StoreError> {
    let rank = levels
        .iter()
        .find(|l| Some(l.id) == person.level_id)
        .map(|l| l.rank);
    let held = state
        .store()
        .counterparts_held_by(person.id, false)
        .await?
        .iter()
        .filter(|c| c.assignment.kind == AssignmentKind::Primary)
        .count();
    Ok((
        state.store().capacity(person.id).await?,
        default_capacity(rank),
        held,
    ))
}

/// A unit's line in the portfolio roll-up.
struct UnitLine {
    id: UnitId,
    name: String,
    depth: usize,
    accounts: usize,
    weighted: Option<f64>,
    mean: Option<f64>,
    high: usize,
    bow_ties: usize,
}

/// An account on the attention list.
struct AttentionLine {
    id: AccountId,
    name: String,
    importance: Option<f64>,
    score: f64,
    high: usize,
    medium: usize,
    top: Option<String>,
}

#[derive(Template)]
#[template(path = "mirror/portfolio.html")]
struct PortfolioPage<'a> {
    ctx: &'a Ctx,
    t: &'static Texts,
    analysis: PortfolioAnalysis,
    units: Vec<UnitLine>,
    attention: Vec<AttentionLine>,
    trend: Option<TimeChart>,
    /// The unit looked at, if not the whole portfolio.
    unit: Option<(UnitId, String)>,
    accepted: Option<usize>,
}

impl PortfolioPage<'_> {
    fn fmt_score(&self, v: &Option<f64>) -> String {
        v.map_or_else(|| "–".to_owned(), |v| format!("{v:.0}"))
    }

    fn score_class(&self, score: &f64) -> &'static str {
        score_class(*score)
    }

    /// The headline score: weighted by importance where accounts are rated, else the mean.
    fn headline(&self) -> String {
        let p = &self.analysis.portfolio;
        self.fmt_score(&p.weighted_score.or(p.mean_score))
    }

    /// "4 Diamond · 1 Bow tie · …".
    fn shapes_line(&self) -> String {
        let s = &self.analysis.portfolio.shapes;
        [
            (s.diamond, Shape::Diamond),
            (s.bow_tie, Shape::BowTie),
            (s.mixed, Shape::Mixed),
            (s.empty, Shape::Empty),
        ]
        .iter()
        .map(|(n, shape)| format!("{n} {}", wording::shape(self.ctx.lang, *shape)))
        .collect::<Vec<_>>()
        .join(" · ")
    }

    fn indent(&self, depth: &usize) -> String {
        "– ".repeat(*depth)
    }
}

/// The portfolio page's query: an accept's outcome, and one of our units to look at.
#[derive(Deserialize, Default)]
struct PortfolioQuery {
    accepted: Option<usize>,
    #[serde(default)]
    unit: String,
}

async fn portfolio(
    State(state): State<AppState>,
    Viewer(ctx): Viewer,
    Query(q): Query<PortfolioQuery>,
) -> PageResult {
    let own_units = match state.store().own_organization().await? {
        Some(own) => state.store().units(own.id).await?,
        None => Vec::new(),
    };
    // One of our units: its accounts and those of the units below it.
    let unit = match q.unit.as_str() {
        "" => None,
        id => {
            let id = id
                .parse()
                .map(UnitId::new)
                .map_err(|_| AppError::BadRequest)?;
            Some(state.store().unit(id).await?)
        }
    };
    let within: Option<HashSet<UnitId>> = unit.as_ref().map(|u| {
        let mut set = HashSet::from([u.id]);
        let mut grew = true;
        while grew {
            grew = false;
            for x in &own_units {
                if x.parent_id.is_some_and(|p| set.contains(&p)) && set.insert(x.id) {
                    grew = true;
                }
            }
        }
        set
    });
    let mut input = state.store().mirror_input(None).await?;
    if let Some(within) = &within {
        input
            .accounts
            .retain(|a| a.responsible_unit_id.is_some_and(|u| within.contains(&u)));
    }
    let in_scope: Option<HashSet<AccountId>> = within
        .as_ref()
        .map(|_| input.accounts.iter().map(|a| a.id).collect());
    let analysis = blocking(move || analyze_portfolio(&input, &settings())).await?;
    let levels = state.store().levels().await?;
    let by_id: HashMap<AccountId, &AccountAnalysis> = analysis
        .accounts
        .iter()
        .map(|a| (a.account_id, a))
        .collect();
    let top: Vec<&AccountAnalysis> = analysis
        .attention
        .iter()
        .take(ATTENTION_SHOWN)
        .filter_map(|a| by_id.get(&a.account_id).copied())
        .collect();
    let wanted: Vec<PersonId> = top.iter().flat_map(|a| finding_people(a)).collect();
    let labels = state.store().person_labels(&wanted).await?;
    let names = Names::new(ctx.lang, &labels, &levels);
    let account_names = state.store().account_names().await?;
    let attention = analysis
        .attention
        .iter()
        .take(ATTENTION_SHOWN)
        .map(|a| AttentionLine {
            id: a.account_id,
            name: account_names
                .get(&a.account_id)
                .cloned()
                .unwrap_or_default(),
            importance: a.importance,
            score: a.mirror_score,
            high: a.high,
            medium: a.medium,
            top: by_id
                .get(&a.account_id)
                .and_then(|x| x.findings.iter().max_by_key(|f| f.severity))
                .map(|f| names.finding(&f.detail)),
        })
        .collect();
    let rollups: HashMap<UnitId, &counterpart_core::mirror::analysis::Rollup> = analysis
        .units
        .iter()
        .map(|u| (u.unit_id, &u.rollup))
        .collect();
    let mut units = Vec::new();
    for node in unit_tree(&own_units) {
        let Some(r) = rollups.get(&node.unit.id) else {
            continue;
        };
        if r.accounts == 0 {
            continue;
        }
        units.push(UnitLine {
            id: node.unit.id,
            name: node.unit.name,
            depth: node.depth,
            accounts: r.accounts,
            weighted: r.weighted_score,
            mean: r.mean_score,
            high: r.bands.high,
            bow_ties: r.shapes.bow_tie,
        });
    }
    let trend: Vec<(NaiveDate, f64)> = state
        .store()
        .mirror_trend(TREND_MONTHS, in_scope.as_ref())
        .await?
        .into_iter()
        .map(|p| (p.day, p.mean))
        .collect();
    Ok(page(&PortfolioPage {
        t: ctx.t(),
        trend: score_trend(&ctx, &trend),
        analysis,
        units,
        attention,
        unit: unit.map(|u| (u.id, u.name)),
        accepted: q.accepted,
        ctx: &ctx,
    }))
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
    fn long_texts_are_clipped_to_their_box() {
        assert_eq!(clip("Kurz", 10), "Kurz");
        assert_eq!(clip("Abteilungsleiterin Key Account", 12), "Abteilungsl…");
        assert_eq!(clip("Größenänderung", 5).chars().count(), 5);
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
