//! Organizations and their units: the lists and pages, and changes to both.

use std::collections::HashMap;

use counterpart_core::ids::{OrganizationId, UnitId};
use counterpart_core::ladder::Level;
use counterpart_core::org::{
    Organization, OrganizationInput, OrganizationKind, Unit, UnitInput, UnitNode, tree_around,
    unit_tree,
};
use counterpart_core::text::{MAX_QUERY_CHARS, fold};
use counterpart_store::{OrganizationFilter, OrganizationSummary, PersonSummary};

use crate::error::{Result, found};
use crate::{App, Principal};

/// People listed per page of an organization.
pub const PEOPLE_PER_PAGE: u32 = 100;
/// People listed on a unit's page at most.
pub const UNIT_PEOPLE: u32 = 500;

/// An organization's page: its units as a tree, and one page of its people (of one unit, if
/// chosen).
#[derive(Clone, Debug)]
pub struct OrganizationPage {
    /// The organization.
    pub organization: Organization,
    /// Its units, each after its parent: of an organization with more than
    /// [`CHOICES_LISTED`], the top two levels and those around the unit chosen.
    pub tree: Vec<UnitNode>,
    /// How many units the tree leaves out.
    pub units_not_shown: usize,
    /// The unit whose people are listed, if one is chosen (and belongs here).
    pub selected_unit: Option<UnitId>,
    /// One page of people, by name.
    pub people: Vec<PersonSummary>,
    /// The ladder, to name the people's levels.
    pub levels: Vec<Level>,
    /// This page, from 0.
    pub page: u32,
    /// Whether another page follows.
    pub has_next: bool,
    /// The accounts on this organization (a partner's), by name.
    pub accounts: Vec<counterpart_core::account::Account>,
}

/// Choices a form lists at most (an organization's units, the organizations); where there
/// are more, it searches them as the user types (our house at enterprise scale has 2,013
/// units, and there are 2,001 organizations).
pub const CHOICES_LISTED: usize = 100;

/// The units of an organization a form offers to choose one from.
#[derive(Clone, Debug)]
pub enum UnitChoice {
    /// Few enough to list: all of them (inactive ones too) as a tree.
    Listed(Vec<UnitNode>),
    /// Too many to list: the form searches the organization's units as the user types.
    Searched {
        /// The organization searched.
        organization: OrganizationId,
        /// The names of the units chosen now, to show them checked.
        chosen: HashMap<UnitId, String>,
    },
}

impl UnitChoice {
    /// No units to choose from (no organization chosen yet).
    pub fn none() -> Self {
        Self::Listed(Vec::new())
    }

    /// Whether a unit is one the choice offers: listed, or chosen now in a searched one.
    pub fn offers(&self, id: UnitId) -> bool {
        match self {
            Self::Listed(nodes) => nodes.iter().any(|n| n.unit.id == id),
            Self::Searched { chosen, .. } => chosen.contains_key(&id),
        }
    }
}

/// The organizations a form offers to choose one from.
#[derive(Clone, Debug)]
pub enum OrganizationChoice {
    /// Few enough to list: the active ones, our own first, then by name.
    Listed(Vec<Organization>),
    /// Too many to list: the form searches them as the user types.
    Searched {
        /// The organization chosen now, if it exists: its id, name and kind.
        chosen: Option<Organization>,
    },
}

/// A unit as a search finds it: id, name and its parent's name (many units share a name).
#[derive(Clone, Debug)]
pub struct FoundUnit {
    /// The unit.
    pub id: UnitId,
    /// Its name.
    pub name: String,
    /// The unit above it, if any.
    pub parent: Option<String>,
}

/// A unit's page: where it sits, what is below it, who works in it.
#[derive(Clone, Debug)]
pub struct UnitPage {
    /// The organization.
    pub organization: Organization,
    /// The unit.
    pub unit: Unit,
    /// The unit above, if any.
    pub parent: Option<Unit>,
    /// The units directly below, by name.
    pub children: Vec<Unit>,
    /// Its people (the first [`UNIT_PEOPLE`]), by name.
    pub people: Vec<PersonSummary>,
    /// The ladder, to name the people's levels.
    pub levels: Vec<Level>,
}

impl App {
    /// The organizations matching a filter, with their counts of units and people.
    pub async fn organizations(
        &self,
        _who: &Principal,
        filter: &OrganizationFilter,
    ) -> Result<Vec<OrganizationSummary>> {
        Ok(self.store.organizations(filter).await?)
    }

    /// Up to `limit` organizations matching a filter with an id above `after`, by id (seek
    /// pagination, as the API reads lists).
    pub async fn organizations_after(
        &self,
        _who: &Principal,
        filter: &OrganizationFilter,
        after: Option<OrganizationId>,
        limit: u32,
    ) -> Result<Vec<OrganizationSummary>> {
        Ok(self.store.organizations_after(filter, after, limit).await?)
    }

    /// One organization.
    pub async fn organization(&self, _who: &Principal, id: OrganizationId) -> Result<Organization> {
        Ok(self.store.organization(id).await?)
    }

    /// Our own organization, if there is one yet.
    pub async fn own_organization(&self, _who: &Principal) -> Result<Option<Organization>> {
        Ok(self.store.own_organization().await?)
    }

    /// An organization's page; a unit of another organization is ignored.
    pub async fn organization_page(
        &self,
        who: &Principal,
        id: OrganizationId,
        unit: Option<UnitId>,
        page: u32,
    ) -> Result<OrganizationPage> {
        let organization = self.store.organization(id).await?;
        let seen = self.visibility(who).await?;
        let (units, levels, accounts) = tokio::try_join!(
            self.store.units(organization.id),
            self.store.levels(),
            self.store.accounts_of_organization(organization.id, &seen)
        )?;
        let selected_unit = unit.filter(|u| units.iter().any(|x| x.id == *u));
        let per_page = i64::from(PEOPLE_PER_PAGE);
        let mut people = self
            .store
            .people(
                organization.id,
                selected_unit,
                true,
                per_page + 1,
                i64::from(page) * per_page,
            )
            .await?;
        let has_next = people.len() > PEOPLE_PER_PAGE as usize;
        people.truncate(PEOPLE_PER_PAGE as usize);
        let whole = unit_tree(&units);
        let tree = if whole.len() > CHOICES_LISTED {
            tree_around(whole, 2, selected_unit)
        } else {
            whole
        };
        Ok(OrganizationPage {
            organization,
            units_not_shown: units.len() - tree.len(),
            tree,
            selected_unit,
            people,
            levels,
            page,
            has_next,
            accounts,
        })
    }

    /// Creates an organization.
    pub async fn create_organization(
        &self,
        who: &Principal,
        input: &OrganizationInput,
    ) -> Result<Organization> {
        who.may_edit()?;
        Ok(self.store.create_organization(&who.actor(), input).await?)
    }

    /// Changes an organization, if nobody did since `version`.
    pub async fn update_organization(
        &self,
        who: &Principal,
        id: OrganizationId,
        version: i64,
        input: &OrganizationInput,
    ) -> Result<Organization> {
        who.may_edit()?;
        Ok(self
            .store
            .update_organization(&who.actor(), id, version, input)
            .await?)
    }

    /// Deactivates or reactivates an organization.
    pub async fn set_organization_active(
        &self,
        who: &Principal,
        id: OrganizationId,
        version: i64,
        active: bool,
    ) -> Result<Organization> {
        who.may_edit()?;
        Ok(self
            .store
            .set_organization_active(&who.actor(), id, version, active)
            .await?)
    }

    /// A unit's page.
    pub async fn unit_page(&self, _who: &Principal, id: UnitId) -> Result<UnitPage> {
        let unit = self.store.unit(id).await?;
        let (organization, all, people, levels) = tokio::try_join!(
            self.store.organization(unit.organization_id),
            self.store.units(unit.organization_id),
            self.store.people(
                unit.organization_id,
                Some(unit.id),
                true,
                i64::from(UNIT_PEOPLE),
                0
            ),
            self.store.levels(),
        )?;
        let parent = all.iter().find(|u| Some(u.id) == unit.parent_id).cloned();
        let mut children: Vec<Unit> = all
            .into_iter()
            .filter(|u| u.parent_id == Some(unit.id))
            .collect();
        children.sort_by_key(|u| u.name.to_lowercase());
        Ok(UnitPage {
            organization,
            unit,
            parent,
            children,
            people,
            levels,
        })
    }

    /// A unit with its organization (the unit forms' heading and choices).
    pub async fn unit(&self, _who: &Principal, id: UnitId) -> Result<(Unit, Organization)> {
        let unit = self.store.unit(id).await?;
        let organization = self.store.organization(unit.organization_id).await?;
        Ok((unit, organization))
    }

    /// The organizations to choose one from: all active ones when there are at most
    /// [`CHOICES_LISTED`], else a search, with the one `chosen` now.
    pub async fn organization_choice(
        &self,
        _who: &Principal,
        chosen: Option<OrganizationId>,
    ) -> Result<OrganizationChoice> {
        if self.store.organization_count().await? <= CHOICES_LISTED {
            let listed = self
                .store
                .organizations(&OrganizationFilter::default())
                .await?;
            return Ok(OrganizationChoice::Listed(
                listed.into_iter().map(|o| o.organization).collect(),
            ));
        }
        let chosen = match chosen {
            Some(id) => found(self.store.organization(id).await)?,
            None => None,
        };
        Ok(OrganizationChoice::Searched { chosen })
    }

    /// The first `limit` active organizations whose name holds `query` (folded, its first
    /// [`MAX_QUERY_CHARS`] characters), by name.
    pub async fn search_organizations(
        &self,
        _who: &Principal,
        query: &str,
        limit: i64,
    ) -> Result<Vec<(OrganizationId, String, OrganizationKind)>> {
        let query: String = query.chars().take(MAX_QUERY_CHARS).collect();
        Ok(self
            .store
            .search_organizations(&fold(&query), limit)
            .await?)
    }

    /// The units of an organization to choose one from: all of them when there are at most
    /// [`CHOICES_LISTED`], else a search, with the names of the units `chosen` now (those of
    /// this organization).
    pub async fn unit_choice(
        &self,
        _who: &Principal,
        organization: OrganizationId,
        chosen: impl IntoIterator<Item = UnitId>,
    ) -> Result<UnitChoice> {
        if self.store.unit_count(organization).await? <= CHOICES_LISTED {
            return Ok(UnitChoice::Listed(unit_tree(
                &self.store.units(organization).await?,
            )));
        }
        let mut names = HashMap::new();
        for id in chosen {
            if let Some(unit) = found(self.store.unit(id).await)?
                && unit.organization_id == organization
            {
                names.insert(id, unit.name);
            }
        }
        Ok(UnitChoice::Searched {
            organization,
            chosen: names,
        })
    }

    /// Our own units to choose one from (none without an own organization), as
    /// [`App::unit_choice`].
    pub async fn our_unit_choice(
        &self,
        who: &Principal,
        chosen: impl IntoIterator<Item = UnitId>,
    ) -> Result<UnitChoice> {
        match self.store.own_organization().await? {
            Some(own) => self.unit_choice(who, own.id, chosen).await,
            None => Ok(UnitChoice::none()),
        }
    }

    /// The first `limit` active units of an organization whose name holds `query` (folded:
    /// Süd = Sued = Sud; its first [`MAX_QUERY_CHARS`] characters, as pickers of people),
    /// by name.
    pub async fn search_units(
        &self,
        _who: &Principal,
        organization: OrganizationId,
        query: &str,
        limit: i64,
    ) -> Result<Vec<FoundUnit>> {
        let query: String = query.chars().take(MAX_QUERY_CHARS).collect();
        Ok(self
            .store
            .search_units(organization, &fold(&query), limit)
            .await?
            .into_iter()
            .map(|(unit, parent)| FoundUnit {
                id: unit.id,
                name: unit.name,
                parent,
            })
            .collect())
    }

    /// A unit's name, if it exists.
    pub async fn unit_name(&self, _who: &Principal, id: UnitId) -> Result<Option<String>> {
        Ok(found(self.store.unit(id).await)?.map(|unit| unit.name))
    }

    /// An organization's name, if it exists.
    pub async fn organization_name(
        &self,
        _who: &Principal,
        id: OrganizationId,
    ) -> Result<Option<String>> {
        Ok(found(self.store.organization(id).await)?.map(|o| o.name))
    }

    /// The units of an organization as a tree, each after its parent.
    pub async fn unit_tree(&self, _who: &Principal, id: OrganizationId) -> Result<Vec<UnitNode>> {
        Ok(unit_tree(&self.store.units(id).await?))
    }

    /// An organization with its units, each after its parent; `NotFound` for an unknown
    /// organization.
    pub async fn organization_units(
        &self,
        _who: &Principal,
        id: OrganizationId,
    ) -> Result<(Organization, Vec<UnitNode>)> {
        let (organization, units) =
            tokio::try_join!(self.store.organization(id), self.store.units(id))?;
        Ok((organization, unit_tree(&units)))
    }

    /// Creates a unit in an organization.
    pub async fn create_unit(
        &self,
        who: &Principal,
        organization: OrganizationId,
        input: &UnitInput,
    ) -> Result<Unit> {
        who.may_edit()?;
        Ok(self
            .store
            .create_unit(&who.actor(), organization, input)
            .await?)
    }

    /// Changes a unit, if nobody did since `version`.
    pub async fn update_unit(
        &self,
        who: &Principal,
        id: UnitId,
        version: i64,
        input: &UnitInput,
    ) -> Result<Unit> {
        who.may_edit()?;
        Ok(self
            .store
            .update_unit(&who.actor(), id, version, input)
            .await?)
    }

    /// Deactivates or reactivates a unit.
    pub async fn set_unit_active(
        &self,
        who: &Principal,
        id: UnitId,
        version: i64,
        active: bool,
    ) -> Result<Unit> {
        who.may_edit()?;
        Ok(self
            .store
            .set_unit_active(&who.actor(), id, version, active)
            .await?)
    }
}
