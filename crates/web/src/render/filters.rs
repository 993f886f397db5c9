//! The account filters shown above account lists, the matrix and the portfolio picture
//! (`filters.html`): relation, side, tier and our responsible unit, from the query string.

use counterpart_app::organizations::UnitChoice;
use counterpart_core::account::Relation;
use counterpart_core::ids::UnitId;
use counterpart_core::importance::Tier;
use counterpart_store::AccountFilter;
use serde::Deserialize;

use crate::AppState;
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::render::Field;
use crate::render::forms::unit_field;

/// The list filters as they arrive in the query string.
#[derive(Deserialize, Default, Clone)]
pub(crate) struct FilterQuery {
    #[serde(default)]
    pub(crate) relation: String,
    #[serde(default)]
    pub(crate) side: String,
    #[serde(default)]
    pub(crate) tier: String,
    #[serde(default)]
    pub(crate) unit: String,
    /// Page of a long list, from 0.
    #[serde(default)]
    pub(crate) page: usize,
    /// How the KAM matrix is drawn: "compact" or the full entries.
    #[serde(default)]
    pub(crate) view: String,
}

impl FilterQuery {
    /// The filter as a query string (without the page), to keep it in page links.
    pub(crate) fn query(&self) -> String {
        format!(
            "relation={}&side={}&tier={}&unit={}{}",
            self.relation,
            self.side,
            self.tier,
            self.unit,
            if self.compact() { "&view=compact" } else { "" }
        )
    }

    /// Our unit filtered by, if one is.
    pub(crate) fn unit_id(&self) -> Option<UnitId> {
        self.unit.parse().ok()
    }

    /// Whether the matrix is asked for in its compact form.
    pub(crate) fn compact(&self) -> bool {
        self.view == "compact"
    }

    /// The store filter; unknown values mean "all".
    pub(crate) fn filter(&self) -> AccountFilter {
        AccountFilter {
            relation: self.relation.parse().ok(),
            internal: match self.side.as_str() {
                "internal" => Some(true),
                "external" => Some(false),
                _ => None,
            },
            tier: self.tier.parse().ok(),
            responsible_unit_id: self.unit_id(),
            responsible_unit_ids: Vec::new(),
            include_inactive: false,
            attention_below: None,
        }
    }
}

/// The filter fields with our units to choose from, read for them.
pub(crate) async fn our_filters(
    state: &AppState,
    ctx: &Ctx,
    q: &FilterQuery,
) -> Result<Vec<Field>, AppError> {
    let units = state
        .app
        .our_unit_choice(&ctx.principal(), q.unit_id())
        .await?;
    Ok(filter_fields(ctx, q, units))
}

/// The filter fields; the unit field offers the active ones of `our_units` (a search when our
/// house has many).
pub(crate) fn filter_fields(ctx: &Ctx, q: &FilterQuery, our_units: UnitChoice) -> Vec<Field> {
    let t = ctx.t();
    let all = || (String::new(), t.all_option.to_owned());
    let relations = std::iter::once(all()).chain(
        [Relation::Customer, Relation::Supplier]
            .iter()
            .map(|r| (r.as_str().to_owned(), t.relation(r).to_owned())),
    );
    let sides = [
        all(),
        ("external".to_owned(), t.side_external.to_owned()),
        ("internal".to_owned(), t.side_internal.to_owned()),
    ];
    let tiers = std::iter::once(all()).chain(
        Tier::ALL
            .iter()
            .map(|x| (x.as_str().to_owned(), x.as_str().to_owned())),
    );
    vec![
        Field::select("relation", t.filter_relation, &q.relation, relations),
        Field::select("side", t.filter_side, &q.side, sides),
        Field::select("tier", t.filter_tier, &q.tier, tiers),
        unit_field(
            "unit",
            t.filter_our_unit,
            &q.unit,
            our_units,
            Some(t.all_option),
            |n| n.unit.active,
        ),
    ]
}
