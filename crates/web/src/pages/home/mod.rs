//! The landing page: My day for a user who is a person of our house, the portfolio overview
//! (with a hint to get linked) for everyone else; the overview also at `/overview`.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use counterpart_app::home::Home;
use counterpart_app::my_day::{FELL_SHOWN, FallingSatisfaction, MyDay, NextStep, PAIRS_SHOWN};
use counterpart_core::cadence::State as ContactState;

use crate::AppState;
use crate::ctx::{Ctx, Viewer};
use crate::i18n::Texts;
use crate::render::counterparts::contact_line;
use crate::render::insights::InsightSection;
use crate::render::{PageResult, page};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(landing))
        .route("/overview", get(overview))
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage<'a> {
    ctx: &'a Ctx,
    t: &'static Texts,
    home: Home,
    /// The user is not linked to a person of ours: say how to get My day.
    unlinked: bool,
}

/// One of my pairs as the table shows it.
struct PairRow {
    assignment_id: i64,
    partner_id: i64,
    name: String,
    organization: String,
    level: String,
    level_class: String,
    state: ContactState,
    line: String,
}

#[derive(Template)]
#[template(path = "my_day.html")]
struct MyDayPage<'a> {
    ctx: &'a Ctx,
    t: &'static Texts,
    day: MyDay,
    pairs: Vec<PairRow>,
    /// Pairs beyond those listed.
    more_pairs: usize,
    /// The key contacts with falling satisfaction listed: the largest drops.
    fell: Vec<FallingSatisfaction>,
    /// Key contacts with falling satisfaction beyond those listed.
    more_fell: usize,
    insights: InsightSection,
    since: Option<String>,
    meetings: Vec<MeetingRow>,
    actions: Vec<ActionRow>,
}

/// A coming jour-fixe meeting as My day announces it.
struct MeetingRow {
    series_id: i64,
    name: String,
    when: String,
    /// The meeting's page, once prepared.
    meeting: Option<i64>,
    cancelled: bool,
}

/// One of the user's open actions.
struct ActionRow {
    id: i64,
    version: i64,
    title: String,
    account: Option<(i64, String)>,
    due: String,
    overdue: bool,
}

impl MyDayPage<'_> {
    /// A next step in words: (anchor, the count in bold, the rest of the sentence).
    fn step(&self, step: &NextStep) -> (&'static str, String, &'static str) {
        let t = self.t;
        match *step {
            NextStep::Overdue(n) => ("#pairs", t.key_contacts(n), t.my_day_overdue),
            NextStep::Due(n) => ("#pairs", t.key_contacts(n), t.my_day_due),
            NextStep::Fell(n) => ("#fell", t.key_contacts(n), t.my_day_fell),
            NextStep::Read(n) => ("#new", t.insights(n), t.my_day_read),
            NextStep::UnitGaps(n) => ("#unit", t.key_contacts(n), t.my_day_unit_gaps),
            NextStep::Actions(n) => ("#actions", t.actions_due(n), t.my_day_actions),
        }
    }
}

async fn landing(State(state): State<AppState>, Viewer(ctx): Viewer) -> PageResult {
    let who = ctx.principal();
    let Some(day) = state.app.my_day(&who).await? else {
        return overview_page(&state, &ctx, who.user.is_some()).await;
    };
    let pairs = day
        .pairs
        .iter()
        .take(PAIRS_SHOWN)
        .map(|p| {
            let (level, level_class) = crate::render::people::level_name(&ctx, p.level.as_ref());
            PairRow {
                assignment_id: p.assignment_id.get(),
                partner_id: p.partner.id.get(),
                name: p.partner.display_name(),
                organization: p.organization.clone(),
                level,
                level_class,
                state: p.cadence.state,
                line: contact_line(&ctx, &p.cadence),
            }
        })
        .collect();
    let insights = InsightSection::of(&ctx, day.new_insights.clone(), String::new(), true);
    let meetings = day
        .meetings
        .iter()
        .map(|(series, o)| MeetingRow {
            series_id: series.id.get(),
            name: series.name.clone(),
            when: ctx.datetime(&o.starts_at()),
            meeting: o
                .meeting
                .as_ref()
                .filter(|m| m.prepared_at.is_some())
                .map(|m| m.id.get()),
            cancelled: o.cancelled(),
        })
        .collect();
    let actions = day
        .actions
        .iter()
        .map(|a| ActionRow {
            id: a.action.id.get(),
            version: a.action.version,
            title: a.action.title.clone(),
            account: a
                .action
                .account_id
                .zip(a.account_name.clone())
                .map(|(id, name)| (id.get(), name)),
            due: ctx.date(&a.action.due_on),
            overdue: a.action.overdue(day.today),
        })
        .collect();
    Ok(page(&MyDayPage {
        meetings,
        actions,
        t: ctx.t(),
        since: day.since.map(|s| ctx.datetime(&s)),
        ctx: &ctx,
        more_pairs: day.pairs.len().saturating_sub(PAIRS_SHOWN),
        pairs,
        fell: day.fell.iter().take(FELL_SHOWN).cloned().collect(),
        more_fell: day.fell.len().saturating_sub(FELL_SHOWN),
        insights,
        day,
    }))
}

async fn overview(State(state): State<AppState>, Viewer(ctx): Viewer) -> PageResult {
    overview_page(&state, &ctx, false).await
}

async fn overview_page(state: &AppState, ctx: &Ctx, unlinked: bool) -> PageResult {
    let home = state.app.home(&ctx.principal()).await?;
    Ok(page(&HomePage {
        t: ctx.t(),
        ctx,
        home,
        unlinked,
    }))
}
