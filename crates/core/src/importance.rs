//! What "important" means, defined by the team: weighted criteria, each member's proposed
//! weights and ratings, the aggregate score and tier of every account, and where members
//! disagree so the team knows what to discuss.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::account::Relation;
use crate::ids::{AccountId, CriterionId, UserId};
use crate::macros::string_enum;
use crate::validate::{FieldErrors, Problem, optional_multiline, required_text};

string_enum! {
    /// Which accounts a criterion applies to.
    pub enum Scope {
        /// Every account.
        All = "all",
        /// Customers (and accounts that are both).
        Customer = "customer",
        /// Suppliers (and accounts that are both).
        Supplier = "supplier",
        /// Internal accounts (neighbouring departments).
        Internal = "internal",
    }
}

impl Scope {
    /// Whether the criterion applies to an account of this relation and side.
    pub fn applies(self, relation: Relation, internal: bool) -> bool {
        match self {
            Self::All => true,
            Self::Customer => relation.is_customer() && !internal,
            Self::Supplier => relation.is_supplier() && !internal,
            Self::Internal => internal,
        }
    }
}

/// An importance criterion.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Criterion {
    /// Its id.
    pub id: CriterionId,
    /// German name.
    pub name_de: String,
    /// English name.
    pub name_en: String,
    /// German description (what a 1 and a 5 mean).
    pub description_de: String,
    /// English description.
    pub description_en: String,
    /// Which accounts it applies to.
    pub scope: Scope,
    /// The final weight, set by the lead after the team discussed the proposals.
    pub weight: f64,
    /// Display order.
    pub rank: i64,
    /// Optimistic-concurrency version.
    pub version: i64,
}

/// Validated input for a criterion.
#[derive(Clone, Debug, PartialEq)]
pub struct CriterionInput {
    /// German name.
    pub name_de: String,
    /// English name.
    pub name_en: String,
    /// German description.
    pub description_de: String,
    /// English description.
    pub description_en: String,
    /// Scope.
    pub scope: Scope,
    /// Final weight, 0–100.
    pub weight: f64,
}

/// Parses a weight: a number from 0 to 100 (German decimal comma accepted).
pub fn parse_weight(value: &str) -> Result<f64, Problem> {
    let value = value.trim().replace(',', ".");
    if value.is_empty() {
        return Err(Problem::Required);
    }
    match value.parse::<f64>() {
        Ok(w) if w.is_finite() && (0.0..=100.0).contains(&w) => Ok(w),
        _ => Err(Problem::OutOfRange { min: 0, max: 100 }),
    }
}

impl CriterionInput {
    /// Validates the form values.
    pub fn parse(
        name_de: &str,
        name_en: &str,
        description_de: &str,
        description_en: &str,
        scope: &str,
        weight: &str,
    ) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::default();
        let de = e.take("name_de", required_text(name_de, 120));
        let en = e.take("name_en", required_text(name_en, 120));
        let dde = e.take("description_de", optional_multiline(description_de, 2000));
        let den = e.take("description_en", optional_multiline(description_en, 2000));
        let scope = e.take("scope", scope.parse());
        let weight = e.take("weight", parse_weight(weight));
        e.into_result(|| Self {
            name_de: de.unwrap_or_default(),
            name_en: en.unwrap_or_default(),
            description_de: dde.flatten().unwrap_or_default(),
            description_en: den.flatten().unwrap_or_default(),
            scope: scope.unwrap_or(Scope::All),
            weight: weight.unwrap_or(0.0),
        })
    }
}

/// One member's proposed weight for a criterion.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WeightProposal {
    /// The criterion.
    pub criterion_id: CriterionId,
    /// Who proposed.
    pub user_id: UserId,
    /// Their name.
    pub user_name: String,
    /// The proposed weight, 0–100.
    pub weight: f64,
}

/// One member's rating of one account on one criterion.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CriterionRating {
    /// The account.
    pub account_id: AccountId,
    /// The criterion.
    pub criterion_id: CriterionId,
    /// Who rated.
    pub user_id: UserId,
    /// Their name.
    pub user_name: String,
    /// 1 (unimportant) to 5 (very important).
    pub score: i64,
}

/// The tag of one member's ratings of one account: a fingerprint of every (criterion,
/// score) of theirs, in any order, the same on every instance and release. A change of
/// their ratings names the tag of those it was made from (the API's `If-Match`), so that
/// nobody overwrites ratings they have not seen.
pub fn ratings_tag(ratings: &[(CriterionId, i64)]) -> String {
    let mut sorted = ratings.to_vec();
    sorted.sort_unstable();
    let text: String = sorted
        .iter()
        .map(|(criterion, score)| format!("{criterion}={score};"))
        .collect();
    // FNV-1a, 64 bits.
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |hash, b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    format!("r{hash:016x}")
}

/// Summary statistics of several members' numbers, to show agreement at a glance.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Spread {
    /// How many members gave a number.
    pub count: usize,
    /// Their mean.
    pub mean: f64,
    /// The smallest.
    pub min: f64,
    /// The largest.
    pub max: f64,
}

impl Spread {
    /// Statistics of the values; `None` when there are none.
    pub fn of(values: impl IntoIterator<Item = f64>) -> Option<Self> {
        let mut count = 0;
        let (mut sum, mut min, mut max) = (0.0, f64::INFINITY, f64::NEG_INFINITY);
        for v in values {
            count += 1;
            sum += v;
            min = min.min(v);
            max = max.max(v);
        }
        (count > 0).then(|| Self {
            count,
            mean: sum / count as f64,
            min,
            max,
        })
    }

    /// The distance between the highest and the lowest value.
    pub fn range(&self) -> f64 {
        self.max - self.min
    }

    /// Whether members disagree enough to discuss: ratings two or more points apart on the
    /// 1–5 scale (or, for weights, `threshold` apart).
    pub fn disputed(&self, threshold: f64) -> bool {
        self.count > 1 && self.range() >= threshold
    }
}

/// How far apart ratings must be (on 1–5) to count as a disagreement.
pub const RATING_DISPUTE: f64 = 2.0;
/// How far apart weight proposals must be (on 0–100) to count as a disagreement.
pub const WEIGHT_DISPUTE: f64 = 20.0;

/// One criterion's part in an account's score, shown so nobody has to trust a black box.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScorePart {
    /// The criterion.
    pub criterion_id: CriterionId,
    /// The members' ratings.
    pub spread: Spread,
    /// The criterion's final weight.
    pub weight: f64,
    /// Points this criterion adds to the 0–100 score.
    pub points: f64,
}

/// An account's importance.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Score {
    /// 0 (all rated 1) to 100 (all rated 5), weighted.
    pub value: f64,
    /// The tier by the thresholds.
    pub tier: Tier,
    /// Each rated criterion's part.
    pub parts: Vec<ScorePart>,
}

string_enum! {
    /// Importance tier.
    pub enum Tier {
        /// The most important accounts.
        A = "A",
        /// Important.
        B = "B",
        /// The rest.
        C = "C",
    }
}

/// Score thresholds for the tiers: A from `a`, B from `b`, else C.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Tiers {
    /// Lowest score of tier A.
    pub a: f64,
    /// Lowest score of tier B.
    pub b: f64,
}

impl Default for Tiers {
    fn default() -> Self {
        Self { a: 70.0, b: 40.0 }
    }
}

impl Tiers {
    /// The tier of a score.
    pub fn tier(&self, score: f64) -> Tier {
        if score >= self.a {
            Tier::A
        } else if score >= self.b {
            Tier::B
        } else {
            Tier::C
        }
    }

    /// Validates thresholds: both 0–100, A above B.
    pub fn parse(a: &str, b: &str) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::default();
        let a = e.take("tier_a", parse_weight(a));
        let b = e.take("tier_b", parse_weight(b));
        if let (Some(a), Some(b)) = (a, b)
            && a <= b
        {
            e.add(
                "tier_a",
                Problem::OutOfRange {
                    min: b.ceil() as i64 + 1,
                    max: 100,
                },
            );
        }
        e.into_result(|| Self {
            a: a.unwrap_or(70.0),
            b: b.unwrap_or(40.0),
        })
    }
}

/// The weighted score of one account from the members' ratings.
///
/// Each applicable criterion with at least one rating contributes its mean rating, mapped from
/// 1–5 to 0–1, times its weight; the sum is divided by the weights of the rated criteria and
/// scaled to 0–100. Unrated criteria do not count (they would otherwise drag every new account
/// down). `None` when nothing applicable is rated or all weights are zero.
pub fn score(
    criteria: &[Criterion],
    ratings: &[CriterionRating],
    relation: Relation,
    internal: bool,
    tiers: &Tiers,
) -> Option<Score> {
    let mut by_criterion: BTreeMap<CriterionId, Vec<f64>> = BTreeMap::new();
    for r in ratings {
        by_criterion
            .entry(r.criterion_id)
            .or_default()
            .push(r.score as f64);
    }
    let mut parts = Vec::new();
    let mut total_weight = 0.0;
    for c in criteria
        .iter()
        .filter(|c| c.scope.applies(relation, internal) && c.weight > 0.0)
    {
        let Some(spread) = by_criterion
            .get(&c.id)
            .and_then(|v| Spread::of(v.iter().copied()))
        else {
            continue;
        };
        total_weight += c.weight;
        parts.push(ScorePart {
            criterion_id: c.id,
            spread,
            weight: c.weight,
            points: c.weight * (spread.mean - 1.0) / 4.0,
        });
    }
    if total_weight <= 0.0 {
        return None;
    }
    for part in &mut parts {
        part.points = part.points / total_weight * 100.0;
    }
    let value = parts.iter().map(|p| p.points).sum::<f64>();
    Some(Score {
        value,
        tier: tiers.tier(value),
        parts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn criterion(id: i64, weight: f64, scope: Scope) -> Criterion {
        Criterion {
            id: CriterionId::new(id),
            name_de: format!("K{id}"),
            name_en: format!("C{id}"),
            description_de: String::new(),
            description_en: String::new(),
            scope,
            weight,
            rank: id,
            version: 1,
        }
    }

    fn rating(criterion: i64, user: i64, score: i64) -> CriterionRating {
        CriterionRating {
            account_id: AccountId::new(1),
            criterion_id: CriterionId::new(criterion),
            user_id: UserId::new(user),
            user_name: format!("U{user}"),
            score,
        }
    }

    #[test]
    fn score_is_the_weighted_mean_mapped_to_0_100() {
        let criteria = [
            criterion(1, 30.0, Scope::All),
            criterion(2, 10.0, Scope::All),
        ];
        // Criterion 1: mean 5 → 1.0; criterion 2: mean 1 → 0.0. Weighted: 30/40 = 75.
        let ratings = [rating(1, 1, 5), rating(1, 2, 5), rating(2, 1, 1)];
        let s = score(
            &criteria,
            &ratings,
            Relation::Customer,
            false,
            &Tiers::default(),
        )
        .unwrap();
        assert!((s.value - 75.0).abs() < 1e-9, "{}", s.value);
        assert_eq!(s.tier, Tier::A);
        assert!((s.parts[0].points - 75.0).abs() < 1e-9);
        assert_eq!(s.parts[1].points, 0.0);
    }

    #[test]
    fn unrated_and_foreign_criteria_do_not_count() {
        let criteria = [
            criterion(1, 50.0, Scope::Customer),
            criterion(2, 50.0, Scope::Supplier),
            criterion(3, 50.0, Scope::All),
        ];
        let ratings = [rating(1, 1, 3), rating(2, 1, 5)];
        let s = score(
            &criteria,
            &ratings,
            Relation::Customer,
            false,
            &Tiers::default(),
        )
        .unwrap();
        assert_eq!(
            s.parts.len(),
            1,
            "supplier criterion and unrated criterion left out"
        );
        assert!((s.value - 50.0).abs() < 1e-9);
        assert_eq!(s.tier, Tier::B);
        assert!(score(&criteria, &[], Relation::Customer, false, &Tiers::default()).is_none());
    }

    #[test]
    fn scopes() {
        assert!(Scope::Customer.applies(Relation::Both, false));
        assert!(!Scope::Customer.applies(Relation::Supplier, false));
        assert!(!Scope::Customer.applies(Relation::Customer, true));
        assert!(Scope::Internal.applies(Relation::Customer, true));
    }

    #[test]
    fn disagreement_is_a_wide_spread() {
        let s = Spread::of([1.0, 4.0, 3.0]).unwrap();
        assert_eq!((s.min, s.max, s.count), (1.0, 4.0, 3));
        assert!(s.disputed(RATING_DISPUTE));
        assert!(!Spread::of([3.0, 4.0]).unwrap().disputed(RATING_DISPUTE));
        assert!(
            !Spread::of([5.0]).unwrap().disputed(RATING_DISPUTE),
            "one voice is no dispute"
        );
        assert!(Spread::of([]).is_none());
    }

    #[test]
    fn tiers_and_their_validation() {
        let t = Tiers { a: 70.0, b: 40.0 };
        assert_eq!(t.tier(70.0), Tier::A);
        assert_eq!(t.tier(69.9), Tier::B);
        assert_eq!(t.tier(10.0), Tier::C);
        assert!(Tiers::parse("40", "70").is_err());
        assert_eq!(
            Tiers::parse("80", "50,5").unwrap(),
            Tiers { a: 80.0, b: 50.5 }
        );
        assert_eq!(
            parse_weight("abc"),
            Err(Problem::OutOfRange { min: 0, max: 100 })
        );
    }

    #[test]
    fn a_members_ratings_have_one_tag_in_any_order_and_another_once_changed() {
        let c = CriterionId::new;
        let tag = ratings_tag(&[(c(1), 4), (c(2), 5)]);
        assert_eq!(tag, ratings_tag(&[(c(2), 5), (c(1), 4)]));
        assert!(tag.starts_with('r') && tag.len() == 17, "{tag}");
        for other in [
            ratings_tag(&[(c(1), 4)]),
            ratings_tag(&[(c(1), 4), (c(2), 4)]),
            ratings_tag(&[(c(1), 4), (c(3), 5)]),
            ratings_tag(&[]),
        ] {
            assert_ne!(tag, other);
        }
        // Fixed across releases: a tag handed out stays valid after an upgrade.
        assert_eq!(ratings_tag(&[]), "rcbf29ce484222325");
    }

    proptest! {
        /// The score always lies in 0–100 and rises when any rating rises.
        #[test]
        fn score_is_bounded_and_monotone(
            weights in prop::collection::vec(0.0f64..100.0, 1..6),
            scores in prop::collection::vec((0usize..6, 1i64..=5), 1..30),
            bump in 0usize..30,
        ) {
            let criteria: Vec<Criterion> = weights.iter().enumerate()
                .map(|(i, w)| criterion(i as i64, *w, Scope::All)).collect();
            let ratings: Vec<CriterionRating> = scores.iter().enumerate()
                .map(|(u, (c, s))| rating((*c % criteria.len()) as i64, u as i64, *s)).collect();
            let tiers = Tiers::default();
            if let Some(s) = score(&criteria, &ratings, Relation::Customer, false, &tiers) {
                prop_assert!((-1e-9..=100.0 + 1e-9).contains(&s.value));
                let mut higher = ratings.clone();
                let i = bump % higher.len();
                higher[i].score = (higher[i].score + 1).min(5);
                let t = score(&criteria, &higher, Relation::Customer, false, &tiers).unwrap();
                prop_assert!(t.value >= s.value - 1e-9);
            }
        }
    }
}
