//! The portfolio's mirror: the headline score and trend, our units rolled up, the accounts
//! that need attention first; for the whole portfolio or one of our units.

use askama::Template;
use axum::extract::{Query, State};
use counterpart_core::ids::{AccountId, UnitId};
use counterpart_core::mirror::analysis::{PortfolioAnalysis, Shape};
use serde::Deserialize;

use super::score_trend;
use crate::AppState;
use crate::ctx::{Ctx, Viewer};
use crate::error::AppError;
use crate::i18n::Texts;
use crate::render::charts::TimeChart;
use crate::render::score_class;
use crate::render::{PageResult, page};
use crate::wording::{self, Names};

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
    analysis: std::sync::Arc<PortfolioAnalysis>,
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
        .map(|(n, shape)| format!("{}: {n}", wording::shape(self.ctx.lang, *shape)))
        .collect::<Vec<_>>()
        .join(" · ")
    }

    fn indent(&self, depth: &usize) -> String {
        "– ".repeat(*depth)
    }
}

/// The portfolio page's query: an accept's outcome, and one of our units to look at.
#[derive(Deserialize, Default)]
pub(super) struct PortfolioQuery {
    accepted: Option<usize>,
    #[serde(default)]
    unit: String,
}

pub(super) async fn portfolio(
    State(state): State<AppState>,
    Viewer(ctx): Viewer,
    Query(q): Query<PortfolioQuery>,
) -> PageResult {
    // One of our units: its accounts and those of the units below it.
    let unit = match q.unit.as_str() {
        "" => None,
        id => Some(id.parse::<UnitId>().map_err(|_| AppError::BadRequest)?),
    };
    let mirror = state.app.portfolio_mirror(&ctx.principal(), unit).await?;
    let names = Names::new(ctx.lang, &mirror.labels, &mirror.levels);
    let attention = mirror
        .attention
        .iter()
        .map(|a| AttentionLine {
            id: a.attention.account_id,
            name: a.name.clone(),
            importance: a.attention.importance,
            score: a.attention.mirror_score,
            high: a.attention.high,
            medium: a.attention.medium,
            top: a.top.as_ref().map(|f| names.finding(f)),
        })
        .collect();
    let units = mirror
        .units
        .into_iter()
        .map(|line| UnitLine {
            id: line.unit.id,
            name: line.unit.name,
            depth: line.depth,
            accounts: line.rollup.accounts,
            weighted: line.rollup.weighted_score,
            mean: line.rollup.mean_score,
            high: line.rollup.bands.high,
            bow_ties: line.rollup.shapes.bow_tie,
        })
        .collect();
    Ok(page(&PortfolioPage {
        t: ctx.t(),
        trend: score_trend(&ctx, &mirror.trend),
        analysis: mirror.analysis,
        units,
        attention,
        unit: mirror.unit.map(|u| (u.id, u.name)),
        accepted: q.accepted,
        ctx: &ctx,
    }))
}
