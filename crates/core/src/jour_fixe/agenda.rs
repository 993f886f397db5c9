//! A meeting's agenda as prepared from the data: for every covered account, what changed since
//! the previous meeting, and the brief's three questions with what the data already answers —
//! how the customer and its environment develop, how satisfied they are, and **who has the
//! information** (the people of ours in contact, by level, with their last contact).
//!
//! The store reads an account's [`Facts`]; [`prepare`] turns them into a [`PreparedAccount`],
//! which is kept as prepared (JSON) so that the agenda reads later as it was sent.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::cadence::{Cadence, State};
use crate::ids::{AccountId, PersonId};
use crate::importance::Tier;
use crate::insight::Category;
use crate::mirror::analysis::{Finding, MirrorBrief};

/// A person as an agenda names them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    /// Display name.
    pub name: String,
    /// Their level's rank (1 the top), if set.
    pub level_rank: Option<i64>,
}

/// A rating of a pair: relationship and satisfaction, 1–5.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingFact {
    /// The partner person.
    pub partner: PersonId,
    /// Our person.
    pub ours: PersonId,
    /// When.
    pub on: NaiveDate,
    /// The relationship.
    pub relationship: i64,
    /// The partner's satisfaction.
    pub satisfaction: i64,
}

/// A counterpart pair of one of the account's key contacts, current or ended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairFact {
    /// The partner person (a key contact).
    pub partner: PersonId,
    /// Our person.
    pub ours: PersonId,
    /// When it began.
    pub from: NaiveDate,
    /// When it ended, if it did.
    pub to: Option<NaiveDate>,
    /// The last contact, logged or rated.
    pub last_contact: Option<NaiveDate>,
    /// The pair's own contact interval, if set.
    pub every_days: Option<i64>,
}

/// An insight as the agenda counts it (never its text: the agenda is read by all
/// participants, whatever an insight's visibility).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InsightFact {
    /// What it is about.
    pub category: Category,
    /// When it was learned.
    pub on: NaiveDate,
}

/// An action still open on the account, as the agenda carries it over.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenAction {
    /// What.
    pub title: String,
    /// Who.
    pub owner: PersonId,
    /// By when.
    pub due_on: NaiveDate,
}

/// What the store reads about one account to prepare its agenda item.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Facts {
    /// The account.
    pub account_id: Option<AccountId>,
    /// Its name.
    pub name: String,
    /// Its importance score 0–100, if rated.
    pub importance: Option<f64>,
    /// Its tier, if rated.
    pub tier: Option<Tier>,
    /// The mirror in brief, as last analysed.
    pub brief: Option<MirrorBrief>,
    /// Everyone named below.
    pub people: BTreeMap<PersonId, Tag>,
    /// The key contacts' levels' ranks, for the default contact intervals.
    pub partner_ranks: BTreeMap<PersonId, i64>,
    /// Every rating of the key contacts' pairs, any order.
    pub ratings: Vec<RatingFact>,
    /// The key contacts' pairs, current and ended.
    pub pairs: Vec<PairFact>,
    /// Insights on the account and its key people that everyone may read.
    pub insights: Vec<InsightFact>,
    /// The importance criteria on which the team's ratings disagree: (German, English) name.
    pub disagreements: Vec<(String, String)>,
    /// Open actions on the account.
    pub actions: Vec<OpenAction>,
}

/// A rating that moved since the previous meeting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingMove {
    /// The partner person.
    pub partner: PersonId,
    /// Our person.
    pub ours: PersonId,
    /// When.
    pub on: NaiveDate,
    /// Relationship and satisfaction before, if rated before.
    pub before: Option<(i64, i64)>,
    /// Relationship and satisfaction now.
    pub now: (i64, i64),
}

impl RatingMove {
    /// Whether the partner's satisfaction fell.
    pub fn satisfaction_fell(&self) -> bool {
        self.before.is_some_and(|(_, s)| self.now.1 < s)
    }
}

/// Someone of ours in contact with the account: who has the information.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Informed {
    /// Our person.
    pub ours: PersonId,
    /// The key contacts they hold.
    pub partners: Vec<PersonId>,
    /// Their latest contact with any of them.
    pub last_contact: Option<NaiveDate>,
}

/// A pair past its contact interval.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overdue {
    /// The partner person.
    pub partner: PersonId,
    /// Our person.
    pub ours: PersonId,
    /// Their last contact.
    pub last_contact: Option<NaiveDate>,
    /// Days since.
    pub days: i64,
}

/// One account's agenda item as prepared.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PreparedAccount {
    /// The account.
    pub account_id: AccountId,
    /// Its name then.
    pub name: String,
    /// Its importance then.
    pub importance: Option<f64>,
    /// Its tier then.
    pub tier: Option<Tier>,
    /// The mirror score then, 0–100.
    pub mirror_score: Option<f64>,
    /// The most severe findings then.
    pub findings: Vec<Finding>,
    /// Findings not among them.
    pub more_findings: usize,
    /// The first day "what changed" looked at.
    pub since: NaiveDate,
    /// Ratings given since, newest first.
    pub ratings: Vec<RatingMove>,
    /// New insights since, by category, in the brief's order.
    pub insights: Vec<(Category, usize)>,
    /// Pairs begun since.
    pub began: Vec<(PersonId, PersonId)>,
    /// Pairs ended since.
    pub ended: Vec<(PersonId, PersonId)>,
    /// Current pairs past their interval, longest first.
    pub overdue: Vec<Overdue>,
    /// Criteria the team disagrees on: (German, English) name.
    pub disagreements: Vec<(String, String)>,
    /// Open actions carried over.
    pub actions: Vec<OpenAction>,
    /// Who has the information: ours in contact, top of the ladder first.
    pub informed: Vec<Informed>,
    /// Everyone named above.
    pub people: BTreeMap<PersonId, Tag>,
}

impl PreparedAccount {
    /// How much the account needs the meeting's attention: its findings, overdue pairs,
    /// satisfaction that fell, pairs that ended and overdue actions.
    pub fn need(&self, today: NaiveDate) -> usize {
        self.findings.len()
            + self.more_findings
            + self.overdue.len()
            + self
                .ratings
                .iter()
                .filter(|r| r.satisfaction_fell())
                .count()
            + self.ended.len()
            + self.actions.iter().filter(|a| a.due_on < today).count()
    }

    /// The name of someone named, or `?` if the agenda does not know them.
    pub fn name(&self, person: PersonId) -> &str {
        self.people.get(&person).map_or("?", |t| t.name.as_str())
    }

    /// New insights about the customer's development and environment (the first question).
    pub fn development_insights(&self) -> usize {
        self.insights
            .iter()
            .filter(|(c, _)| matches!(c, Category::Developments | Category::Environment))
            .map(|(_, n)| n)
            .sum()
    }

    /// New insights about satisfaction (the second question).
    pub fn satisfaction_insights(&self) -> usize {
        self.insights
            .iter()
            .filter(|(c, _)| *c == Category::Satisfaction)
            .map(|(_, n)| n)
            .sum()
    }
}

/// The agenda item of an account on `today`, counting changes from `since` (inclusive).
pub fn prepare(facts: Facts, since: NaiveDate, today: NaiveDate) -> PreparedAccount {
    let Facts {
        account_id,
        name,
        importance,
        tier,
        brief,
        people,
        partner_ranks,
        mut ratings,
        pairs,
        insights,
        disagreements,
        actions,
    } = facts;
    // Ratings oldest first, so that each one's predecessor is the pair's one before.
    ratings.sort_by_key(|r| (r.partner, r.ours, r.on));
    let mut moves: Vec<RatingMove> = ratings
        .iter()
        .enumerate()
        .filter(|(_, r)| r.on >= since)
        .map(|(i, r)| {
            let before = i
                .checked_sub(1)
                .map(|j| &ratings[j])
                .filter(|p| p.partner == r.partner && p.ours == r.ours)
                .map(|p| (p.relationship, p.satisfaction));
            RatingMove {
                partner: r.partner,
                ours: r.ours,
                on: r.on,
                before,
                now: (r.relationship, r.satisfaction),
            }
        })
        .collect();
    moves.sort_by(|a, b| b.on.cmp(&a.on).then(a.partner.cmp(&b.partner)));

    let mut counts: BTreeMap<Category, usize> = BTreeMap::new();
    for insight in insights.iter().filter(|i| i.on >= since && i.on <= today) {
        *counts.entry(insight.category).or_default() += 1;
    }
    let insights = Category::ALL
        .iter()
        .filter_map(|c| counts.get(c).map(|n| (*c, *n)))
        .collect();

    let began = pairs
        .iter()
        .filter(|p| p.from >= since && p.to.is_none_or(|to| to > p.from))
        .map(|p| (p.partner, p.ours))
        .collect();
    let ended = pairs
        .iter()
        .filter(|p| p.to.is_some_and(|to| to >= since && to <= today))
        .map(|p| (p.partner, p.ours))
        .collect();

    let current: Vec<&PairFact> = pairs.iter().filter(|p| p.to.is_none()).collect();
    let mut overdue: Vec<Overdue> = current
        .iter()
        .filter_map(|p| {
            let cadence = Cadence::on(
                today,
                p.from,
                p.last_contact,
                p.every_days,
                partner_ranks.get(&p.partner).copied(),
                tier,
            );
            (cadence.state == State::Overdue).then_some(Overdue {
                partner: p.partner,
                ours: p.ours,
                last_contact: p.last_contact,
                days: cadence.days,
            })
        })
        .collect();
    overdue.sort_by(|a, b| b.days.cmp(&a.days).then(a.partner.cmp(&b.partner)));

    let mut informed: BTreeMap<PersonId, Informed> = BTreeMap::new();
    for pair in &current {
        let entry = informed.entry(pair.ours).or_insert_with(|| Informed {
            ours: pair.ours,
            partners: Vec::new(),
            last_contact: None,
        });
        entry.partners.push(pair.partner);
        entry.last_contact = entry.last_contact.max(pair.last_contact);
    }
    let rank = |p: &PersonId| people.get(p).and_then(|t| t.level_rank).unwrap_or(i64::MAX);
    let name_of = |p: &PersonId| people.get(p).map(|t| t.name.clone()).unwrap_or_default();
    let mut informed: Vec<Informed> = informed.into_values().collect();
    informed.sort_by_cached_key(|i| (rank(&i.ours), name_of(&i.ours)));

    let (mirror_score, findings, more_findings) = match brief {
        Some(b) => (Some(b.score.value), b.top, b.more),
        None => (None, Vec::new(), 0),
    };
    let mut actions = actions;
    actions.sort_by_key(|a| a.due_on);
    PreparedAccount {
        account_id: account_id.unwrap_or(AccountId::new(0)),
        name,
        importance,
        tier,
        mirror_score,
        findings,
        more_findings,
        since,
        ratings: moves,
        insights,
        began,
        ended,
        overdue,
        disagreements,
        actions,
        informed,
        people,
    }
}

/// The agenda's order: the most important accounts first, among equally important ones (or
/// unrated ones, last) those that need the most attention, then by name.
pub fn order(items: &mut [PreparedAccount], today: NaiveDate) {
    items.sort_by(|a, b| {
        let importance = |p: &PreparedAccount| p.importance.unwrap_or(-1.0);
        importance(b)
            .total_cmp(&importance(a))
            .then(b.need(today).cmp(&a.need(today)))
            .then(a.name.cmp(&b.name))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: &str) -> NaiveDate {
        NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap()
    }

    fn p(n: i64) -> PersonId {
        PersonId::new(n)
    }

    fn tag(name: &str, rank: Option<i64>) -> Tag {
        Tag {
            name: name.into(),
            level_rank: rank,
        }
    }

    /// Isar, last met on 3 November: two partners (1, 2) with counterparts of ours (10, 11);
    /// one pair ended and one began since.
    fn facts() -> Facts {
        let rating = |partner, ours, on, relationship, satisfaction| RatingFact {
            partner: p(partner),
            ours: p(ours),
            on: day(on),
            relationship,
            satisfaction,
        };
        Facts {
            account_id: Some(AccountId::new(3)),
            name: "Isar".into(),
            importance: Some(80.0),
            people: [
                (p(1), tag("Anna Amann", Some(2))),
                (p(2), tag("Paul Petz", Some(3))),
                (p(10), tag("Vera Vogt", Some(2))),
                (p(11), tag("Karl Kühn", Some(3))),
                (p(12), tag("Lea Lang", Some(3))),
            ]
            .into(),
            partner_ranks: [(p(1), 2), (p(2), 3)].into(),
            ratings: vec![
                rating(1, 10, "2026-10-01", 4, 4),
                rating(1, 10, "2026-11-20", 4, 3), // satisfaction fell since
                rating(2, 11, "2026-09-01", 3, 3),
                rating(2, 11, "2026-11-02", 3, 3), // before "since"
            ],
            pairs: vec![
                PairFact {
                    partner: p(1),
                    ours: p(10),
                    from: day("2025-01-01"),
                    to: None,
                    last_contact: Some(day("2026-11-20")),
                    every_days: None,
                },
                PairFact {
                    partner: p(2),
                    ours: p(11),
                    from: day("2025-01-01"),
                    to: Some(day("2026-11-15")),
                    last_contact: Some(day("2026-11-02")),
                    every_days: None,
                },
                PairFact {
                    partner: p(2),
                    ours: p(12),
                    from: day("2026-11-15"),
                    to: None,
                    last_contact: None,
                    every_days: Some(7),
                },
            ],
            insights: vec![
                InsightFact {
                    category: Category::Satisfaction,
                    on: day("2026-11-10"),
                },
                InsightFact {
                    category: Category::Developments,
                    on: day("2026-11-12"),
                },
                InsightFact {
                    category: Category::Environment,
                    on: day("2026-11-30"),
                },
                InsightFact {
                    category: Category::Developments,
                    on: day("2026-10-01"), // before "since"
                },
            ],
            disagreements: vec![("Wachstumspotenzial".into(), "Growth potential".into())],
            actions: vec![OpenAction {
                title: "Angebot nachreichen".into(),
                owner: p(10),
                due_on: day("2026-11-30"),
            }],
            ..Facts::default()
        }
    }

    #[test]
    fn what_changed_since_the_previous_meeting() {
        let item = prepare(facts(), day("2026-11-03"), day("2026-12-07"));
        // One rating since, with the one before it: satisfaction 4 -> 3.
        assert_eq!(item.ratings.len(), 1);
        assert_eq!(item.ratings[0].before, Some((4, 4)));
        assert_eq!(item.ratings[0].now, (4, 3));
        assert!(item.ratings[0].satisfaction_fell());
        // Insights since, by category, in the brief's order; the older one not counted.
        assert_eq!(
            item.insights,
            vec![
                (Category::Satisfaction, 1),
                (Category::Developments, 1),
                (Category::Environment, 1)
            ]
        );
        assert_eq!(
            (item.development_insights(), item.satisfaction_insights()),
            (2, 1)
        );
        assert_eq!(item.began, vec![(p(2), p(12))]);
        assert_eq!(item.ended, vec![(p(2), p(11))]);
        // The new pair's own interval of a week has run out thrice over: overdue.
        assert_eq!(item.overdue.len(), 1);
        assert_eq!((item.overdue[0].partner, item.overdue[0].days), (p(2), 22));
        // Who has the information: the current pairs' people of ours, top of the ladder first.
        let informed: Vec<(&str, Option<NaiveDate>)> = item
            .informed
            .iter()
            .map(|i| (item.name(i.ours), i.last_contact))
            .collect();
        assert_eq!(
            informed,
            vec![("Vera Vogt", Some(day("2026-11-20"))), ("Lea Lang", None)]
        );
        // Findings 0 + overdue 1 + satisfaction fell 1 + ended 1 + overdue action 1.
        assert_eq!(item.need(day("2026-12-07")), 4);
    }

    #[test]
    fn the_agenda_puts_importance_before_need() {
        let today = day("2026-12-07");
        let mut calm = prepare(facts(), day("2026-12-06"), today);
        calm.name = "Calm".into();
        calm.overdue.clear();
        calm.actions.clear();
        calm.ended.clear();
        let mut busy = prepare(facts(), day("2026-11-03"), today);
        busy.name = "Busy".into();
        let mut minor = prepare(facts(), day("2026-11-03"), today);
        minor.name = "Minor".into();
        minor.importance = Some(20.0);
        let mut unrated = minor.clone();
        unrated.name = "Unrated".into();
        unrated.importance = None;
        let mut items = vec![unrated, minor, calm, busy];
        order(&mut items, today);
        let names: Vec<&str> = items.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, ["Busy", "Calm", "Minor", "Unrated"]);
    }
}
