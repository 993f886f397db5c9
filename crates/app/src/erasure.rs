//! Erasure (Art. 17 DSGVO) for administrators: what erasing a person would remove, the
//! erasure itself after an explicit confirmation, and the retention review: people without
//! any contact, change, insight or login for some years, erased in bulk after confirmation.

use counterpart_core::ids::PersonId;
use counterpart_core::person::Person;
use counterpart_core::validate::{FieldErrors, Problem};
use counterpart_store::{Dormant, Erased, ErasurePlan, Refusal, StoreError};

use crate::error::{Error, Result};
use crate::{App, Principal};

/// The fewest and most years of inactivity the review looks for.
pub const REVIEW_YEARS: std::ops::RangeInclusive<i64> = 1..=20;
/// The years the review starts with.
pub const REVIEW_YEARS_DEFAULT: i64 = 3;
/// People per page of the review.
pub const REVIEW_PAGE: i64 = 50;
/// The most people one bulk erasure takes.
pub const BULK_MAX: usize = 200;

/// What erasing a person would do.
#[derive(Clone, Debug)]
pub struct ErasurePreview {
    /// The person as stored now.
    pub person: Person,
    /// Their rows, link by link.
    pub plan: ErasurePlan,
}

/// One page of the retention review.
#[derive(Clone, Debug)]
pub struct Review {
    /// The years of inactivity asked for.
    pub years: i64,
    /// How many people there are in all.
    pub total: i64,
    /// The page shown (from 0).
    pub page: i64,
    /// The people on it.
    pub people: Vec<Dormant>,
}

/// What a bulk erasure did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BulkErased {
    /// People erased.
    pub erased: usize,
    /// People kept: active meanwhile, erased meanwhile, or refused (a series convenor).
    pub skipped: usize,
}

/// Checks the years of the review.
pub fn review_years(text: &str) -> Result<i64> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(REVIEW_YEARS_DEFAULT);
    }
    text.parse::<i64>()
        .ok()
        .filter(|y| REVIEW_YEARS.contains(y))
        .ok_or_else(|| {
            Error::Invalid(FieldErrors::single(
                "years",
                Problem::OutOfRange {
                    min: *REVIEW_YEARS.start(),
                    max: *REVIEW_YEARS.end(),
                },
            ))
        })
}

fn confirmation(confirmed: bool) -> Result<()> {
    if confirmed {
        Ok(())
    } else {
        Err(Error::Invalid(FieldErrors::single(
            "confirm",
            Problem::Required,
        )))
    }
}

/// The moment `years` years before now.
fn years_ago(years: i64) -> counterpart_store::Timestamp {
    let now = counterpart_store::now();
    let months = u32::try_from(years.clamp(0, 100) * 12).unwrap_or(0);
    now.checked_sub_months(chrono::Months::new(months))
        .unwrap_or(now)
}

impl App {
    /// What erasing a person would remove and pseudonymise. Administrators only.
    pub async fn erasure_preview(
        &self,
        who: &Principal,
        person: PersonId,
    ) -> Result<ErasurePreview> {
        who.may_administer()?;
        crate::work::report(async {
            let plan = self
                .store
                .erasure_plan(person)
                .await?
                .ok_or(Error::NotFound)?;
            let person = self.store.person(person).await?;
            Ok(ErasurePreview { person, plan })
        })
        .await
    }

    /// Erases a person after the administrator confirmed it; `pseudonym` replaces their name
    /// where others' records keep it. Administrators only, never their own person; not found
    /// when erased meanwhile.
    pub async fn erase_person(
        &self,
        who: &Principal,
        person: PersonId,
        confirmed: bool,
        pseudonym: &str,
    ) -> Result<Erased> {
        who.may_administer()?;
        confirmation(confirmed)?;
        if who.person == Some(person) {
            return Err(Error::Refused(Refusal::ErasesOneself));
        }
        Ok(self
            .store
            .erase_person(&who.actor(), person, pseudonym)
            .await?)
    }

    /// The names of people, in the order given (those gone meanwhile left out), for the
    /// bulk erasure's confirmation. Administrators only.
    pub async fn person_names(
        &self,
        who: &Principal,
        people: &[PersonId],
    ) -> Result<Vec<(PersonId, String)>> {
        who.may_administer()?;
        let labels = self.store.person_labels(people).await?;
        Ok(people
            .iter()
            .filter_map(|id| labels.get(id).map(|l| (*id, l.name.clone())))
            .collect())
    }

    /// One page of the people without any contact, change, insight or login for `years`
    /// years. Administrators only.
    pub async fn retention_review(&self, who: &Principal, years: i64, page: i64) -> Result<Review> {
        who.may_administer()?;
        let page = page.clamp(0, 100_000);
        let (total, people) = self
            .store
            .dormant_people(years_ago(years), REVIEW_PAGE, page * REVIEW_PAGE)
            .await?;
        Ok(Review {
            years,
            total,
            page,
            people,
        })
    }

    /// Erases the people chosen from the review after the administrator confirmed it, each in
    /// its own transaction with its own tombstone; anyone active meanwhile (within `years`),
    /// erased meanwhile or refused is kept and counted. At most [`BULK_MAX`] at once.
    /// Administrators only.
    pub async fn erase_dormant(
        &self,
        who: &Principal,
        people: &[PersonId],
        years: i64,
        confirmed: bool,
        pseudonym: &str,
    ) -> Result<BulkErased> {
        who.may_administer()?;
        if people.is_empty() {
            return Err(Error::Invalid(FieldErrors::single(
                "person_id",
                Problem::Required,
            )));
        }
        if people.len() > BULK_MAX {
            return Err(Error::Invalid(FieldErrors::single(
                "person_id",
                Problem::OutOfRange {
                    min: 1,
                    max: BULK_MAX as i64,
                },
            )));
        }
        confirmation(confirmed)?;
        let since = years_ago(years);
        let mut done = BulkErased::default();
        for &person in people {
            if who.person == Some(person) || !self.store.is_dormant(person, since).await? {
                done.skipped += 1;
                continue;
            }
            match self
                .store
                .erase_person(&who.actor(), person, pseudonym)
                .await
            {
                Ok(_) => done.erased += 1,
                Err(StoreError::NotFound { .. } | StoreError::Refused(_)) => done.skipped += 1,
                Err(other) => return Err(other.into()),
            }
        }
        Ok(done)
    }
}
