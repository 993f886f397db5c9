//! The briefing about a person, read before a meeting and printable: who they are, who of
//! ours knows them and the people around them, what we know.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::get;
use counterpart_app::briefing::PersonBriefing;
use counterpart_core::ids::{AccountId, PersonId};
use counterpart_core::insight::Category;
use counterpart_core::ladder::Level;
use counterpart_store::{CounterpartView, PersonSummary};

use crate::AppState;
use crate::ctx::{Ctx, Viewer};
use crate::i18n::Texts;
use crate::render::insights::category;
use crate::render::people::level_label;
use crate::render::{PageResult, page};

/// Insights per category in a briefing.
const PER_CATEGORY: usize = 3;
/// Contacts in a briefing.
const LAST_CONTACTS: usize = 5;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/people/{id}/briefing", get(person_briefing))
        .route("/accounts/{id}/briefing", get(account_briefing))
}

/// Someone around the person (or one of ours), as a line: id, name, job title, level.
struct Who {
    id: PersonId,
    name: String,
    title: String,
    level: String,
}

impl Who {
    fn of(ctx: &Ctx, levels: &[Level], p: &PersonSummary) -> Self {
        Self {
            id: p.person.id,
            name: p.person.display_name(),
            title: p.person.job_title.clone().unwrap_or_default(),
            level: level_label(ctx, levels, p.person.level_id).0,
        }
    }
}

/// One of ours holding a relationship: who, primary or deputy, the latest rating and when.
struct Holder {
    who: Who,
    kind: &'static str,
    rating: Option<(i64, String)>,
    /// The relationship ratings so far, "2 → 3 → 4" (the last five), where known.
    trend: String,
}

fn holders(ctx: &Ctx, levels: &[Level], list: &[CounterpartView]) -> Vec<Holder> {
    list.iter()
        .map(|c| Holder {
            who: Who::of(ctx, levels, &c.person),
            kind: ctx.t().assignment_kind(&c.assignment.kind),
            rating: c.relationship.zip(c.rated_on.map(|d| ctx.date(&d))),
            trend: String::new(),
        })
        .collect()
}

/// How long an insight answers one of the brief's questions.
const ANSWERED_DAYS: i64 = 180;

/// The brief's questions that nothing we know answers: for each of its five categories
/// without an insight from the last [`ANSWERED_DAYS`] days that is still valid.
fn open_questions(
    t: &Texts,
    insights: &[counterpart_store::InsightView],
    today: chrono::NaiveDate,
) -> Vec<&'static str> {
    [
        (Category::Needs, t.question_needs),
        (Category::Satisfaction, t.question_satisfaction),
        (Category::FutureIdeas, t.question_future_ideas),
        (Category::Developments, t.question_developments),
        (Category::Environment, t.question_environment),
    ]
    .into_iter()
    .filter(|(c, _)| {
        !insights.iter().any(|v| {
            v.insight.category == *c
                && !v.insight.is_stale(today)
                && (today - v.insight.learned_on).num_days() <= ANSWERED_DAYS
        })
    })
    .map(|(_, question)| question)
    .collect()
}

/// An insight as a briefing line: text, date, author, out of date, confidential.
struct Line {
    text: String,
    when: String,
    author: String,
    stale: bool,
    confidential: bool,
}

#[derive(Template)]
#[template(path = "briefing/person.html")]
struct PersonBriefingPage<'a> {
    ctx: &'a Ctx,
    t: &'static Texts,
    id: PersonId,
    name: String,
    title: String,
    level: String,
    unit: String,
    organization: String,
    /// Since when in the current position.
    since: Option<String>,
    /// Earlier employers.
    earlier: Vec<String>,
    manager: Option<Who>,
    reports: Vec<Who>,
    assistants: Vec<Who>,
    holders: Vec<Holder>,
    /// The people around them and who of ours holds each.
    around: Vec<(Who, Vec<Holder>)>,
    /// Category, lines, more not shown.
    known: Vec<(&'static str, Vec<Line>, usize)>,
    /// The latest contacts: kind, when, summary, who of ours.
    last_contacts: Vec<(&'static str, String, String, String)>,
    /// The brief's questions nothing we know answers yet.
    questions: Vec<&'static str>,
}

async fn person_briefing(
    State(state): State<AppState>,
    Viewer(ctx): Viewer,
    Path(id): Path<PersonId>,
) -> PageResult {
    let b: PersonBriefing = state.app.person_briefing(&ctx.principal(), id).await?;
    let levels = &b.levels;
    let t = ctx.t();
    let d = &b.detail;
    let today = ctx.today();
    let mut earlier: Vec<String> = d
        .positions
        .iter()
        .filter(|p| p.organization_name != d.organization.name)
        .map(|p| p.organization_name.clone())
        .collect();
    earlier.dedup();
    let known = Category::ALL
        .iter()
        .filter_map(|c| {
            let all: Vec<_> = b
                .insights
                .iter()
                .filter(|i| i.insight.category == *c)
                .collect();
            (!all.is_empty()).then(|| {
                let lines = all
                    .iter()
                    .take(PER_CATEGORY)
                    .map(|v| Line {
                        text: v.insight.text.clone(),
                        when: ctx.date(&v.insight.learned_on),
                        author: v.author_name.clone(),
                        stale: v.insight.is_stale(today),
                        confidential: v.insight.confidential,
                    })
                    .collect();
                (
                    category(t, *c),
                    lines,
                    all.len().saturating_sub(PER_CATEGORY),
                )
            })
        })
        .collect();
    Ok(page(&PersonBriefingPage {
        ctx: &ctx,
        t,
        id,
        name: d.person.display_name(),
        title: d.person.job_title.clone().unwrap_or_default(),
        level: level_label(&ctx, levels, d.person.level_id).0,
        unit: d.unit.as_ref().map(|u| u.name.clone()).unwrap_or_default(),
        organization: d.organization.name.clone(),
        since: d
            .positions
            .iter()
            .find(|p| p.position.valid_to.is_none())
            .map(|p| ctx.date(&p.position.valid_from)),
        earlier,
        manager: d.manager.as_ref().map(|m| Who::of(&ctx, levels, m)),
        reports: d.reports.iter().map(|p| Who::of(&ctx, levels, p)).collect(),
        assistants: d
            .assistants
            .iter()
            .map(|p| Who::of(&ctx, levels, p))
            .collect(),
        holders: holders(&ctx, levels, &b.counterparts)
            .into_iter()
            .zip(&b.counterparts)
            .map(|(mut h, c)| {
                let series = b
                    .series
                    .get(&c.assignment.id)
                    .map_or(&[][..], Vec::as_slice);
                if series.len() > 1 {
                    let last: Vec<String> = series[series.len().saturating_sub(5)..]
                        .iter()
                        .map(i64::to_string)
                        .collect();
                    h.trend = last.join(" → ");
                }
                h
            })
            .collect(),
        questions: open_questions(t, &b.insights, today),
        around: b
            .around
            .iter()
            .map(|a| {
                (
                    Who::of(&ctx, levels, &a.person),
                    holders(&ctx, levels, &a.counterparts),
                )
            })
            .collect(),
        known,
        last_contacts: b
            .contacts
            .iter()
            .take(LAST_CONTACTS)
            .map(|c| {
                (
                    crate::render::contacts::kind(t, c.interaction.kind),
                    ctx.date(&c.interaction.happened_on),
                    c.interaction.summary.clone(),
                    c.author_name.clone(),
                )
            })
            .collect(),
    }))
}

/// A key person on the account briefing: who, their level, who of ours holds them (name,
/// rating), and the freshest thing we know about them.
struct KeyPerson {
    id: PersonId,
    name: String,
    title: String,
    level: String,
    ours: Vec<(String, Option<i64>)>,
    freshest: Option<(&'static str, String, String)>,
}

#[derive(Template)]
#[template(path = "briefing/account.html")]
struct AccountBriefingPage<'a> {
    ctx: &'a Ctx,
    t: &'static Texts,
    id: AccountId,
    name: String,
    facts: Vec<String>,
    /// Mirror score, shape, the most severe findings as sentences, findings not listed.
    mirror: Option<(f64, &'static str, Vec<String>, usize)>,
    people: Vec<KeyPerson>,
    /// What we know about the account itself: category, text, when, who.
    about_account: Vec<(&'static str, String, String, String)>,
    /// Since when changes are listed.
    changes_since: String,
    /// What changed since then: a line and its day, newest first.
    changes: Vec<(String, String)>,
}

async fn account_briefing(
    State(state): State<AppState>,
    Viewer(ctx): Viewer,
    Path(id): Path<AccountId>,
) -> PageResult {
    let account = state.app.account_briefing(&ctx.principal(), id).await?;
    let insights = &account.insights;
    let changes = &account.changes;
    let t = ctx.t();
    let levels = &account.levels;
    let mut facts = vec![t.relation(&account.account.relation).to_owned()];
    facts.extend(
        account
            .importance
            .map(|value| format!("{} {value:.0}", t.col_importance)),
    );
    facts.extend(account.responsible_unit.clone());
    facts.extend(account.manager.as_ref().map(|(_, name)| name.clone()));
    let people = account
        .contacts
        .iter()
        .map(|c| KeyPerson {
            id: c.person.id,
            name: c.person.display_name(),
            title: c.person.job_title.clone().unwrap_or_default(),
            level: crate::render::people::level_name(&ctx, c.level.as_ref()).0,
            ours: c.ours.clone(),
            freshest: insights
                .iter()
                .find(|i| i.insight.partner_id == Some(c.person.id))
                .map(|i| {
                    (
                        category(t, i.insight.category),
                        i.insight.text.clone(),
                        ctx.date(&i.insight.learned_on),
                    )
                }),
        })
        .collect();
    let mirror = account.mirror.as_ref().map(|m| {
        let sentences = crate::render::findings::finding_rows(&ctx, &m.top, &m.labels, levels)
            .into_iter()
            .map(|r| r.text)
            .collect();
        (
            m.score.value,
            crate::wording::shape(ctx.lang, m.shape),
            sentences,
            m.more,
        )
    });
    let about_account = insights
        .iter()
        .filter(|i| i.insight.partner_id.is_none())
        .take(PER_CATEGORY * 2)
        .map(|i| {
            (
                category(t, i.insight.category),
                i.insight.text.clone(),
                ctx.date(&i.insight.learned_on),
                i.author_name.clone(),
            )
        })
        .collect();
    Ok(page(&AccountBriefingPage {
        ctx: &ctx,
        t,
        id,
        name: account.account.name.clone(),
        facts,
        mirror,
        people,
        about_account,
        changes_since: ctx.date(&changes.since),
        changes: change_lines(&ctx, changes),
    }))
}

/// The ratings and counterpart changes of an account as lines, newest first.
fn change_lines(
    ctx: &Ctx,
    changes: &counterpart_app::briefing::AccountChanges,
) -> Vec<(String, String)> {
    let t = ctx.t();
    let mut lines: Vec<(chrono::NaiveDate, String)> = changes
        .ratings
        .iter()
        .map(|r| (r.rated_on, crate::pages::digest::rating_text(t, r)))
        .chain(changes.pairs.iter().map(|p| {
            (
                p.day,
                format!(
                    "{} ↔ {}: {}",
                    p.partner.1,
                    p.ours,
                    crate::pages::digest::pair_change(t, p)
                ),
            )
        }))
        .collect();
    lines.sort_by_key(|(day, _)| std::cmp::Reverse(*day));
    lines
        .into_iter()
        .take(12)
        .map(|(day, line)| (line, ctx.date(&day)))
        .collect()
}
