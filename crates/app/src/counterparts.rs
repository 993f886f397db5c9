//! Counterparts: which of our people holds the relationship to which partner person, as the
//! account page, the person page and the relationship page show it; assigning (from either
//! side), rating a relationship and ending an assignment.

use std::collections::HashMap;

use counterpart_core::account::{
    Assignment, AssignmentInput, AssignmentKind, DecisionRole, Health, Rating, RatingInput, Trend,
};
use counterpart_core::cadence::{self, Cadence};
use counterpart_core::ids::{AccountId, AssignmentId, LevelId, OrganizationId, PersonId};
use counterpart_core::importance::Tier;
use counterpart_core::ladder::Level;
use counterpart_core::org::OrganizationKind;
use counterpart_core::person::{Person, parse_date};
use counterpart_core::validate::FieldErrors;
use counterpart_store::CounterpartView;
use serde::Deserialize;

use crate::error::{Error, Result};
use crate::{App, Principal};

/// A level of the ladder by id, if the person has one.
pub(crate) fn level_of(levels: &[Level], id: Option<LevelId>) -> Option<Level> {
    levels.iter().find(|l| Some(l.id) == id).cloned()
}

/// One of our people who holds the relationship to a partner person, as a chip shows them.
#[derive(Clone, Debug)]
pub struct CounterpartChip {
    /// The assignment.
    pub assignment_id: AssignmentId,
    /// Our person.
    pub person_id: PersonId,
    /// Our person's name.
    pub name: String,
    /// Our person's level, if set.
    pub level: Option<Level>,
    /// Primary or deputy.
    pub kind: AssignmentKind,
    /// The latest relationship rating.
    pub rating: Option<i64>,
    /// The relationship's health by that rating.
    pub health: Health,
    /// Where the relationship ratings are heading.
    pub trend: Trend,
    /// Whether a contact is due: the expected interval, the last contact, the state.
    pub cadence: Cadence,
}

/// A partner person one of ours holds the relationship to.
#[derive(Clone, Debug)]
pub struct HeldCounterpart {
    /// The assignment.
    pub assignment_id: AssignmentId,
    /// The partner person.
    pub person_id: PersonId,
    /// Their name.
    pub name: String,
    /// Their organization's name.
    pub organization: String,
    /// Their level, if set.
    pub level: Option<Level>,
    /// Primary or deputy.
    pub kind: AssignmentKind,
    /// The latest relationship rating.
    pub rating: Option<i64>,
    /// The relationship's health by that rating.
    pub health: Health,
}

impl HeldCounterpart {
    fn of(view: CounterpartView, levels: &[Level]) -> Self {
        Self {
            assignment_id: view.assignment.id,
            person_id: view.person.person.id,
            name: view.person.person.display_name(),
            organization: view.person.organization_name,
            level: level_of(levels, view.person.person.level_id),
            kind: view.assignment.kind,
            rating: view.relationship,
            health: Health::of(view.relationship),
        }
    }
}

/// An account in which a partner person is a key contact, with their role in it.
#[derive(Clone, Debug)]
pub struct KeyContactIn {
    /// The account.
    pub account_id: AccountId,
    /// Its name.
    pub account_name: String,
    /// The person's role in its decisions.
    pub role: DecisionRole,
}

/// The counterpart section of a person page.
#[derive(Clone, Debug)]
pub struct Relations {
    /// True for people of our own house.
    pub is_own: bool,
    /// For a partner person (also one of ours in a neighbouring department that is a
    /// partner): our counterparts.
    pub chips: Vec<CounterpartChip>,
    /// For one of ours: the partner people they hold.
    pub held: Vec<HeldCounterpart>,
    /// The accounts in which the person is a key contact, by name: for one of ours, the
    /// accounts of the neighbouring departments they belong to.
    pub key_contact_in: Vec<KeyContactIn>,
    /// For a partner person, and for one of ours who is a key contact of a neighbouring
    /// department: our own organization, whose people can be assigned to them.
    pub own_organization: Option<OrganizationId>,
}

/// One side of a relationship: the person, their organization's name, their level.
#[derive(Clone, Debug)]
pub struct RelationshipSide {
    /// The person.
    pub person: Person,
    /// Their organization's name.
    pub organization: String,
    /// Their level, if set.
    pub level: Option<Level>,
}

/// The relationship page: an assignment, both sides, the ratings over time.
#[derive(Clone, Debug)]
pub struct RelationshipPage {
    /// The assignment.
    pub assignment: Assignment,
    /// The partner person.
    pub partner: RelationshipSide,
    /// Our person.
    pub ours: RelationshipSide,
    /// The ratings, oldest first.
    pub ratings: Vec<Rating>,
    /// Health by the latest relationship rating.
    pub health: Health,
    /// Where the relationship ratings are heading.
    pub trend: Trend,
    /// Whether a contact is due; `None` for an ended assignment.
    pub cadence: Option<Cadence>,
}

/// The assignment form as typed on a person page: the other side is one of ours for a
/// partner person, a partner person for one of ours. One of ours who is a key contact of a
/// neighbouring department may also be given a counterpart of ours (`our_id`).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct AssignmentFields {
    /// The person on the other side.
    pub other_id: String,
    /// One of ours to hold the person of the page, who is then the partner: for one of ours
    /// in a neighbouring department that is a partner. Takes the place of `other_id`.
    pub our_id: String,
    /// `primary` or `deputy`.
    pub kind: String,
    /// The first day.
    pub valid_from: String,
}

/// The rating form as typed.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct RatingFields {
    /// The day of the rating.
    pub rated_on: String,
    /// Relationship, 1–5.
    pub relationship: String,
    /// Partnership, 1–5.
    pub partnership: String,
    /// Satisfaction, 1–5.
    pub satisfaction: String,
    /// A comment.
    pub comment: String,
}

impl App {
    /// The current counterparts of several partner people (each with their level rank) as
    /// chips, in two reads whatever their number: the counterparts, and the rating series
    /// behind the trends. `tier` sets the default contact intervals.
    pub(crate) async fn chips_of_each(
        &self,
        who: &Principal,
        partners: &[(PersonId, Option<i64>)],
        (levels, tier): (&[Level], Option<Tier>),
    ) -> Result<HashMap<PersonId, Vec<CounterpartChip>>> {
        let ranks: HashMap<PersonId, Option<i64>> = partners.iter().copied().collect();
        let ids: Vec<PersonId> = partners.iter().map(|(id, _)| *id).collect();
        let today = self.today();
        let seen = self.visibility(who).await?;
        let views = self.store.counterparts_of_each(&ids, &seen).await?;
        let ids: Vec<AssignmentId> = views.iter().map(|v| v.assignment.id).collect();
        // A trend compares the last two ratings.
        let series = self.store.recent_relationship_series(&ids, 2).await?;
        let mut out: HashMap<PersonId, Vec<CounterpartChip>> = HashMap::new();
        for view in views {
            let trend = Trend::of(
                series
                    .get(&view.assignment.id)
                    .map_or(&[][..], Vec::as_slice),
            );
            out.entry(view.assignment.partner_id)
                .or_default()
                .push(CounterpartChip {
                    assignment_id: view.assignment.id,
                    person_id: view.person.person.id,
                    name: view.person.person.display_name(),
                    level: level_of(levels, view.person.person.level_id),
                    kind: view.assignment.kind,
                    rating: view.relationship,
                    health: Health::of(view.relationship),
                    trend,
                    cadence: Cadence::on(
                        today,
                        view.assignment.valid_from,
                        view.last_contact,
                        view.contact_every_days,
                        ranks.get(&view.assignment.partner_id).copied().flatten(),
                        tier,
                    ),
                });
        }
        Ok(out)
    }

    /// The counterpart section of a person page: for one of ours the partner people they
    /// hold; for a partner person our counterparts and the accounts they matter in. One of
    /// ours who is a key contact of a neighbouring department (an account of our own house)
    /// is both: the page shows whom they hold and who of ours holds them.
    pub(crate) async fn relations(
        &self,
        who: &Principal,
        person: &Person,
        kind: OrganizationKind,
        levels: &[Level],
    ) -> Result<Relations> {
        let seen = self.visibility(who).await?;
        let held = if kind == OrganizationKind::Own {
            self.store
                .counterparts_held_by(person.id, false, &seen)
                .await?
                .into_iter()
                .map(|view| HeldCounterpart::of(view, levels))
                .collect()
        } else {
            Vec::new()
        };
        let key_contact_in: Vec<KeyContactIn> = self
            .store
            .key_contact_roles(person.id, &seen)
            .await?
            .into_iter()
            .map(|(contact, account)| KeyContactIn {
                account_id: account.id,
                account_name: account.name,
                role: contact.role,
            })
            .collect();
        if kind == OrganizationKind::Own && key_contact_in.is_empty() {
            return Ok(Relations {
                is_own: true,
                chips: Vec::new(),
                held,
                key_contact_in,
                own_organization: None,
            });
        }
        let own_organization = self.store.own_organization().await?.map(|o| o.id);
        let rank = level_of(levels, person.level_id).map(|l| l.rank);
        let tier = self.store.partner_tier(person.id, &seen).await?;
        // The pairs of a key contact of hidden accounts only are those accounts' (and left
        // out by the store).
        let chips = self
            .chips_of_each(who, &[(person.id, rank)], (levels, tier))
            .await?
            .remove(&person.id)
            .unwrap_or_default();
        Ok(Relations {
            is_own: kind == OrganizationKind::Own,
            chips,
            held,
            key_contact_in,
            own_organization,
        })
    }

    /// One assignment `who` sees: the pair of a partner who matters in hidden accounts only
    /// is not found.
    async fn visible_assignment(&self, who: &Principal, id: AssignmentId) -> Result<Assignment> {
        let assignment = self.store.assignment(id).await?;
        self.may_see_pairs_of(who, assignment.partner_id).await?;
        Ok(assignment)
    }

    /// The relationship page of an assignment.
    pub async fn relationship_page(
        &self,
        who: &Principal,
        id: AssignmentId,
    ) -> Result<RelationshipPage> {
        let assignment = self.visible_assignment(who, id).await?;
        let seen = self.visibility(who).await?;
        let levels = self.store.levels().await?;
        let partner = self.store.person(assignment.partner_id).await?;
        let ours = self.store.person(assignment.our_id).await?;
        let partner_org = self.store.organization(partner.organization_id).await?;
        let our_org = self.store.organization(ours.organization_id).await?;
        let ratings = self.store.ratings(id).await?;
        let cadence = match assignment.valid_to {
            Some(_) => None,
            None => {
                let (last, every) = self.store.pair_contact(id).await?;
                let tier = self.store.partner_tier(partner.id, &seen).await?;
                let rank = level_of(&levels, partner.level_id).map(|l| l.rank);
                Some(Cadence::on(
                    self.today(),
                    assignment.valid_from,
                    last,
                    every,
                    rank,
                    tier,
                ))
            }
        };
        let series: Vec<i64> = ratings.iter().map(|r| r.relationship).collect();
        let side = |person: Person, organization: String| RelationshipSide {
            level: level_of(&levels, person.level_id),
            person,
            organization,
        };
        Ok(RelationshipPage {
            assignment,
            partner: side(partner, partner_org.name),
            ours: side(ours, our_org.name),
            health: Health::of(series.last().copied()),
            trend: Trend::of(&series),
            ratings,
            cadence,
        })
    }

    /// One assignment with its pair's latest relationship rating, last contact and own
    /// contact interval (current or ended).
    pub async fn assignment_view(
        &self,
        who: &Principal,
        id: AssignmentId,
    ) -> Result<CounterpartView> {
        let assignment = self.store.assignment(id).await?;
        let seen = self.visibility(who).await?;
        self.store
            .counterparts_of(assignment.partner_id, true, &seen)
            .await?
            .into_iter()
            .find(|v| v.assignment.id == id)
            .ok_or(Error::NotFound)
    }

    /// The current counterpart assignments of an account's key contacts, by assignment id:
    /// the counterparts its page shows.
    pub async fn assignments_of_account(
        &self,
        who: &Principal,
        account: AccountId,
    ) -> Result<Vec<CounterpartView>> {
        self.visible_account(who, account).await?;
        let seen = self.visibility(who).await?;
        let partners: Vec<PersonId> = self
            .store
            .key_contacts(account)
            .await?
            .iter()
            .map(|k| k.person_id)
            .collect();
        let mut views = self.store.counterparts_of_each(&partners, &seen).await?;
        views.sort_by_key(|v| v.assignment.id);
        views.dedup_by_key(|v| v.assignment.id);
        Ok(views)
    }

    /// A person's counterpart assignments from either side, by assignment id: for a partner
    /// person who of ours holds them, for one of ours whom they hold (one of ours who is a
    /// key contact of a neighbouring department has both). Current ones, or with `history`
    /// the ended ones too.
    pub async fn assignments_of_person(
        &self,
        who: &Principal,
        person: PersonId,
        history: bool,
    ) -> Result<Vec<CounterpartView>> {
        self.store.person(person).await?;
        let seen = self.visibility(who).await?;
        let (held, holders) = tokio::try_join!(
            self.store.counterparts_held_by(person, history, &seen),
            self.store.counterparts_of(person, history, &seen),
        )?;
        let mut views: Vec<CounterpartView> = held.into_iter().chain(holders).collect();
        views.sort_by_key(|v| v.assignment.id);
        views.dedup_by_key(|v| v.assignment.id);
        Ok(views)
    }

    /// The ratings of a relationship in the order they were recorded.
    pub async fn relationship_ratings(
        &self,
        who: &Principal,
        id: AssignmentId,
    ) -> Result<Vec<Rating>> {
        let assignment = self.store.assignment(id).await?;
        self.may_see_pairs_of(who, assignment.partner_id).await?;
        let mut ratings = self.store.ratings(id).await?;
        ratings.sort_by_key(|r| r.id);
        Ok(ratings)
    }

    /// Sets a pair's own expected contact interval (`every_days` as typed; empty: back to the
    /// default), if nobody changed the assignment since `version`.
    pub async fn set_contact_interval(
        &self,
        who: &Principal,
        id: AssignmentId,
        version: i64,
        every_days: &str,
    ) -> Result<Assignment> {
        who.may_edit()?;
        self.visible_assignment(who, id).await?;
        let days = cadence::parse_days(every_days)
            .map_err(|p| FieldErrors::single("contact_every_days", p))?;
        Ok(self
            .store
            .set_contact_interval(&who.actor(), id, version, days)
            .await?)
    }

    /// Assigns a counterpart from either side: the person named decides which side the
    /// other one is on. Field problems name `partner_id` or `our_id` for the other side.
    pub async fn assign_counterpart(
        &self,
        who: &Principal,
        person: PersonId,
        fields: &AssignmentFields,
    ) -> Result<Assignment> {
        who.may_edit()?;
        let person = self.store.person(person).await?;
        let organization = self.store.organization(person.organization_id).await?;
        let this = person.id.to_string();
        let (partner, ours) = if !fields.our_id.trim().is_empty() {
            // The person of the page is the partner (the store checks that they may be).
            (this.as_str(), fields.our_id.as_str())
        } else if organization.kind == OrganizationKind::Own {
            (fields.other_id.as_str(), this.as_str())
        } else {
            (this.as_str(), fields.other_id.as_str())
        };
        let input = AssignmentInput::parse(partner, ours, &fields.kind, &fields.valid_from)?;
        // A new pair of a partner whose pairs are hidden would be hidden too.
        self.may_see_pairs_of(who, input.partner_id).await?;
        Ok(self.store.assign(&who.actor(), &input).await?)
    }

    /// Rates a relationship.
    pub async fn rate_relationship(
        &self,
        who: &Principal,
        id: AssignmentId,
        fields: &RatingFields,
    ) -> Result<Rating> {
        who.may_edit()?;
        self.visible_assignment(who, id).await?;
        let input = RatingInput::parse(
            &fields.rated_on,
            &fields.relationship,
            &fields.partnership,
            &fields.satisfaction,
            &fields.comment,
        )?;
        Ok(self.store.rate(&who.actor(), id, &input).await?)
    }

    /// Ends an assignment on a day (`valid_to` as typed), if nobody changed it since
    /// `version`.
    pub async fn end_assignment(
        &self,
        who: &Principal,
        id: AssignmentId,
        version: i64,
        valid_to: &str,
    ) -> Result<Assignment> {
        who.may_edit()?;
        self.visible_assignment(who, id).await?;
        let day = parse_date(valid_to).map_err(|p| FieldErrors::single("valid_to", p))?;
        Ok(self
            .store
            .end_assignment(&who.actor(), id, version, day)
            .await?)
    }
}
