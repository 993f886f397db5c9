//! The org chart of an organization or one of its units, as an SVG picture drawn from
//! core's layout, with a level filter, collapsible units and an indented list beside it.

use std::collections::{BTreeSet, HashMap, HashSet};

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::routing::get;
use counterpart_core::ids::{OrganizationId, UnitId};
use counterpart_core::ladder::Level;
use counterpart_core::org::{Organization, Unit, unit_tree};
use counterpart_core::orgchart::{
    ChartOptions, ChartPerson, ChartUnit, LinkKind, NodeKind, layout, outline,
};
use counterpart_store::ChartRow;

use crate::AppState;
use crate::ctx::{Ctx, Viewer, encode_component};
use crate::i18n::Texts;
use crate::render::{PageResult, page};

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/organizations/{id}/chart", get(chart))
}

/// The chart's settings as they arrive in the query string. `collapse` may repeat.
#[derive(Clone, Debug, Default)]
struct Settings {
    unit: Option<UnitId>,
    max_level: Option<i64>,
    collapsed: BTreeSet<UnitId>,
}

impl Settings {
    fn parse(pairs: &[(String, String)]) -> Self {
        let mut s = Self::default();
        for (key, value) in pairs {
            match key.as_str() {
                "unit" => s.unit = value.parse().ok().map(UnitId::new),
                "levels" => s.max_level = value.parse().ok().filter(|n| *n >= 1),
                "collapse" => s.collapsed.extend(
                    value
                        .split(',')
                        .filter_map(|v| v.parse().ok())
                        .map(UnitId::new),
                ),
                _ => {}
            }
        }
        s
    }

    /// The URL of the chart with these settings, one unit's collapse state flipped.
    fn href(&self, org: OrganizationId, toggle: Option<UnitId>) -> String {
        let mut collapsed = self.collapsed.clone();
        if let Some(unit) = toggle
            && !collapsed.remove(&unit)
        {
            collapsed.insert(unit);
        }
        let mut query = Vec::new();
        if let Some(unit) = self.unit {
            query.push(format!("unit={unit}"));
        }
        if let Some(levels) = self.max_level {
            query.push(format!("levels={levels}"));
        }
        if !collapsed.is_empty() {
            let list: Vec<String> = collapsed.iter().map(ToString::to_string).collect();
            query.push(format!("collapse={}", encode_component(&list.join(","))));
        }
        format!("/organizations/{org}/chart?{}", query.join("&"))
    }
}

/// A person's box.
struct PersonBox {
    x: f64,
    y: f64,
    width: f64,
    height: f64,
    id: i64,
    name: String,
    title: String,
    full: String,
    level_class: String,
    hidden: usize,
    assistant: bool,
}

/// A collapsed unit's box or a unit caption.
struct UnitBox {
    x: f64,
    y: f64,
    width: f64,
    height: f64,
    name: String,
    short: String,
    people: usize,
    toggle: String,
}

#[derive(Template)]
#[template(path = "chart.html")]
struct ChartPage<'a> {
    ctx: &'a Ctx,
    t: &'static Texts,
    org: Organization,
    unit: Option<Unit>,
    width: f64,
    height: f64,
    boxes: Vec<PersonBox>,
    collapsed: Vec<UnitBox>,
    captions: Vec<UnitBox>,
    links: Vec<(String, bool)>,
    list: Vec<(usize, i64, String, String, String, String)>,
    legend: Vec<(String, String)>,
    unit_choices: Vec<(String, String, bool)>,
    level_choices: Vec<(String, String, bool)>,
    collapse_choices: Vec<(String, String, bool)>,
    people: usize,
}

/// Shortens a text to fit a box: at most `max` characters, with an ellipsis.
fn fit(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let mut short: String = text.chars().take(max.saturating_sub(1)).collect();
        short.push('…');
        short
    }
}

/// The unit and all units below it.
fn subtree(units: &[Unit], root: UnitId) -> HashSet<UnitId> {
    let mut set = HashSet::from([root]);
    let mut grew = true;
    while grew {
        grew = false;
        for u in units {
            if let Some(parent) = u.parent_id
                && set.contains(&parent)
                && set.insert(u.id)
            {
                grew = true;
            }
        }
    }
    set
}

fn level_class(rank: Option<i64>) -> String {
    match rank {
        Some(r @ 1..=5) => r.to_string(),
        Some(_) => "x".into(),
        None => "x".into(),
    }
}

async fn chart(
    State(state): State<AppState>,
    Viewer(ctx): Viewer,
    Path(id): Path<i64>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> PageResult {
    let t = ctx.t();
    let settings = Settings::parse(&pairs);
    let org = state.store().organization(OrganizationId::new(id)).await?;
    let all_units = state.store().units(org.id).await?;
    let levels: Vec<Level> = state.store().levels().await?;
    let rows: Vec<ChartRow> = state.store().chart_people(org.id).await?;
    let tree = unit_tree(&all_units);
    let scope = settings
        .unit
        .filter(|u| all_units.iter().any(|x| x.id == *u));
    let in_scope: Option<HashSet<UnitId>> = scope.map(|u| subtree(&all_units, u));
    let rows: Vec<&ChartRow> = rows
        .iter()
        .filter(|r| {
            in_scope
                .as_ref()
                .is_none_or(|s| r.unit_id.is_some_and(|u| s.contains(&u)))
        })
        .collect();
    let units: Vec<ChartUnit> = tree
        .iter()
        .filter(|n| in_scope.as_ref().is_none_or(|s| s.contains(&n.unit.id)))
        .map(|n| ChartUnit {
            id: n.unit.id,
            parent_id: n.unit.parent_id,
            name: n.unit.name.clone(),
        })
        .collect();
    let people: Vec<ChartPerson> = rows
        .iter()
        .map(|r| ChartPerson {
            id: r.id,
            unit_id: r.unit_id,
            reports_to: r.reports_to,
            assistant_of: r.assistant_of,
            level_rank: r.level_rank,
            sort_key: format!(
                "{:02}{}",
                r.level_rank.unwrap_or(99),
                r.family_name.to_lowercase()
            ),
        })
        .collect();
    let options = ChartOptions {
        max_level_rank: settings.max_level,
        collapsed_units: settings.collapsed.clone(),
        ..ChartOptions::default()
    };
    let picture = layout(&units, &people, &options);

    let by_id: HashMap<_, _> = rows.iter().map(|r| (r.id, *r)).collect();
    let unit_names: HashMap<UnitId, &str> =
        all_units.iter().map(|u| (u.id, u.name.as_str())).collect();
    let level_name = |rank: Option<i64>| {
        levels
            .iter()
            .find(|l| Some(l.rank) == rank)
            .map(|l| ctx.pick(&l.name_de, &l.name_en).to_owned())
            .unwrap_or_default()
    };
    let mut boxes = Vec::new();
    let mut collapsed = Vec::new();
    let mut captions = Vec::new();
    for node in &picture.nodes {
        let (x, y, width, height) = (node.x, node.y, node.width, node.height);
        match node.kind {
            NodeKind::Person { id, hidden_reports }
            | NodeKind::Assistant {
                id, hidden_reports, ..
            } => {
                let Some(row) = by_id.get(&id) else { continue };
                let title = row.job_title.clone().unwrap_or_default();
                boxes.push(PersonBox {
                    x,
                    y,
                    width,
                    height,
                    id: id.get(),
                    name: fit(&row.name, 26),
                    title: fit(&title, 30),
                    full: format!("{} – {} ({})", row.name, title, level_name(row.level_rank)),
                    level_class: level_class(row.level_rank),
                    hidden: hidden_reports,
                    assistant: matches!(node.kind, NodeKind::Assistant { .. }),
                });
            }
            NodeKind::CollapsedUnit { unit_id, people } => collapsed.push(UnitBox {
                x,
                y,
                width,
                height,
                name: unit_names.get(&unit_id).copied().unwrap_or("").to_owned(),
                short: fit(unit_names.get(&unit_id).copied().unwrap_or(""), 24),
                people,
                toggle: settings.href(org.id, Some(unit_id)),
            }),
            NodeKind::UnitCaption { unit_id } => captions.push(UnitBox {
                x,
                y,
                width,
                height,
                name: unit_names.get(&unit_id).copied().unwrap_or("").to_owned(),
                short: unit_names.get(&unit_id).copied().unwrap_or("").to_owned(),
                people: 0,
                toggle: settings.href(org.id, Some(unit_id)),
            }),
        }
    }
    let links = picture
        .links
        .iter()
        .map(|link| {
            let points = link
                .path(&picture)
                .iter()
                .map(|(x, y)| format!("{x:.1},{y:.1}"))
                .collect::<Vec<_>>()
                .join(" ");
            (points, link.kind == LinkKind::Assists)
        })
        .collect();
    let visible: HashSet<i64> = boxes.iter().map(|b| b.id).collect();
    let list = outline(&people)
        .into_iter()
        .filter(|(id, _)| visible.contains(&id.get()))
        .filter_map(|(id, depth)| {
            let row = by_id.get(&id)?;
            Some((
                depth,
                id.get(),
                row.name.clone(),
                row.job_title.clone().unwrap_or_default(),
                level_name(row.level_rank),
                level_class(row.level_rank),
            ))
        })
        .collect();
    let legend = levels
        .iter()
        .map(|l| {
            (
                level_class(Some(l.rank)),
                format!("{} · {}", l.rank, ctx.pick(&l.name_de, &l.name_en)),
            )
        })
        .collect();
    let mut unit_choices = vec![(String::new(), t.all_units.to_owned(), scope.is_none())];
    unit_choices.extend(tree.iter().filter(|n| n.unit.active).map(|n| {
        (
            n.unit.id.to_string(),
            format!("{}{}", "– ".repeat(n.depth), n.unit.name),
            Some(n.unit.id) == scope,
        )
    }));
    let mut level_choices = vec![(
        String::new(),
        t.all_levels.to_owned(),
        settings.max_level.is_none(),
    )];
    level_choices.extend(levels.iter().take(levels.len().saturating_sub(1)).map(|l| {
        let label = format!("{} 1–{}", t.levels_up_to, l.rank);
        (
            l.rank.to_string(),
            label,
            settings.max_level == Some(l.rank),
        )
    }));
    let collapse_choices = tree
        .iter()
        .filter(|n| in_scope.as_ref().is_none_or(|s| s.contains(&n.unit.id)) && n.unit.active)
        .map(|n| {
            (
                n.unit.id.to_string(),
                format!("{}{}", "– ".repeat(n.depth), n.unit.name),
                settings.collapsed.contains(&n.unit.id),
            )
        })
        .collect();
    Ok(page(&ChartPage {
        ctx: &ctx,
        t,
        unit: scope.and_then(|u| all_units.iter().find(|x| x.id == u).cloned()),
        org,
        width: picture.width.max(320.0),
        height: picture.height.max(80.0),
        boxes,
        collapsed,
        captions,
        links,
        list,
        legend,
        unit_choices,
        level_choices,
        collapse_choices,
        people: rows.len(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_round_trip_through_the_url() {
        let pairs = vec![
            ("unit".to_owned(), "4".to_owned()),
            ("levels".to_owned(), "3".to_owned()),
            ("collapse".to_owned(), "7".to_owned()),
            ("collapse".to_owned(), "9,11".to_owned()),
        ];
        let s = Settings::parse(&pairs);
        assert_eq!(s.max_level, Some(3));
        assert_eq!(s.collapsed.len(), 3);
        let href = s.href(OrganizationId::new(2), Some(UnitId::new(9)));
        assert_eq!(
            href,
            "/organizations/2/chart?unit=4&levels=3&collapse=7%2C11"
        );
    }

    #[test]
    fn long_names_are_shortened_with_an_ellipsis() {
        assert_eq!(fit("Weißenfels", 20), "Weißenfels");
        assert_eq!(
            fit("Bereichsleiter Vertrieb & Key Account Management", 12),
            "Bereichslei…"
        );
    }
}
