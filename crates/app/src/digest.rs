//! The unit digest — "aufbereitet zur Verfügung stellen": what changed since a day on the
//! accounts a unit of ours (with the units below it) is responsible for — what we learned by
//! category, rating changes, counterparts that began or ended, what the mirror newly found,
//! pairs due for a contact, and the accounts that need attention — as a page and as a per-user Atom feed behind a secret,
//! revocable address.

use std::collections::HashMap;

use chrono::NaiveDate;
use counterpart_core::cadence::{Cadence, State};
use counterpart_core::ids::{AssignmentId, PersonId, UnitId};
use counterpart_core::importance::Tier;
use counterpart_core::org::{OrganizationKind, Unit, subtree};
use counterpart_core::user::{TokenKind, User};
use counterpart_store::{
    AccessToken, AccountFilter, AccountSummary, InsightView, NewFinding, NewToken, PairChange,
    PairRhythm, RatingChange, Visibility,
};

use crate::computed::Computed;
use crate::error::{Error, Result};
use crate::home::WEAK_MIRROR;
use crate::{App, Principal};

/// How far back a digest looks when no day is asked for, and what a feed shows.
pub const DIGEST_DAYS: u64 = 7;
/// How many due pairs a digest names (the most overdue); the rest are counted.
pub const DUE_SHOWN: usize = 100;
/// The attention list's length.
const ATTENTION_SHOWN: usize = 10;

/// A pair due or overdue for a contact.
#[derive(Clone, Debug)]
pub struct DuePair {
    /// The assignment.
    pub assignment_id: AssignmentId,
    /// The partner person.
    pub partner_id: PersonId,
    /// Their name.
    pub partner: String,
    /// Our person's name.
    pub ours: String,
    /// Where the pair stands.
    pub cadence: Cadence,
}

/// What a unit digest shows.
#[derive(Clone, Debug)]
pub struct Digest {
    /// The unit.
    pub unit: Unit,
    /// The first day it covers.
    pub since: NaiveDate,
    /// What we learned, newest first, as far as the reader may see it.
    pub insights: Vec<InsightView>,
    /// Ratings given, newest first.
    pub ratings: Vec<RatingChange>,
    /// Counterparts that began or ended.
    pub pairs: Vec<PairChange>,
    /// What the mirror found that is new and still open, most severe first.
    pub findings: Vec<NewFinding>,
    /// Pairs due or overdue for a contact, overdue first: the first [`DUE_SHOWN`].
    pub due: Vec<DuePair>,
    /// How many more pairs are due than `due` names.
    pub due_more: usize,
    /// The unit's accounts with gaps or a weak mirror, most important first.
    pub attention: Vec<AccountSummary>,
}

impl Digest {
    /// Whether nothing changed and nothing is due.
    pub fn is_quiet(&self) -> bool {
        self.insights.is_empty()
            && self.ratings.is_empty()
            && self.pairs.is_empty()
            && self.findings.is_empty()
            && self.due.is_empty()
            && self.attention.is_empty()
    }
}

/// Digests by unit, first day, what the reader sees and today (what is due is counted as of
/// today): the whole house's week reads every key contact and pair (0.8 s on the enterprise
/// dataset), and its readers ask for the same one.
pub(crate) type Digests = Computed<(UnitId, NaiveDate, Visibility, NaiveDate), Digest>;

impl App {
    /// The digest of a unit of ours (with the units below it) from `since` on (default: the
    /// last [`DIGEST_DAYS`] days), as `who` may read it; kept while the data are unchanged
    /// for those who see the same. A unit high up reads its whole subtree's week: one such
    /// report per core at a time (`work::report`).
    pub async fn unit_digest(
        &self,
        who: &Principal,
        unit: UnitId,
        since: Option<NaiveDate>,
    ) -> Result<Digest> {
        let today = self.today();
        let since = since.unwrap_or(today - chrono::Days::new(DIGEST_DAYS));
        let visibility = self.visibility(who).await?;
        let key = (unit, since, visibility.clone(), today);
        let digest = self
            .digests
            .get(&self.store, key, || {
                crate::work::report(self.digest_of(unit, since, &visibility, today))
            })
            .await?;
        Ok(Digest::clone(&digest))
    }

    async fn digest_of(
        &self,
        unit: UnitId,
        since: NaiveDate,
        visibility: &Visibility,
        today: NaiveDate,
    ) -> Result<Digest> {
        let store = &self.store;
        let unit = store.unit(unit).await?;
        let organization = store.organization(unit.organization_id).await?;
        if organization.kind != OrganizationKind::Own {
            return Err(Error::NotApplicable);
        }
        let mut units: Vec<UnitId> = subtree(&store.units(organization.id).await?, unit.id)
            .into_iter()
            .collect();
        units.sort_unstable();
        let attention = AccountFilter {
            responsible_unit_ids: units.clone(),
            attention_below: Some(WEAK_MIRROR),
            ..AccountFilter::default()
        };
        let (insights, ratings, pairs, findings, contacts, attention) = tokio::try_join!(
            store.insights_on_units_since(&units, since, visibility),
            store.rating_changes_since(&units, since, visibility),
            store.pair_changes_since(&units, since, visibility),
            store.new_findings_since(&units, since, visibility),
            store.unit_key_contacts(&units, visibility),
            store.accounts_first(&attention, visibility, ATTENTION_SHOWN),
        )?;
        // Each key contact's rank, and the best tier of the unit's accounts they matter in.
        let mut terms: HashMap<PersonId, (Option<i64>, Option<Tier>)> = HashMap::new();
        for c in &contacts {
            let tier = c.tier.as_deref().and_then(|t| t.parse::<Tier>().ok());
            let entry = terms.entry(c.person_id).or_insert((c.rank, tier));
            if tier.is_some_and(|t| entry.1.is_none_or(|best| t < best)) {
                entry.1 = tier;
            }
        }
        let people: Vec<PersonId> = terms.keys().copied().collect();
        let mut due: Vec<(PairRhythm, Cadence)> = store
            .pair_rhythms(&people, visibility)
            .await?
            .into_iter()
            .filter_map(|pair| {
                let (rank, tier) = terms.get(&pair.partner_id).copied()?;
                let cadence = Cadence::on(
                    today,
                    pair.valid_from,
                    pair.last_contact,
                    pair.contact_every_days,
                    rank,
                    tier,
                );
                cadence.needs_contact().then_some((pair, cadence))
            })
            .collect();
        // The most overdue first; a unit high up has thousands due, of which the digest
        // names the first [`DUE_SHOWN`] and counts the rest.
        let urgency = |c: &Cadence| std::cmp::Reverse((c.state == State::Overdue, c.days));
        due.sort_by_key(|(_, cadence)| urgency(cadence));
        let due_more = due.len().saturating_sub(DUE_SHOWN);
        due.truncate(DUE_SHOWN);
        // Names for those named only: both sides of each pair.
        let named: Vec<PersonId> = due
            .iter()
            .flat_map(|(pair, _)| [pair.partner_id, pair.our_id])
            .collect();
        let names = store.persons(&named).await?;
        let name = |id: &PersonId| names.get(id).map(|p| p.display_name()).unwrap_or_default();
        let mut due: Vec<DuePair> = due
            .into_iter()
            .map(|(pair, cadence)| DuePair {
                assignment_id: pair.assignment_id,
                partner_id: pair.partner_id,
                partner: name(&pair.partner_id),
                ours: name(&pair.our_id),
                cadence,
            })
            .collect();
        due.sort_by(|a, b| {
            urgency(&a.cadence)
                .cmp(&urgency(&b.cadence))
                .then_with(|| a.partner.cmp(&b.partner))
        });
        Ok(Digest {
            unit,
            since,
            insights,
            ratings,
            pairs,
            findings,
            due,
            due_more,
            attention,
        })
    }

    /// Makes a secret feed address of `who`'s for a unit's digest; the token is returned
    /// once.
    pub async fn create_digest_feed(&self, who: &Principal, unit: UnitId) -> Result<String> {
        let user = who.user()?;
        let unit = self.store.unit(unit).await?;
        let organization = self.store.organization(unit.organization_id).await?;
        if organization.kind != OrganizationKind::Own {
            return Err(Error::NotApplicable);
        }
        let (_, token) = self
            .store
            .create_token(&who.actor(), user, &NewToken::digest(unit.id))
            .await?;
        Ok(token)
    }

    /// Revokes one of `who`'s feed addresses (an administrator's: anyone's).
    pub async fn revoke_feed(&self, who: &Principal, id: i64) -> Result<AccessToken> {
        self.revoke_token(who, id).await
    }

    /// `who`'s feed addresses.
    pub async fn feeds(&self, who: &Principal) -> Result<Vec<AccessToken>> {
        Ok(self
            .store
            .tokens_of(who.user()?, Some(TokenKind::Digest))
            .await?)
    }

    /// The digest a feed address delivers, read as its user would, with that user; `None`
    /// for an unknown or revoked token.
    pub async fn digest_by_feed(&self, token: &str) -> Result<Option<(Digest, User)>> {
        let Some(feed) = self.store.use_token(token, TokenKind::Digest).await? else {
            return Ok(None);
        };
        let Some(unit) = feed.unit_id else {
            return Ok(None);
        };
        let user = self.store.user(feed.user_id).await?;
        let digest = self.unit_digest(&Principal::of(&user), unit, None).await?;
        Ok(Some((digest, user)))
    }
}
