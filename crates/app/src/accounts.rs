//! Accounts: the filtered list, the account page (key contacts with their counterparts, the
//! importance score, the mirror in brief), the account form; key contacts added, changed and
//! removed; a member's importance ratings.

use std::collections::HashMap;

use counterpart_core::account::{
    Account, AccountFields, AccountInput, KeyContact, KeyContactInput, parse_score,
};
use counterpart_core::ids::{
    AccountId, CriterionId, KeyContactId, OrganizationId, PersonId, UnitId,
};
use counterpart_core::importance::{
    Criterion, CriterionRating, RATING_DISPUTE, Score, Spread, ratings_tag,
};
use counterpart_core::ladder::Level;
use counterpart_core::org::Organization;
use counterpart_core::person::Person;
use counterpart_core::validate::{FieldErrors, Problem};
use counterpart_store::{AccountFilter, AccountSummary, PagedAccounts};

use crate::counterparts::{CounterpartChip, level_of};
use crate::error::{Error, Result};
use crate::mirror::MirrorSummary;
use crate::organizations::{OrganizationChoice, UnitChoice};
use crate::{App, Principal};

/// The accounts that pass a filter, with our units to filter by.
#[derive(Clone, Debug)]
pub struct AccountList {
    /// The accounts of the page asked for, most important first.
    pub accounts: Vec<AccountSummary>,
    /// The index of the first one shown, from 0.
    pub first: usize,
    /// How many accounts pass the filter.
    pub total: usize,
    /// Our own units, to filter by.
    pub our_units: UnitChoice,
}

/// Accounts per page of the account list.
pub const ACCOUNTS_PAGE: usize = 100;

/// The account page.
#[derive(Clone, Debug)]
pub struct AccountPage {
    /// The account.
    pub account: Account,
    /// The partner organization.
    pub organization: Organization,
    /// The partner's unit the account covers, if not the whole organization.
    pub partner_unit: Option<String>,
    /// Our unit responsible for it.
    pub responsible_unit: Option<String>,
    /// Our account manager.
    pub manager: Option<(PersonId, String)>,
    /// The key contacts, top of the ladder first (by level rank, then name), with their
    /// counterparts.
    pub contacts: Vec<KeyContactRow>,
    /// The importance score.
    pub score: Option<Score>,
    /// The importance criteria that apply to the account, with the team's ratings.
    pub criteria: Vec<CriterionLine>,
    /// The mirror in brief; `None` for a deactivated account.
    pub mirror: Option<MirrorSummary>,
    /// The ladder, to name levels.
    pub levels: Vec<Level>,
}

/// A key contact on the account page.
#[derive(Clone, Debug)]
pub struct KeyContactRow {
    /// The key contact.
    pub contact: KeyContact,
    /// The partner person.
    pub person: Person,
    /// Their level, if set.
    pub level: Option<Level>,
    /// Our counterparts of theirs.
    pub counterparts: Vec<CounterpartChip>,
}

/// One criterion's line in the importance breakdown.
#[derive(Clone, Debug)]
pub struct CriterionLine {
    /// The criterion.
    pub criterion: Criterion,
    /// How the team rated the account on it.
    pub spread: Option<Spread>,
    /// Whether the team disagrees.
    pub disputed: bool,
    /// The points it adds to the score.
    pub points: Option<f64>,
    /// The principal's own rating.
    pub mine: Option<i64>,
}

/// What the account form offers to choose from.
#[derive(Clone, Debug)]
pub struct AccountChoices {
    /// The partner organizations (customers, suppliers, internal departments) and, first,
    /// our own house, whose units can be partners too (neighbouring departments).
    pub partners: OrganizationChoice,
    /// The units of the organization chosen (of our own house: the neighbouring departments
    /// to choose from).
    pub partner_units: UnitChoice,
    /// Our own organization, whose people manage accounts.
    pub own: Option<Organization>,
    /// Our units.
    pub own_units: UnitChoice,
    /// How the account manager chosen reads, if they exist (and we have an organization).
    pub manager_label: Option<String>,
}

/// An account's importance as its page shows it.
#[derive(Clone, Debug)]
pub struct AccountImportance {
    /// The account.
    pub account: Account,
    /// The importance score with its tier and parts, once rated.
    pub score: Option<Score>,
    /// The criteria that apply to the account, with the team's ratings.
    pub criteria: Vec<CriterionLine>,
}

/// A member's own importance ratings of an account.
#[derive(Clone, Debug)]
pub struct MyRatings {
    /// The account.
    pub account_id: AccountId,
    /// Their score per criterion rated, by criterion.
    pub ratings: Vec<(CriterionId, i64)>,
    /// The fingerprint of those ratings ([`ratings_tag`]): what a change names as the
    /// ratings it was made from.
    pub tag: String,
}

/// A key contact's fields as typed.
#[derive(Clone, Debug, Default)]
pub struct KeyContactFields {
    /// The partner person (ignored when changing a key contact).
    pub person_id: String,
    /// Role in decisions.
    pub role: String,
    /// Stance toward us.
    pub stance: String,
    /// Influence 1–5.
    pub influence: String,
}

/// What became of a member's importance ratings.
#[derive(Clone, Debug)]
pub enum ImportanceRated {
    /// They were saved.
    Saved,
    /// A value is no score; nothing was saved.
    NoScore {
        /// The criterion whose value it is.
        criterion: Criterion,
        /// What is wrong with it.
        problem: Problem,
    },
}

/// The importance breakdown of an account: the criteria that apply, with the team's ratings.
fn criterion_lines(
    account: &Account,
    organization: &Organization,
    criteria: Vec<Criterion>,
    ratings: &[CriterionRating],
    score: Option<&Score>,
    me: Option<counterpart_core::ids::UserId>,
) -> Vec<CriterionLine> {
    let internal = organization.kind.is_in_house();
    criteria
        .into_iter()
        .filter(|c| c.scope.applies(account.relation, internal))
        .map(|criterion| {
            let values: Vec<f64> = ratings
                .iter()
                .filter(|r| r.criterion_id == criterion.id)
                .map(|r| r.score as f64)
                .collect();
            let spread = Spread::of(values);
            CriterionLine {
                disputed: spread.is_some_and(|s| s.disputed(RATING_DISPUTE)),
                spread,
                points: score
                    .and_then(|s| s.parts.iter().find(|p| p.criterion_id == criterion.id))
                    .map(|p| p.points),
                mine: ratings
                    .iter()
                    .find(|r| r.criterion_id == criterion.id && Some(r.user_id) == me)
                    .map(|r| r.score),
                criterion,
            }
        })
        .collect()
}

impl App {
    /// One page of the accounts that pass a filter (most important first), with our units to
    /// filter by.
    pub async fn account_list(
        &self,
        who: &Principal,
        filter: &AccountFilter,
        page: usize,
    ) -> Result<AccountList> {
        let seen = self.visibility(who).await?;
        let PagedAccounts {
            accounts,
            first,
            total,
        } = self
            .store
            .accounts_page(filter, &seen, page, ACCOUNTS_PAGE)
            .await?;
        Ok(AccountList {
            accounts,
            first,
            total,
            our_units: self
                .our_unit_choice(who, filter.responsible_unit_id)
                .await?,
        })
    }

    /// Up to `limit` accounts passing a filter with an id above `after`, by id (seek
    /// pagination, as the API reads lists).
    pub async fn accounts_after(
        &self,
        who: &Principal,
        filter: &AccountFilter,
        after: Option<AccountId>,
        limit: u32,
    ) -> Result<Vec<AccountSummary>> {
        let seen = self.visibility(who).await?;
        Ok(self
            .store
            .accounts_after(filter, after, limit, &seen)
            .await?)
    }

    /// The account page.
    pub async fn account_page(&self, who: &Principal, id: AccountId) -> Result<AccountPage> {
        let store = &self.store;
        let account = self.visible_account(who, id).await?;
        let unit_name = |id: Option<UnitId>| async move {
            match id {
                Some(id) => store.unit(id).await.map(|u| Some(u.name)),
                None => Ok(None),
            }
        };
        let manager = async {
            match account.manager_id {
                Some(m) => Ok(Some((m, store.person(m).await?.display_name()))),
                None => Ok(None),
            }
        };
        // What depends only on the account is read at once, each read on its own connection.
        let (
            organization,
            levels,
            partner_unit,
            responsible_unit,
            manager,
            key_contacts,
            score,
            criteria,
            ratings,
        ) = tokio::try_join!(
            store.organization(account.organization_id),
            store.levels(),
            unit_name(account.unit_id),
            unit_name(account.responsible_unit_id),
            manager,
            store.key_contacts(id),
            store.account_score(id),
            store.criteria(),
            store.criterion_ratings(Some(id)),
        )?;
        let people: Vec<PersonId> = key_contacts.iter().map(|k| k.person_id).collect();
        let mut persons = store.persons(&people).await?;
        let ranked: Vec<(PersonId, Option<i64>)> = people
            .iter()
            .map(|p| {
                let level = persons.get(p).and_then(|p| level_of(&levels, p.level_id));
                (*p, level.map(|l| l.rank))
            })
            .collect();
        let tier = store.account_tier(id).await?;
        let (mut chips, mirror) = tokio::try_join!(
            self.chips_of_each(who, &ranked, (&levels, tier)),
            self.mirror_summary(id),
        )?;
        let mut contacts: Vec<KeyContactRow> = key_contacts
            .into_iter()
            .filter_map(|contact| {
                let person = persons.remove(&contact.person_id)?;
                Some(KeyContactRow {
                    level: level_of(&levels, person.level_id),
                    counterparts: chips.remove(&person.id).unwrap_or_default(),
                    contact,
                    person,
                })
            })
            .collect();
        // Top of the ladder first, like an org chart.
        contacts.sort_by_cached_key(|c| {
            (
                c.level.as_ref().map_or(i64::MAX, |l| l.rank),
                c.person.display_name(),
            )
        });
        let criteria = criterion_lines(
            &account,
            &organization,
            criteria,
            &ratings,
            score.as_ref(),
            who.user,
        );
        Ok(AccountPage {
            account,
            organization,
            partner_unit,
            responsible_unit,
            manager,
            contacts,
            score,
            criteria,
            mirror,
            levels,
        })
    }

    /// One account, as the account form starts from; a hidden one is not found.
    pub async fn account(&self, who: &Principal, id: AccountId) -> Result<Account> {
        self.visible_account(who, id).await
    }

    /// What the account form offers: the partner organizations, the units of the one chosen,
    /// our units, and how the manager chosen reads; `units` are the partner's unit and our
    /// responsible unit chosen now.
    pub async fn account_choices(
        &self,
        who: &Principal,
        organization: Option<OrganizationId>,
        manager: Option<PersonId>,
        units: [Option<UnitId>; 2],
    ) -> Result<AccountChoices> {
        let [partner_unit, responsible_unit] = units;
        let partners = self.organization_choice(who, organization).await?;
        let partner_units = match organization {
            Some(org) => self.unit_choice(who, org, partner_unit).await?,
            None => UnitChoice::none(),
        };
        let own = self.store.own_organization().await?;
        let (own_units, manager_label) = match (&own, manager) {
            (Some(own), manager) => {
                let units = self.unit_choice(who, own.id, responsible_unit).await?;
                let label = match manager {
                    Some(manager) => self.person_label(who, manager).await?,
                    None => None,
                };
                (units, label)
            }
            (None, _) => (UnitChoice::none(), None),
        };
        Ok(AccountChoices {
            partners,
            partner_units,
            own,
            own_units,
            manager_label,
        })
    }

    /// Creates an account.
    pub async fn create_account(&self, who: &Principal, fields: &AccountFields) -> Result<Account> {
        who.may_edit()?;
        let input = AccountInput::parse(fields)?;
        self.may_restrict(who, &input).await?;
        Ok(self.store.create_account(&who.actor(), &input).await?)
    }

    /// Refuses a restricted account that would be hidden from the one saving it: its
    /// responsible unit must be theirs or below theirs (administrators see every account).
    async fn may_restrict(&self, who: &Principal, input: &AccountInput) -> Result<()> {
        if !input.restricted || who.role.is_admin() {
            return Ok(());
        }
        let seen = self.visibility(who).await?;
        match input.responsible_unit_id {
            Some(unit) if seen.units.contains(&unit) => Ok(()),
            _ => Err(Error::Invalid(FieldErrors::single(
                "responsible_unit_id",
                Problem::RestrictedBeyondOwnUnit,
            ))),
        }
    }

    /// Changes an account, if nobody changed it since `version`.
    pub async fn update_account(
        &self,
        who: &Principal,
        id: AccountId,
        version: i64,
        fields: &AccountFields,
    ) -> Result<Account> {
        who.may_edit()?;
        self.visible_account(who, id).await?;
        let input = AccountInput::parse(fields)?;
        self.may_restrict(who, &input).await?;
        Ok(self
            .store
            .update_account(&who.actor(), id, version, &input)
            .await?)
    }

    /// Deactivates or reactivates an account, if nobody changed it since `version`.
    pub async fn set_account_active(
        &self,
        who: &Principal,
        id: AccountId,
        version: i64,
        active: bool,
    ) -> Result<Account> {
        who.may_edit()?;
        self.visible_account(who, id).await?;
        Ok(self
            .store
            .set_account_active(&who.actor(), id, version, active)
            .await?)
    }

    /// One key contact; one of a hidden account is not found.
    pub async fn key_contact(&self, who: &Principal, id: KeyContactId) -> Result<KeyContact> {
        let contact = self.store.key_contact(id).await?;
        self.may_see_account(who, contact.account_id).await?;
        Ok(contact)
    }

    /// An account's key contacts with their people, by key contact id (as the API lists
    /// them; the page orders them by level).
    pub async fn key_contacts_of(
        &self,
        who: &Principal,
        account: AccountId,
    ) -> Result<Vec<(KeyContact, Person)>> {
        self.visible_account(who, account).await?;
        let mut contacts = self.store.key_contacts(account).await?;
        contacts.sort_by_key(|c| c.id);
        let people: Vec<PersonId> = contacts.iter().map(|c| c.person_id).collect();
        let mut persons = self.store.persons(&people).await?;
        Ok(contacts
            .into_iter()
            .filter_map(|c| persons.remove(&c.person_id).map(|p| (c, p)))
            .collect())
    }

    /// One key contact with their person.
    pub async fn key_contact_with_person(
        &self,
        who: &Principal,
        id: KeyContactId,
    ) -> Result<(KeyContact, Person)> {
        let contact = self.store.key_contact(id).await?;
        self.may_see_account(who, contact.account_id).await?;
        let person = self.store.person(contact.person_id).await?;
        Ok((contact, person))
    }

    /// Makes a person of the account's organization a key contact.
    pub async fn add_key_contact(
        &self,
        who: &Principal,
        account: AccountId,
        fields: &KeyContactFields,
    ) -> Result<KeyContact> {
        who.may_edit()?;
        self.visible_account(who, account).await?;
        let input = KeyContactInput::parse(
            &fields.person_id,
            &fields.role,
            &fields.stance,
            &fields.influence,
        )?;
        Ok(self
            .store
            .add_key_contact(&who.actor(), account, &input)
            .await?)
    }

    /// Changes a key contact's role, stance and influence (their person stays), if nobody
    /// changed it since `version`.
    pub async fn update_key_contact(
        &self,
        who: &Principal,
        id: KeyContactId,
        version: i64,
        fields: &KeyContactFields,
    ) -> Result<KeyContact> {
        who.may_edit()?;
        let contact = self.key_contact(who, id).await?;
        let input = KeyContactInput::parse(
            &contact.person_id.to_string(),
            &fields.role,
            &fields.stance,
            &fields.influence,
        )?;
        Ok(self
            .store
            .update_key_contact(&who.actor(), id, version, &input)
            .await?)
    }

    /// Removes a person from an account's key contacts (their counterparts stay), if nobody
    /// changed the key contact since `version`.
    pub async fn remove_key_contact(
        &self,
        who: &Principal,
        id: KeyContactId,
        version: i64,
    ) -> Result<()> {
        who.may_edit()?;
        self.key_contact(who, id).await?;
        Ok(self
            .store
            .remove_key_contact(&who.actor(), id, version)
            .await?)
    }

    /// An account's importance as its page shows it: the score with its tier, and the
    /// criteria that apply with the team's ratings and the principal's own.
    pub async fn account_importance(
        &self,
        who: &Principal,
        id: AccountId,
    ) -> Result<AccountImportance> {
        let store = &self.store;
        let account = self.visible_account(who, id).await?;
        let (organization, score, criteria, ratings) = tokio::try_join!(
            store.organization(account.organization_id),
            store.account_score(id),
            store.criteria(),
            store.criterion_ratings(Some(id)),
        )?;
        let criteria = criterion_lines(
            &account,
            &organization,
            criteria,
            &ratings,
            score.as_ref(),
            who.user,
        );
        Ok(AccountImportance {
            account,
            score,
            criteria,
        })
    }

    /// The principal's own importance ratings of an account, with their tag.
    pub async fn my_importance(&self, who: &Principal, account: AccountId) -> Result<MyRatings> {
        let user = who.user()?;
        self.visible_account(who, account).await?;
        let ratings = self.store.member_ratings(user, account).await?;
        Ok(MyRatings {
            account_id: account,
            tag: ratings_tag(&ratings),
            ratings,
        })
    }

    /// Sets the principal's own importance ratings of an account (a score 1–5 per criterion
    /// named, `None` to withdraw one; criteria not named keep theirs), if their ratings are
    /// still those whose tag is `seen`. All or nothing: a criterion that does not exist (or
    /// is named twice) is refused naming `criterion_id`, a score out of range `score`.
    pub async fn rate_my_importance(
        &self,
        who: &Principal,
        account: AccountId,
        seen: &str,
        values: &[(CriterionId, Option<i64>)],
    ) -> Result<MyRatings> {
        who.may_edit()?;
        let user = who.user()?;
        self.visible_account(who, account).await?;
        let criteria = self.store.criteria().await?;
        let mut errors = counterpart_core::validate::FieldErrors::default();
        for (i, (criterion, score)) in values.iter().enumerate() {
            if !criteria.iter().any(|c| c.id == *criterion) {
                errors.add("criterion_id", Problem::NotFound);
            } else if values[..i].iter().any(|(c, _)| c == criterion) {
                errors.add("criterion_id", Problem::Taken);
            }
            if score.is_some_and(|s| !(1..=5).contains(&s)) {
                errors.add("score", Problem::OutOfRange { min: 1, max: 5 });
            }
        }
        errors.into_result(|| ())?;
        self.store
            .rate_importance_seen(&who.actor(), user, account, seen, values)
            .await?;
        self.my_importance(who, account).await
    }

    /// The principal's importance ratings of an account: a value per criterion as typed,
    /// empty for none; criteria without a value keep their rating. All or nothing.
    pub async fn rate_importance(
        &self,
        who: &Principal,
        account: AccountId,
        values: &HashMap<CriterionId, String>,
    ) -> Result<ImportanceRated> {
        who.may_edit()?;
        let user = who.user()?;
        // An account that does not exist (or is hidden) is not found, whatever the values.
        self.visible_account(who, account).await?;
        let mut ratings = Vec::new();
        for criterion in self.store.criteria().await? {
            let Some(value) = values.get(&criterion.id) else {
                continue;
            };
            let score = if value.trim().is_empty() {
                None
            } else {
                match parse_score(value) {
                    Ok(score) => Some(score),
                    Err(problem) => return Ok(ImportanceRated::NoScore { criterion, problem }),
                }
            };
            ratings.push((criterion.id, score));
        }
        self.store
            .rate_importance(&who.actor(), user, account, &ratings)
            .await?;
        Ok(ImportanceRated::Saved)
    }
}
