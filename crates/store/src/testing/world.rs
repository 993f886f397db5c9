//! Small worlds for tests that state what they need instead of leaning on the demo's names:
//! an organization with a ladder of people (each reporting to the one above, one per level),
//! a partner with an account and key contacts, users who are people of our house.
//!
//! ```ignore
//! let world = World::new(&db.store);
//! let own = world.organization("Nordlicht", OrganizationKind::Own).await;
//! let ours = world.ladder(own, &["Gerda Chef", "Bernd Leiter", "Sara Sachbearbeiterin"]).await;
//! let brandt = world.organization("Brandt", OrganizationKind::External).await;
//! let theirs = world.ladder(brandt, &["Karl Kunde", "Paula Partner"]).await;
//! let account = world.account(brandt, &theirs).await;
//! ```

use chrono::NaiveDate;
use counterpart_core::account::{
    AccountInput, DecisionRole, KeyContactInput, ManagementMode, Relation, Stance,
};
use counterpart_core::ids::{AccountId, OrganizationId, PersonId, UnitId, UserId};
use counterpart_core::org::{OrganizationInput, OrganizationKind, UnitInput, UnitKind};
use counterpart_core::person::PersonInput;
use counterpart_core::user::{Role, UserInput, Username};

use crate::{Actor, NewUser, Store};

/// The password of every user a world creates.
pub const WORLD_PASSWORD: &str = "correct horse battery";

/// Builds records through the store's own writes, as "Test" in the audit log. Panics on any
/// error: a world that cannot be built is a broken test.
pub struct World<'s> {
    store: &'s Store,
    actor: Actor,
}

impl<'s> World<'s> {
    /// A builder on a store.
    pub fn new(store: &'s Store) -> Self {
        Self {
            store,
            actor: Actor {
                user_id: None,
                name: "Test".to_owned(),
            },
        }
    }

    /// An organization.
    pub async fn organization(&self, name: &str, kind: OrganizationKind) -> OrganizationId {
        let input = OrganizationInput {
            name: name.to_owned(),
            kind,
            notes: None,
        };
        self.store
            .create_organization(&self.actor, &input)
            .await
            .expect("organization")
            .id
    }

    /// A department of an organization, below `parent` if given.
    pub async fn unit(
        &self,
        organization: OrganizationId,
        name: &str,
        parent: Option<UnitId>,
    ) -> UnitId {
        let input = UnitInput {
            name: name.to_owned(),
            kind: UnitKind::Department,
            parent_id: parent,
        };
        self.store
            .create_unit(&self.actor, organization, &input)
            .await
            .expect("unit")
            .id
    }

    /// People named "Given Family", top of the ladder first: each on the next level down
    /// and reporting to the one before.
    pub async fn ladder(&self, organization: OrganizationId, names: &[&str]) -> Vec<PersonId> {
        self.ladder_in(organization, None, names).await
    }

    /// A [`World::ladder`] whose people all work in `unit`.
    pub async fn ladder_in(
        &self,
        organization: OrganizationId,
        unit: Option<UnitId>,
        names: &[&str],
    ) -> Vec<PersonId> {
        let levels = self.store.levels().await.expect("levels");
        let mut people: Vec<PersonId> = Vec::new();
        for (i, name) in names.iter().enumerate() {
            let (given, family) = name.rsplit_once(' ').unwrap_or(("", name));
            let input = PersonInput {
                given_name: (!given.is_empty()).then(|| given.to_owned()),
                family_name: family.to_owned(),
                academic_title: None,
                job_title: None,
                level_id: levels.get(i).map(|l| l.id),
                function_id: None,
                unit_id: unit,
                reports_to_id: people.last().copied(),
                assistant_of_id: None,
                email: None,
                phone: None,
                mobile: None,
                notes: None,
            };
            let since = NaiveDate::from_ymd_opt(2020, 1, 1).expect("a date");
            let person = self
                .store
                .create_person(&self.actor, organization, &input, since)
                .await
                .expect("person");
            people.push(person.id);
        }
        people
    }

    /// A customer account on a partner organization, with its key contacts (decision maker
    /// first, the others influencers).
    pub async fn account(&self, partner: OrganizationId, contacts: &[PersonId]) -> AccountId {
        self.account_of_unit(partner, None, contacts).await
    }

    /// A [`World::account`] whose partner is one unit of the organization (for our own
    /// house: a neighbouring department).
    pub async fn account_of_unit(
        &self,
        partner: OrganizationId,
        unit: Option<UnitId>,
        contacts: &[PersonId],
    ) -> AccountId {
        let input = AccountInput {
            name: None,
            organization_id: partner,
            unit_id: unit,
            relation: Relation::Customer,
            mode: ManagementMode::Hierarchical,
            responsible_unit_id: None,
            manager_id: None,
            notes: None,
            restricted: false,
        };
        let account = self
            .store
            .create_account(&self.actor, &input)
            .await
            .expect("account");
        for (i, person) in contacts.iter().enumerate() {
            let contact = KeyContactInput {
                person_id: *person,
                role: if i == 0 {
                    DecisionRole::DecisionMaker
                } else {
                    DecisionRole::Influencer
                },
                stance: Stance::Neutral,
                influence: 3,
            };
            self.store
                .add_key_contact(&self.actor, account.id, &contact)
                .await
                .expect("key contact");
        }
        account.id
    }

    /// Restricts an account to a unit of ours, which becomes its responsible unit: only that
    /// unit, the units above it and administrators see it from then on.
    pub async fn restrict(&self, account: AccountId, unit: UnitId) {
        let stored = self.store.account(account).await.expect("account");
        let input = AccountInput {
            name: Some(stored.name),
            organization_id: stored.organization_id,
            unit_id: stored.unit_id,
            relation: stored.relation,
            mode: stored.mode,
            responsible_unit_id: Some(unit),
            manager_id: stored.manager_id,
            notes: stored.notes,
            restricted: true,
        };
        self.store
            .update_account(&self.actor, account, stored.version, &input)
            .await
            .expect("restricted");
    }

    /// A user with [`WORLD_PASSWORD`], the person of our house they are, if any.
    pub async fn user(&self, username: &str, role: Role, person: Option<PersonId>) -> UserId {
        let new = NewUser {
            username: Username::parse(username).expect("a login name"),
            details: UserInput {
                display_name: username.to_owned(),
                email: None,
                role,
                person_id: person,
            },
            password: WORLD_PASSWORD.to_owned(),
        };
        self.store
            .create_user(&self.actor, &new)
            .await
            .expect("user")
            .id
    }
}
