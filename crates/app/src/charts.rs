//! The org chart of an organization or one of its units: who is in scope, laid out by core.

use std::collections::{BTreeSet, HashSet};

use counterpart_core::ids::{OrganizationId, UnitId};
use counterpart_core::ladder::Level;
use counterpart_core::org::{Organization, Unit, UnitNode, subtree, unit_tree};
use counterpart_core::orgchart::{ChartOptions, ChartPerson, ChartUnit, Layout, layout};
use counterpart_store::ChartRow;

use crate::error::Result;
use crate::{App, Principal};

/// What a chart shows: the whole organization or one unit with everything below it, down to
/// a level, with some units folded into one box.
#[derive(Clone, Debug, Default)]
pub struct ChartRequest {
    /// The unit whose subtree is shown; the whole organization when `None`.
    pub unit: Option<UnitId>,
    /// The lowest level shown (its rank), all when `None`.
    pub max_level: Option<i64>,
    /// Units shown as one box with a head count.
    pub collapsed: BTreeSet<UnitId>,
}

/// An org chart, laid out.
#[derive(Clone, Debug)]
pub struct OrgChart {
    /// The organization.
    pub organization: Organization,
    /// All its units.
    pub units: Vec<Unit>,
    /// Its units as a tree, each after its parent.
    pub tree: Vec<UnitNode>,
    /// The unit shown, if the request named one of this organization.
    pub scope: Option<UnitId>,
    /// The units in scope: the unit and everything below it (`None`: all).
    pub in_scope: Option<HashSet<UnitId>>,
    /// The ladder.
    pub levels: Vec<Level>,
    /// The people in scope.
    pub rows: Vec<ChartRow>,
    /// The same people as the layout takes them.
    pub people: Vec<ChartPerson>,
    /// Where every box and line goes.
    pub picture: Layout,
}

impl App {
    /// The org chart of an organization, or of one of its units and what is below it.
    pub async fn org_chart(
        &self,
        _who: &Principal,
        id: OrganizationId,
        request: &ChartRequest,
    ) -> Result<OrgChart> {
        let organization = self.store.organization(id).await?;
        let (units, levels, rows) = tokio::try_join!(
            self.store.units(organization.id),
            self.store.levels(),
            self.store.chart_people(organization.id),
        )?;
        let tree = unit_tree(&units);
        let scope = request.unit.filter(|u| units.iter().any(|x| x.id == *u));
        let in_scope = scope.map(|u| subtree(&units, u));
        let within = |unit: Option<UnitId>| {
            in_scope
                .as_ref()
                .is_none_or(|s| unit.is_some_and(|u| s.contains(&u)))
        };
        let rows: Vec<ChartRow> = rows.into_iter().filter(|r| within(r.unit_id)).collect();
        let chart_units: Vec<ChartUnit> = tree
            .iter()
            .filter(|n| within(Some(n.unit.id)))
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
            max_level_rank: request.max_level,
            collapsed_units: request.collapsed.clone(),
            ..ChartOptions::default()
        };
        let picture = {
            let (units, people) = (chart_units, people.clone());
            tokio::task::spawn_blocking(move || layout(&units, &people, &options)).await?
        };
        Ok(OrgChart {
            organization,
            units,
            tree,
            scope,
            in_scope,
            levels,
            rows,
            people,
            picture,
        })
    }
}
