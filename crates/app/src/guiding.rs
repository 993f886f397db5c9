//! The guiding questions: a unit of ours answers the brief's questions about a partner (or, for
//! a supplier, how the supplier manages us), pre-answered from the data; a new dated answer set
//! each time, so that a unit sees its trend and compares its partners. And the supplier's
//! mirror of us: the mirror analysis turned round.
//!
//! Anyone may read; editors answer (as on every other editing page). The analysis runs on the
//! blocking pool, as the mirror's does.

use std::collections::{BTreeMap, HashMap};

use counterpart_core::account::Account;
use counterpart_core::guiding::{
    AnswerSet, AnswerSetInput, GuidingInput, PreAnswer, Questionnaire, ReverseView, pre_answers,
    reverse_view,
};
use counterpart_core::ids::{AccountId, PersonId, UnitId};
use counterpart_core::mirror::Settings;
use counterpart_core::mirror::analysis::{MirrorScore, Shape};
use counterpart_core::org::{Organization, Unit};
use counterpart_store::{AccountFilter, AnswerSetFilter, Answering, PersonLabel};

use crate::error::{Error, Result};
use crate::organizations::UnitChoice;
use crate::work::blocking;
use crate::{App, Principal};

/// One of ours and their counterpart at the supplier.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReverseRow {
    /// One of ours.
    pub ours: PersonId,
    /// Their counterpart at the supplier, if any.
    pub theirs: Option<PersonId>,
    /// Levels between the two, if both are known.
    pub distance: Option<i64>,
}

/// The supplier's mirror of us: how well its people match ours, level by level.
#[derive(Clone, Debug)]
pub struct ReverseMirror {
    /// The score with its parts (coverage: of our people with a counterpart there).
    pub score: MirrorScore,
    /// The shape: a bow tie when one person there holds most of ours.
    pub shape: Shape,
    /// Our people, top level first, with their counterpart there.
    pub rows: Vec<ReverseRow>,
    /// Names and levels of everyone in the rows.
    pub labels: HashMap<PersonId, PersonLabel>,
}

/// The page of one questionnaire about one account: the form with its pre-answers, the
/// supplier's mirror of us, and the answers so far.
#[derive(Clone, Debug)]
pub struct GuidingForm {
    /// The account.
    pub account: Account,
    /// Which questionnaire.
    pub questionnaire: Questionnaire,
    /// Our units, to choose who answers.
    pub units: UnitChoice,
    /// The unit proposed: the one asked for, else the account's responsible unit, else the
    /// asker's own unit (a unit of our house in each case).
    pub unit: Option<UnitId>,
    /// The questions with what the data suggest.
    pub pre: Vec<PreAnswer>,
    /// For a supplier: its mirror of us.
    pub reverse: Option<ReverseMirror>,
    /// The answer sets about the account so far (every unit), oldest first.
    pub history: Vec<AnswerSet>,
    /// Unit names by id, for the history.
    pub unit_names: HashMap<UnitId, String>,
}

/// The guiding questions on the account page: the latest answers of each questionnaire and
/// the supplier's mirror of us.
#[derive(Clone, Debug, Default)]
pub struct AccountGuiding {
    /// The latest partner answer set and the score of the one before it.
    pub partner: Option<(AnswerSet, Option<i64>)>,
    /// The latest supplier answer set and the score of the one before it.
    pub supplier: Option<(AnswerSet, Option<i64>)>,
    /// For a supplier: its mirror of us.
    pub reverse: Option<ReverseMirror>,
    /// Unit names by id.
    pub unit_names: HashMap<UnitId, String>,
}

/// One partner of a unit with its answer sets.
#[derive(Clone, Debug)]
pub struct PartnerLine {
    /// The account.
    pub account: Account,
    /// Whether it is internal (a neighbouring department).
    pub internal: bool,
    /// The unit's partner answer sets about it, oldest first.
    pub partner: Vec<AnswerSet>,
    /// The unit's supplier answer sets about it, oldest first.
    pub supplier: Vec<AnswerSet>,
}

/// A unit's guiding questions: its partners (those it is responsible for and those it
/// answered about) compared, each with its trend.
#[derive(Clone, Debug)]
pub struct UnitGuiding {
    /// The unit.
    pub unit: Unit,
    /// Its organization.
    pub organization: Organization,
    /// Its partners, by name.
    pub partners: Vec<PartnerLine>,
}

/// The reversed mirror as a page shows it, with the people named.
async fn reverse_mirror(app: &App, view: Option<ReverseView>) -> Result<Option<ReverseMirror>> {
    let Some(view) = view else {
        return Ok(None);
    };
    let mut wanted: Vec<PersonId> = view
        .reversed
        .account
        .contacts
        .iter()
        .map(|c| c.person_id)
        .collect();
    wanted.extend(view.reversed.people.iter().map(|p| p.person_id));
    let labels = app.store.person_labels(&wanted).await?;
    let rank = |id: &PersonId| labels.get(id).and_then(|l| l.level_rank);
    let mut rows: Vec<ReverseRow> = view
        .reversed
        .account
        .contacts
        .iter()
        .map(|c| {
            let theirs = view.reversed.counterpart_of(c.person_id);
            ReverseRow {
                ours: c.person_id,
                theirs,
                distance: theirs
                    .and_then(|t| counterpart_core::mirror::level_distance(rank(&t), c.level_rank)),
            }
        })
        .collect();
    rows.sort_by_key(|r| {
        (
            rank(&r.ours).unwrap_or(i64::MAX),
            labels.get(&r.ours).map(|l| l.name.clone()),
        )
    });
    Ok(Some(ReverseMirror {
        score: view.analysis.score,
        shape: view.analysis.shape,
        rows,
        labels,
    }))
}

/// The latest set and the score of the one before it.
fn latest(sets: &[AnswerSet]) -> Option<(AnswerSet, Option<i64>)> {
    let (last, earlier) = sets.split_last()?;
    Some((last.clone(), earlier.last().map(AnswerSet::score)))
}

impl App {
    /// The facts of an account as `who` may see them, as of today.
    async fn guiding_facts(&self, who: &Principal, account: AccountId) -> Result<GuidingInput> {
        let visibility = self.visibility(who).await?;
        Ok(self
            .store
            .guiding_input(account, self.today(), &visibility)
            .await?)
    }

    /// Names of units by id.
    pub async fn unit_names(
        &self,
        ids: impl Iterator<Item = UnitId>,
    ) -> Result<HashMap<UnitId, String>> {
        let ids: Vec<i64> = ids.map(UnitId::get).collect();
        Ok(self
            .store
            .names_of(counterpart_core::audit::Reference::Unit, &ids)
            .await?
            .into_iter()
            .map(|(id, name)| (UnitId::new(id), name))
            .collect())
    }

    /// The page of a questionnaire about an account. The supplier questionnaire is for
    /// suppliers only.
    pub async fn guiding_form(
        &self,
        who: &Principal,
        account: AccountId,
        questionnaire: Questionnaire,
        unit: Option<UnitId>,
    ) -> Result<GuidingForm> {
        self.guiding(who, account, questionnaire, unit, true).await
    }

    /// A questionnaire about an account as the API gives it: the page without the supplier's
    /// mirror of us.
    pub async fn guiding_questions(
        &self,
        who: &Principal,
        account: AccountId,
        questionnaire: Questionnaire,
    ) -> Result<GuidingForm> {
        self.guiding(who, account, questionnaire, None, false).await
    }

    /// A questionnaire about an account; for a supplier with its mirror of us if `mirrored`.
    async fn guiding(
        &self,
        who: &Principal,
        account: AccountId,
        questionnaire: Questionnaire,
        unit: Option<UnitId>,
        mirrored: bool,
    ) -> Result<GuidingForm> {
        let stored = self.visible_account(who, account).await?;
        if questionnaire == Questionnaire::Supplier && !stored.relation.is_supplier() {
            return Err(Error::NotApplicable);
        }
        let input = self.guiding_facts(who, account).await?;
        let today = self.today();
        let (pre, view) = blocking(move || {
            let settings = Settings::new(today);
            let view = (mirrored && questionnaire == Questionnaire::Supplier)
                .then(|| reverse_view(&input, &settings))
                .flatten();
            (pre_answers(questionnaire, &input, &settings), view)
        })
        .await?;
        let reverse = reverse_mirror(self, view).await?;
        let history = self
            .store
            .answer_sets(AnswerSetFilter {
                account: Some(account),
                questionnaire: Some(questionnaire),
                ..Default::default()
            })
            .await?;
        let unit_names = self.unit_names(history.iter().map(|s| s.unit_id)).await?;
        let own_unit = match who.person {
            Some(person) => self.store.person(person).await?.unit_id,
            None => None,
        };
        let candidates = [unit, stored.responsible_unit_id, own_unit];
        let units = self
            .our_unit_choice(who, candidates.into_iter().flatten())
            .await?;
        let unit = candidates.into_iter().flatten().find(|u| units.offers(*u));
        Ok(GuidingForm {
            account: stored,
            questionnaire,
            units,
            unit,
            pre,
            reverse,
            history,
            unit_names,
        })
    }

    /// Records a unit's answers about an account as a new set, dated today, with what the
    /// data suggest today.
    pub async fn answer_guiding(
        &self,
        who: &Principal,
        account: AccountId,
        questionnaire: Questionnaire,
        form: &HashMap<String, String>,
    ) -> Result<AnswerSet> {
        who.may_edit()?;
        let stored = self.visible_account(who, account).await?;
        if questionnaire == Questionnaire::Supplier && !stored.relation.is_supplier() {
            return Err(Error::NotApplicable);
        }
        let input = AnswerSetInput::parse(questionnaire, form)?;
        let facts = self.guiding_facts(who, account).await?;
        let today = self.today();
        let pre =
            blocking(move || pre_answers(questionnaire, &facts, &Settings::new(today))).await?;
        let answering = Answering {
            questionnaire,
            account,
            answered_on: today,
            author: who.user,
        };
        Ok(self
            .store
            .record_answer_set(&who.actor(), &answering, &input, &pre)
            .await?)
    }

    /// The guiding questions on an account's page: the latest answers and, for a supplier,
    /// its mirror of us.
    pub async fn account_guiding(
        &self,
        who: &Principal,
        account: AccountId,
    ) -> Result<AccountGuiding> {
        let stored = self.visible_account(who, account).await?;
        let sets = self
            .store
            .answer_sets(AnswerSetFilter {
                account: Some(account),
                ..Default::default()
            })
            .await?;
        let (partner, supplier): (Vec<AnswerSet>, Vec<AnswerSet>) = sets
            .into_iter()
            .partition(|s| s.questionnaire == Questionnaire::Partner);
        let reverse = if stored.relation.is_supplier() && stored.active {
            let input = self.guiding_facts(who, account).await?;
            let today = self.today();
            let view = blocking(move || reverse_view(&input, &Settings::new(today))).await?;
            reverse_mirror(self, view).await?
        } else {
            None
        };
        let unit_names = self
            .unit_names(partner.iter().chain(&supplier).map(|s| s.unit_id))
            .await?;
        Ok(AccountGuiding {
            partner: latest(&partner),
            supplier: latest(&supplier),
            reverse,
            unit_names,
        })
    }

    /// A unit's guiding questions: every partner it is responsible for or answered about,
    /// with its answer sets over time.
    pub async fn unit_guiding(&self, who: &Principal, unit: UnitId) -> Result<UnitGuiding> {
        let seen = self.visibility(who).await?;
        let stored = self.store.unit(unit).await?;
        let organization = self.store.organization(stored.organization_id).await?;
        let sets = self
            .store
            .answer_sets(AnswerSetFilter {
                unit: Some(unit),
                ..Default::default()
            })
            .await?;
        let responsible = self
            .store
            .accounts(
                &AccountFilter {
                    responsible_unit_id: Some(unit),
                    ..Default::default()
                },
                &seen,
            )
            .await?;
        let mut lines: BTreeMap<AccountId, PartnerLine> = responsible
            .into_iter()
            .map(|s| {
                (
                    s.account.id,
                    PartnerLine {
                        account: s.account,
                        internal: s.internal,
                        partner: Vec::new(),
                        supplier: Vec::new(),
                    },
                )
            })
            .collect();
        // Answers about an account the reader may not see are that account's.
        for set in sets.into_iter().filter(|s| seen.sees_account(s.account_id)) {
            if let std::collections::btree_map::Entry::Vacant(slot) = lines.entry(set.account_id) {
                let account = self.store.account(set.account_id).await?;
                let internal = self
                    .store
                    .organization(account.organization_id)
                    .await?
                    .kind
                    .is_in_house();
                slot.insert(PartnerLine {
                    account,
                    internal,
                    partner: Vec::new(),
                    supplier: Vec::new(),
                });
            }
            if let Some(line) = lines.get_mut(&set.account_id) {
                match set.questionnaire {
                    Questionnaire::Partner => line.partner.push(set),
                    Questionnaire::Supplier => line.supplier.push(set),
                }
            }
        }
        let mut partners: Vec<PartnerLine> = lines.into_values().collect();
        partners.sort_by(|a, b| a.account.name.cmp(&b.account.name));
        Ok(UnitGuiding {
            unit: stored,
            organization,
            partners,
        })
    }

    /// The latest supplier assessment of each of these accounts that has one: its day and
    /// score, for the matrix.
    pub async fn latest_supplier_assessments(
        &self,
        who: &Principal,
        accounts: &[AccountId],
    ) -> Result<HashMap<AccountId, AnswerSet>> {
        let seen = self.visibility(who).await?;
        let mut latest = self
            .store
            .latest_answer_sets(accounts, Questionnaire::Supplier)
            .await?;
        latest.retain(|account, _| seen.sees_account(*account));
        Ok(latest)
    }
}
