//! The briefing, read before a meeting: who a partner person is, who of ours knows them and
//! the people around them, and what we know — on one screen, printable.

use counterpart_core::ids::PersonId;
use counterpart_core::ladder::Level;
use counterpart_store::{CounterpartView, InsightView, PersonDetail};

use crate::error::Result;
use crate::{App, Principal};

/// The people around a partner person with their counterparts of ours.
#[derive(Clone, Debug)]
pub struct AroundPerson {
    /// Who (their boss, a report or an assistant).
    pub person: counterpart_store::PersonSummary,
    /// Their current counterparts of ours.
    pub counterparts: Vec<CounterpartView>,
}

/// A person's briefing.
#[derive(Clone, Debug)]
pub struct PersonBriefing {
    /// Who they are, with manager, reports, assistants and positions.
    pub detail: PersonDetail,
    /// The ladder, to name levels.
    pub levels: Vec<Level>,
    /// Their counterparts of ours, current ones first, with the latest ratings.
    pub counterparts: Vec<CounterpartView>,
    /// Their boss, reports and assistants with who of ours holds each.
    pub around: Vec<AroundPerson>,
    /// What we know about them that the reader may see, newest first.
    pub insights: Vec<InsightView>,
    /// The latest contacts with them.
    pub contacts: Vec<counterpart_store::InteractionView>,
}

impl App {
    /// The briefing about a person, as `who` may read it.
    pub async fn person_briefing(&self, who: &Principal, id: PersonId) -> Result<PersonBriefing> {
        let (detail, levels, counterparts, insights, contacts) = tokio::try_join!(
            async { Ok::<_, crate::Error>(self.store.person_detail(id).await?) },
            async { Ok(self.store.levels().await?) },
            async { Ok(self.store.counterparts_of(id, false).await?) },
            self.insights_about_person(who, id),
            self.contacts_with_person(who, id)
        )?;
        let people: Vec<counterpart_store::PersonSummary> = detail
            .manager
            .iter()
            .chain(&detail.reports)
            .chain(&detail.assistants)
            .cloned()
            .collect();
        let ids: Vec<PersonId> = people.iter().map(|p| p.person.id).collect();
        let held = self.store.counterparts_of_each(&ids).await?;
        let around = people
            .into_iter()
            .map(|person| AroundPerson {
                counterparts: held
                    .iter()
                    .filter(|c| c.assignment.partner_id == person.person.id)
                    .cloned()
                    .collect(),
                person,
            })
            .collect();
        Ok(PersonBriefing {
            detail,
            levels,
            counterparts,
            around,
            insights,
            contacts,
        })
    }
}
