//! People: the search, the person page (with their counterparts and, for our own people,
//! their capacity), the person form and its choices, new positions (promotion, move, change
//! of employer), and how one reads where a form names them.

use chrono::Utc;
use counterpart_core::audit::EntityKind;
use counterpart_core::ids::{OrganizationId, PersonId, UnitId};
use counterpart_core::ladder::{Function, Level};
use counterpart_core::org::OrganizationKind;
use counterpart_core::person::{Person, PersonFields, PersonInput, PositionChange};
use counterpart_store::{
    AuditEntry, AuditFilter, PeopleFilter, PersonDetail, PersonSummary, Pick, PositionView,
};

use crate::counterparts::Relations;
use crate::error::{Result, found};
use crate::mirror::CapacityFacts;
use crate::organizations::{OrganizationChoice, UnitChoice};
use crate::{App, Principal};

/// Most people a search finds.
const SEARCH_LIMIT: i64 = 100;

/// People found by a search, with the ladder to name their levels.
#[derive(Clone, Debug)]
pub struct PeopleFound {
    /// The people, best match first.
    pub people: Vec<PersonSummary>,
    /// The ladder.
    pub levels: Vec<Level>,
}

/// The person page.
#[derive(Clone, Debug)]
pub struct PersonPage {
    /// The person with organization, unit, manager, reports and positions.
    pub detail: PersonDetail,
    /// The ladder, to name levels.
    pub levels: Vec<Level>,
    /// Their function, if set.
    pub function: Option<Function>,
    /// The last change to them, from the audit log.
    pub last_change: Option<AuditEntry>,
    /// Their counterparts.
    pub relations: Relations,
    /// For our own people: their capacity.
    pub capacity: Option<CapacityFacts>,
}

/// What the person form offers for one organization.
#[derive(Clone, Debug)]
pub struct PersonChoices {
    /// The ladder.
    pub levels: Vec<Level>,
    /// The functions.
    pub functions: Vec<Function>,
    /// The organization's units (listed: inactive ones too).
    pub units: UnitChoice,
    /// How the manager chosen reads, if they exist.
    pub reports_to_label: Option<String>,
    /// How the boss assisted reads, if they exist.
    pub assistant_of_label: Option<String>,
}

/// What the new-position form offers.
#[derive(Clone, Debug)]
pub struct PositionChoices {
    /// The organizations, as the new employer.
    pub organizations: OrganizationChoice,
    /// The choices within the organization chosen, if one is.
    pub within: Option<PersonChoices>,
}

/// The new-position form as typed.
#[derive(Clone, Debug, Default)]
pub struct PositionFields {
    /// The new employer (may be the same).
    pub organization_id: String,
    /// The new unit.
    pub unit_id: String,
    /// The new job title.
    pub job_title: String,
    /// The new level.
    pub level_id: String,
    /// The first day.
    pub valid_from: String,
}

impl App {
    /// "Dr. Katharina Schneider – Managing director": how a chosen person reads in a form,
    /// if they exist.
    pub async fn person_label(&self, _who: &Principal, id: PersonId) -> Result<Option<String>> {
        Ok(found(self.store.person(id).await)?.map(|person| person.label()))
    }

    /// The people a picker offers for a search (at most `limit`), each with a note (for key
    /// contacts: their accounts).
    pub async fn search_pickable(
        &self,
        who: &Principal,
        query: &str,
        scope: Pick,
        limit: i64,
    ) -> Result<Vec<(PersonSummary, String)>> {
        let seen = self.visibility(who).await?;
        Ok(self
            .store
            .search_pickable(query, scope, limit, &seen)
            .await?)
    }

    /// People whose name (or e-mail address, job title …) matches a search.
    pub async fn search_people(&self, _who: &Principal, text: &str) -> Result<PeopleFound> {
        let people = self.store.search_people(text, None, SEARCH_LIMIT).await?;
        Ok(PeopleFound {
            people,
            levels: self.store.levels().await?,
        })
    }

    /// The person page.
    pub async fn person_page(&self, who: &Principal, id: PersonId) -> Result<PersonPage> {
        let detail = self.store.person_detail(id).await?;
        let levels = self.store.levels().await?;
        let function = self
            .store
            .functions()
            .await?
            .into_iter()
            .find(|f| Some(f.id) == detail.person.function_id);
        let last_change = self
            .store
            .audit_entries(&AuditFilter {
                entity: Some(EntityKind::Person),
                entity_id: Some(id.get()),
                limit: 1,
                ..Default::default()
            })
            .await?
            .into_iter()
            .next();
        let kind = detail.organization.kind;
        let relations = self.relations(who, &detail.person, kind, &levels).await?;
        let capacity = if kind == OrganizationKind::Own {
            Some(self.capacity_facts(who, &detail.person, &levels).await?)
        } else {
            None
        };
        Ok(PersonPage {
            detail,
            levels,
            function,
            last_change,
            relations,
            capacity,
        })
    }

    /// One person, as the person forms start from.
    pub async fn person(&self, _who: &Principal, id: PersonId) -> Result<Person> {
        Ok(self.store.person(id).await?)
    }

    /// Which of `ids` name a person that exists: one read for many.
    pub async fn existing_people(
        &self,
        _who: &Principal,
        ids: &[PersonId],
    ) -> Result<std::collections::HashSet<PersonId>> {
        Ok(self.store.persons(ids).await?.into_keys().collect())
    }

    /// A person's positions, newest first: their history of employers, units, jobs and rungs,
    /// as the person page lists it.
    pub async fn person_positions(
        &self,
        _who: &Principal,
        id: PersonId,
    ) -> Result<Vec<PositionView>> {
        Ok(self.store.positions_of(id).await?)
    }

    /// Up to `limit` people of an organization passing a filter, with an id above `after`,
    /// by id (seek pagination, as the API reads lists). An unknown organization is not found.
    pub async fn people_after(
        &self,
        _who: &Principal,
        organization: OrganizationId,
        filter: &PeopleFilter,
        after: Option<PersonId>,
        limit: u32,
    ) -> Result<Vec<Person>> {
        self.store.organization(organization).await?;
        Ok(self
            .store
            .people_after(organization, filter, after, limit)
            .await?)
    }

    /// Up to `limit` people of any organization with an id above `after`, by id: all of
    /// them, or those with one e-mail address (without regard to case), deactivated ones only
    /// when asked for (seek pagination, as the API reads lists).
    pub async fn people_anywhere_after(
        &self,
        _who: &Principal,
        email: Option<&str>,
        include_inactive: bool,
        after: Option<PersonId>,
        limit: u32,
    ) -> Result<Vec<Person>> {
        Ok(self
            .store
            .people_anywhere_after(email, include_inactive, after, limit)
            .await?)
    }

    /// What the person form offers for an organization, with how the manager and the boss
    /// assisted read.
    pub async fn person_choices(
        &self,
        who: &Principal,
        organization: OrganizationId,
        unit: Option<UnitId>,
        reports_to: Option<PersonId>,
        assistant_of: Option<PersonId>,
    ) -> Result<PersonChoices> {
        let levels = self.store.levels().await?;
        let functions = self.store.functions().await?;
        let units = self.unit_choice(who, organization, unit).await?;
        let mut labels = Vec::new();
        for person in [reports_to, assistant_of] {
            labels.push(match person {
                Some(id) => self.person_label(who, id).await?,
                None => None,
            });
        }
        let assistant_of_label = labels.pop().flatten();
        let reports_to_label = labels.pop().flatten();
        Ok(PersonChoices {
            levels,
            functions,
            units,
            reports_to_label,
            assistant_of_label,
        })
    }

    /// What the new-position form offers: every organization, and the choices within the one
    /// chosen.
    pub async fn position_choices(
        &self,
        who: &Principal,
        organization: Option<OrganizationId>,
        unit: Option<UnitId>,
    ) -> Result<PositionChoices> {
        let organizations = self.organization_choice(who, organization).await?;
        let within = match organization {
            Some(org) => Some(self.person_choices(who, org, unit, None, None).await?),
            None => None,
        };
        Ok(PositionChoices {
            organizations,
            within,
        })
    }

    /// Creates a person in an organization, in their first position from today.
    pub async fn create_person(
        &self,
        who: &Principal,
        organization: OrganizationId,
        fields: &PersonFields,
    ) -> Result<Person> {
        who.may_edit()?;
        let input = PersonInput::parse(fields)?;
        Ok(self
            .store
            .create_person(&who.actor(), organization, &input, Utc::now().date_naive())
            .await?)
    }

    /// Changes a person, if nobody changed them since `version`.
    pub async fn update_person(
        &self,
        who: &Principal,
        id: PersonId,
        version: i64,
        fields: &PersonFields,
    ) -> Result<Person> {
        who.may_edit()?;
        let input = PersonInput::parse(fields)?;
        Ok(self
            .store
            .update_person(&who.actor(), id, version, &input)
            .await?)
    }

    /// Deactivates or reactivates a person, if nobody changed them since `version`.
    pub async fn set_person_active(
        &self,
        who: &Principal,
        id: PersonId,
        version: i64,
        active: bool,
    ) -> Result<Person> {
        who.may_edit()?;
        Ok(self
            .store
            .set_person_active(&who.actor(), id, version, active)
            .await?)
    }

    /// Gives a person a new position (promotion, move, change of employer), if nobody
    /// changed them since `version`.
    pub async fn change_position(
        &self,
        who: &Principal,
        id: PersonId,
        version: i64,
        fields: &PositionFields,
    ) -> Result<Person> {
        who.may_edit()?;
        let change = PositionChange::parse(
            &fields.organization_id,
            &fields.unit_id,
            &fields.job_title,
            &fields.level_id,
            &fields.valid_from,
        )?;
        Ok(self
            .store
            .change_position(&who.actor(), id, version, &change)
            .await?)
    }

    /// Merges `gone` into `id` (two records of one human), if nobody changed `id` since
    /// `version`. See [`counterpart_store::Store::merge_people`].
    pub async fn merge_people(
        &self,
        who: &Principal,
        id: PersonId,
        version: i64,
        gone: &str,
    ) -> Result<Person> {
        who.may_edit()?;
        let Ok(gone) = gone.trim().parse::<PersonId>() else {
            return Err(crate::Error::Invalid(
                counterpart_core::validate::FieldErrors::single(
                    "other_id",
                    counterpart_core::validate::Problem::Required,
                ),
            ));
        };
        // A merge moves key-contact roles and pairs: not those of a hidden account.
        for person in [id, gone] {
            self.may_see_pairs_of(who, person).await?;
        }
        Ok(self
            .store
            .merge_people(&who.actor(), id, version, gone)
            .await?)
    }
}
