//! The guiding questions (Leitfragen) of the brief as a self-assessment: one of our units
//! answers them about one partner, dated, and sees its trend over time and across its partners.
//!
//! Two questionnaires:
//!
//! - [`Questionnaire::Partner`], about a customer or a neighbouring department: Is there a key
//!   account manager or counterpart for the partner? Is responsibility organised boss to boss
//!   and staff to staff rather than delegated to one person? Does someone feel responsible? Do
//!   our people who have contact exchange what they know?
//! - [`Questionnaire::Supplier`], about a supplier: Does the supplier give us a direct contact?
//!   Do we feel understood? Does it stand up for us in its company? Does it offer us a tangible
//!   advantage?
//!
//! Every answer is yes, partly or no ([`Answer`]; "yes" is always what the brief hopes for),
//! with an optional comment. Where the data can answer, a question comes pre-answered with its
//! evidence ([`PreAnswer`]): the numbers behind it, as codes the web layer words. People
//! confirm or correct; the answer set keeps what was suggested and the evidence of that day.
//!
//! # Pre-answers
//!
//! Partner ([`partner_pre_answers`], from [`PartnerFacts`]):
//!
//! | question | yes | partly | no |
//! |---|---|---|---|
//! | counterpart | a key account manager is named, or every key contact has a primary counterpart | some counterpart | none |
//! | hierarchy | the shape is a diamond | mixed | bow tie or nobody |
//! | responsible | nobody-responsible is not found and no relationship is overdue | someone, but relationships are overdue | nobody responsible |
//! | exchange | insights from at least two of our people in the window, and at least half of the counterparts recorded an insight or a contact | something was recorded | nothing was recorded |
//!
//! Supplier ([`supplier_pre_answers`], from [`SupplierFacts`], the reversed mirror):
//!
//! | question | yes | partly | no |
//! |---|---|---|---|
//! | direct contact | someone at the supplier is the counterpart of one of ours | – | nobody |
//! | understood | at least 3 in 4 of our people with a counterpart there have one at most one level away, and the relationships are rated 4 or better on average (if rated) | at least half | fewer |
//! | advocacy | a key person there is a champion or supporter with influence 4 or more | a champion or supporter with less influence | (no suggestion: the data cannot tell) |
//! | advantage | (no suggestion: only we can judge it) | | |
//!
//! The evidence of a question is a list ([`Evidence`]): a new fact (say, the last jour fixe)
//! is one more variant and one more line where the question's evidence is gathered.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::account::{AssignmentKind, ManagementMode};
use crate::ids::{AccountId, PersonId, UnitId, UserId};
use crate::macros::string_enum;
use crate::mirror::analysis::{AccountAnalysis, FindingKind, Shape, analyze_account};
use crate::mirror::reverse::{Reversed, reverse};
use crate::mirror::{MirrorAccount, OurPerson, Settings};
use crate::validate::{FieldErrors, Problem, optional_multiline};

string_enum! {
    /// Which set of guiding questions.
    pub enum Questionnaire {
        /// About a customer or a neighbouring department (the brief's first set).
        Partner = "partner",
        /// About a supplier: how it manages us (the brief's second set).
        Supplier = "supplier",
    }
}

string_enum! {
    /// One guiding question.
    pub enum Question {
        /// Is there a key account manager or counterpart for the partner?
        Counterpart = "counterpart",
        /// Is responsibility organised boss to boss, staff to staff, rather than delegated to
        /// one person?
        Hierarchy = "hierarchy",
        /// Does someone feel responsible for the partner?
        Responsible = "responsible",
        /// Do our people who have contact exchange what they know?
        Exchange = "exchange",
        /// Does the supplier give us a direct contact?
        DirectContact = "direct_contact",
        /// Do we feel understood by the supplier?
        Understood = "understood",
        /// Does the supplier stand up for us in its company?
        Advocacy = "advocacy",
        /// Does the supplier offer us a tangible advantage?
        Advantage = "advantage",
    }
}

string_enum! {
    /// An answer; "yes" is what the brief hopes for.
    pub enum Answer {
        /// Yes.
        Yes = "yes",
        /// Partly.
        Partly = "partly",
        /// No.
        No = "no",
    }
}

impl Answer {
    /// Points toward an answer set's score: yes 2, partly 1, no 0.
    pub fn points(self) -> i64 {
        match self {
            Self::Yes => 2,
            Self::Partly => 1,
            Self::No => 0,
        }
    }
}

impl Questionnaire {
    /// Its questions, in the brief's order.
    pub fn questions(self) -> &'static [Question] {
        match self {
            Self::Partner => &[
                Question::Counterpart,
                Question::Hierarchy,
                Question::Responsible,
                Question::Exchange,
            ],
            Self::Supplier => &[
                Question::DirectContact,
                Question::Understood,
                Question::Advocacy,
                Question::Advantage,
            ],
        }
    }
}

impl Question {
    /// The questionnaire it belongs to.
    pub fn questionnaire(self) -> Questionnaire {
        match self {
            Self::Counterpart | Self::Hierarchy | Self::Responsible | Self::Exchange => {
                Questionnaire::Partner
            }
            Self::DirectContact | Self::Understood | Self::Advocacy | Self::Advantage => {
                Questionnaire::Supplier
            }
        }
    }

    /// The name of its comment field in the form.
    pub fn comment_field(self) -> &'static str {
        match self {
            Self::Counterpart => "counterpart_comment",
            Self::Hierarchy => "hierarchy_comment",
            Self::Responsible => "responsible_comment",
            Self::Exchange => "exchange_comment",
            Self::DirectContact => "direct_contact_comment",
            Self::Understood => "understood_comment",
            Self::Advocacy => "advocacy_comment",
            Self::Advantage => "advantage_comment",
        }
    }
}

/// The longest comment on one answer.
pub const MAX_COMMENT: usize = 1000;

/// The days the knowledge evidence looks back.
pub const WINDOW_DAYS: i64 = 90;

/// One answer as given.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerInput {
    /// The question.
    pub question: Question,
    /// Yes, partly or no.
    pub answer: Answer,
    /// Why, or how (optional).
    pub comment: Option<String>,
}

/// A validated answer set, before it is stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnswerSetInput {
    /// The unit of ours that answers.
    pub unit_id: UnitId,
    /// One answer per question of the questionnaire, in its order.
    pub answers: Vec<AnswerInput>,
}

impl AnswerSetInput {
    /// Checks a submitted form: `unit_id`, and per question `{question}` (yes, partly, no;
    /// required) and `{question}_comment` (optional, at most [`MAX_COMMENT`] characters, no
    /// control characters but line breaks and tabs). Every problem is named by its field.
    pub fn parse(
        questionnaire: Questionnaire,
        form: &HashMap<String, String>,
    ) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::default();
        let value = |name: &str| form.get(name).map_or("", String::as_str);
        let unit = e.take(
            "unit_id",
            match value("unit_id").trim() {
                "" => Err(Problem::Required),
                raw => raw.parse::<UnitId>().map_err(|_| Problem::NotFound),
            },
        );
        let mut answers = Vec::new();
        for &question in questionnaire.questions() {
            let answer = e.take(
                question.as_str(),
                match value(question.as_str()).trim() {
                    "" => Err(Problem::Required),
                    raw => raw.parse::<Answer>(),
                },
            );
            let comment = e.take(
                question.comment_field(),
                optional_multiline(value(question.comment_field()), MAX_COMMENT),
            );
            if let (Some(answer), Some(comment)) = (answer, comment) {
                answers.push(AnswerInput {
                    question,
                    answer,
                    comment,
                });
            }
        }
        e.into_result(|| Self {
            unit_id: unit.unwrap_or(UnitId::new(0)),
            answers,
        })
    }
}

/// An answer as stored: what was answered and what the data suggested that day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoredAnswer {
    /// The question.
    pub question: Question,
    /// The answer given.
    pub answer: Answer,
    /// The pre-answer of that day, if the data could answer.
    pub suggested: Option<Answer>,
    /// The evidence of that day.
    pub evidence: Vec<Evidence>,
    /// The comment.
    pub comment: Option<String>,
}

/// A stored answer set: one unit's answers about one partner on one day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AnswerSet {
    /// Its id.
    pub id: i64,
    /// Which questionnaire.
    pub questionnaire: Questionnaire,
    /// The unit of ours that answered.
    pub unit_id: UnitId,
    /// The partner's account.
    pub account_id: AccountId,
    /// The day it was answered.
    pub answered_on: NaiveDate,
    /// The user who entered it, if a user did.
    pub author_id: Option<UserId>,
    /// Their name at the time.
    pub author_name: String,
    /// The answers, in the questionnaire's order.
    pub answers: Vec<StoredAnswer>,
}

impl AnswerSet {
    /// 0–100: the share of the best possible answers (yes 2, partly 1, no 0 points each).
    pub fn score(&self) -> i64 {
        score(self.answers.iter().map(|a| a.answer))
    }

    /// The answer to one question, if given.
    pub fn answer(&self, question: Question) -> Option<&StoredAnswer> {
        self.answers.iter().find(|a| a.question == question)
    }
}

/// 0–100 of some answers: their points over twice their number, rounded; 0 for none.
pub fn score(answers: impl IntoIterator<Item = Answer>) -> i64 {
    let (points, n) = answers
        .into_iter()
        .fold((0, 0), |(p, n), a| (p + a.points(), n + 1));
    if n == 0 {
        0
    } else {
        (100 * points + n) / (2 * n)
    }
}

/// A fact behind a pre-answer, with the numbers its sentence needs; the web layer words it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Evidence {
    /// Our people holding a relationship with a key contact, and on how many levels.
    Counterparts {
        /// People of ours with a current assignment (primary or deputy).
        people: usize,
        /// Distinct known levels among them.
        levels: usize,
    },
    /// Key contacts and how many of them have a primary counterpart.
    KeyContacts {
        /// Key contacts.
        contacts: usize,
        /// With a current primary counterpart.
        covered: usize,
    },
    /// Whether a key account manager is named.
    Manager {
        /// Named.
        named: bool,
    },
    /// The account's management mode.
    Mode {
        /// The mode.
        mode: ManagementMode,
    },
    /// The mirror's shape and score.
    Mirror {
        /// The shape.
        shape: Shape,
        /// The mirror score, rounded.
        score: i64,
    },
    /// Covered pairs at most one level apart.
    LevelMatched {
        /// At most one level apart.
        matched: usize,
        /// Covered pairs.
        covered: usize,
    },
    /// Primary pairs overdue for a contact.
    Overdue {
        /// Overdue.
        overdue: usize,
        /// Primary pairs.
        pairs: usize,
    },
    /// The mirror finds nobody responsible.
    NobodyResponsible,
    /// Insights recorded in the window, by how many of our people.
    Insights {
        /// Insights.
        count: usize,
        /// Distinct authors.
        authors: usize,
        /// The window in days.
        days: i64,
    },
    /// Contacts logged in the window, by how many of our people.
    ContactsLogged {
        /// Contacts.
        count: usize,
        /// Distinct authors.
        authors: usize,
        /// The window in days.
        days: i64,
    },
    /// The last jour fixe that discussed the account, if any (the customer jour fixe is
    /// where our people with contact exchange what they know).
    LastJourFixe {
        /// Its day.
        on: Option<chrono::NaiveDate>,
    },
    /// Counterparts who recorded an insight or a contact in the window.
    Recording {
        /// Counterparts who recorded something.
        recording: usize,
        /// Counterparts.
        counterparts: usize,
    },
    /// Reversed: of our people in the relationship, how many have a counterpart at the
    /// supplier.
    TheirCounterparts {
        /// Our people with a counterpart there.
        covered: usize,
        /// Our people in the relationship.
        ours: usize,
        /// Distinct people of theirs serving them.
        theirs: usize,
    },
    /// Reversed: the supplier's mirror of us, its shape and score.
    ReverseMirror {
        /// The shape.
        shape: Shape,
        /// The score, rounded.
        score: i64,
    },
    /// The mean latest relationship rating of the pairs, in tenths (42 = 4.2).
    Relationship {
        /// Mean × 10, rounded.
        tenths: i64,
        /// Rated pairs.
        rated: usize,
    },
    /// Key people there who argue for us (champions or supporters).
    Advocates {
        /// Champions or supporters.
        count: usize,
        /// Of them with influence 4 or 5.
        influential: usize,
    },
    /// The data cannot answer this question; only the unit can.
    OnlyYouKnow,
}

/// A question with what the data suggest and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreAnswer {
    /// The question.
    pub question: Question,
    /// The suggested answer, if the data can answer.
    pub suggested: Option<Answer>,
    /// The facts behind it.
    pub evidence: Vec<Evidence>,
}

/// Who of ours recorded something: a user, and the person of ours they are, if linked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Recorded {
    /// The user.
    pub user: UserId,
    /// Their person of ours.
    pub person: Option<PersonId>,
}

impl Recorded {
    /// One author counted once: by person where linked, else by user.
    fn author(self) -> (i64, i64) {
        match self.person {
            Some(p) => (0, p.get()),
            None => (1, self.user.get()),
        }
    }
}

/// What our people recorded about the partner within the window.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Knowledge {
    /// One entry per insight.
    pub insights: Vec<Recorded>,
    /// One entry per contact logged.
    pub contacts: Vec<Recorded>,
}

/// The facts the partner questions are pre-answered from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartnerFacts {
    /// The management mode.
    pub mode: ManagementMode,
    /// A key account manager is named.
    pub manager: bool,
    /// The last jour fixe that discussed the account.
    pub last_jour_fixe: Option<chrono::NaiveDate>,
    /// Key contacts.
    pub key_contacts: usize,
    /// Key contacts with a current primary.
    pub covered: usize,
    /// Covered key contacts at most one level from their primary.
    pub matched: usize,
    /// People of ours with a current assignment to a key contact, primary or deputy.
    pub counterparts: Vec<PersonId>,
    /// Distinct known levels among them.
    pub counterpart_levels: usize,
    /// The mirror's shape.
    pub shape: Shape,
    /// The mirror score, rounded.
    pub score: i64,
    /// The mirror finds nobody responsible.
    pub nobody_responsible: bool,
    /// Primary pairs overdue for a contact.
    pub overdue: usize,
    /// Insights in the window.
    pub insights: usize,
    /// Their distinct authors.
    pub insight_authors: usize,
    /// Contacts logged in the window.
    pub contacts_logged: usize,
    /// Their distinct authors.
    pub contact_authors: usize,
    /// Counterparts who recorded an insight or a contact in the window.
    pub recording: usize,
}

impl PartnerFacts {
    /// The facts of an account: its mirror input (with `people`, at least those holding its
    /// counterparts), its analysis, and what was recorded about it.
    pub fn of(
        account: &MirrorAccount,
        people: &[OurPerson],
        analysis: &AccountAnalysis,
        knowledge: &Knowledge,
    ) -> Self {
        let contacts: BTreeSet<PersonId> = account.contacts.iter().map(|c| c.person_id).collect();
        let counterparts: BTreeSet<PersonId> = account
            .assignments
            .iter()
            .filter(|a| contacts.contains(&a.partner_id))
            .map(|a| a.our_id)
            .collect();
        let levels: BTreeSet<i64> = people
            .iter()
            .filter(|p| counterparts.contains(&p.person_id))
            .filter_map(|p| p.level_rank)
            .collect();
        let authors = |list: &[Recorded]| {
            list.iter()
                .map(|r| r.author())
                .collect::<BTreeSet<_>>()
                .len()
        };
        let recorders: BTreeSet<PersonId> = knowledge
            .insights
            .iter()
            .chain(&knowledge.contacts)
            .filter_map(|r| r.person)
            .collect();
        let count = |kind: FindingKind| {
            analysis
                .findings
                .iter()
                .filter(|f| f.kind() == kind)
                .count()
        };
        Self {
            mode: account.mode,
            manager: account.manager_id.is_some(),
            key_contacts: analysis.score.contacts,
            covered: analysis.score.covered,
            matched: analysis.score.matched,
            counterpart_levels: levels.len(),
            recording: counterparts.intersection(&recorders).count(),
            counterparts: counterparts.into_iter().collect(),
            shape: analysis.shape,
            score: analysis.score.value.round() as i64,
            nobody_responsible: count(FindingKind::NobodyResponsible) > 0,
            overdue: count(FindingKind::Stale),
            insights: knowledge.insights.len(),
            insight_authors: authors(&knowledge.insights),
            contacts_logged: knowledge.contacts.len(),
            contact_authors: authors(&knowledge.contacts),
            last_jour_fixe: account.jour_fixe.last_meeting,
        }
    }
}

/// The partner questions, pre-answered from the facts (rules in the module docs).
pub fn partner_pre_answers(f: &PartnerFacts) -> Vec<PreAnswer> {
    let counterparts = Evidence::Counterparts {
        people: f.counterparts.len(),
        levels: f.counterpart_levels,
    };
    let key_contacts = Evidence::KeyContacts {
        contacts: f.key_contacts,
        covered: f.covered,
    };
    let manager = Evidence::Manager { named: f.manager };
    let counterpart = if f.manager || (f.key_contacts > 0 && f.covered == f.key_contacts) {
        Answer::Yes
    } else if !f.counterparts.is_empty() {
        Answer::Partly
    } else {
        Answer::No
    };
    let hierarchy = match f.shape {
        Shape::Diamond => Answer::Yes,
        Shape::Mixed => Answer::Partly,
        Shape::BowTie | Shape::Empty => Answer::No,
    };
    let responsible = if f.nobody_responsible {
        Answer::No
    } else if f.overdue > 0 {
        Answer::Partly
    } else {
        Answer::Yes
    };
    let exchange = if f.insight_authors >= 2
        && !f.counterparts.is_empty()
        && 2 * f.recording >= f.counterparts.len()
    {
        Answer::Yes
    } else if f.insights + f.contacts_logged > 0 {
        Answer::Partly
    } else {
        Answer::No
    };
    let mut responsible_evidence = vec![manager.clone(), counterparts.clone()];
    if f.nobody_responsible {
        responsible_evidence.push(Evidence::NobodyResponsible);
    }
    responsible_evidence.push(Evidence::Overdue {
        overdue: f.overdue,
        pairs: f.covered,
    });
    vec![
        PreAnswer {
            question: Question::Counterpart,
            suggested: Some(counterpart),
            evidence: vec![manager, counterparts.clone(), key_contacts],
        },
        PreAnswer {
            question: Question::Hierarchy,
            suggested: Some(hierarchy),
            evidence: vec![
                Evidence::Mirror {
                    shape: f.shape,
                    score: f.score,
                },
                Evidence::LevelMatched {
                    matched: f.matched,
                    covered: f.covered,
                },
                Evidence::Mode { mode: f.mode },
            ],
        },
        PreAnswer {
            question: Question::Responsible,
            suggested: Some(responsible),
            evidence: responsible_evidence,
        },
        PreAnswer {
            question: Question::Exchange,
            suggested: Some(exchange),
            evidence: vec![
                Evidence::Insights {
                    count: f.insights,
                    authors: f.insight_authors,
                    days: WINDOW_DAYS,
                },
                Evidence::ContactsLogged {
                    count: f.contacts_logged,
                    authors: f.contact_authors,
                    days: WINDOW_DAYS,
                },
                Evidence::Recording {
                    recording: f.recording,
                    counterparts: f.counterparts.len(),
                },
                Evidence::LastJourFixe {
                    on: f.last_jour_fixe,
                },
            ],
        },
    ]
}

/// A key person at the supplier as the advocacy question reads them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Advocate {
    /// Champion by role or supporter by stance.
    pub argues_for_us: bool,
    /// Influence 1–5.
    pub influence: i64,
}

/// The facts the supplier questions are pre-answered from: the reversed mirror and the key
/// people's stances.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SupplierFacts {
    /// Our people in the relationship (the reversed contacts).
    pub ours: usize,
    /// Of them with a counterpart at the supplier.
    pub covered: usize,
    /// Of those at most one level apart.
    pub matched: usize,
    /// Distinct people of theirs serving ours as primary.
    pub theirs: usize,
    /// The reversed mirror's shape.
    pub shape: Shape,
    /// Its score, rounded.
    pub score: i64,
    /// Mean latest relationship rating × 10 of the reversed primary pairs, if any is rated.
    pub relationship_tenths: Option<i64>,
    /// Rated primary pairs.
    pub rated: usize,
    /// Key people there who are champions or supporters.
    pub advocates: usize,
    /// Of them with influence 4 or 5.
    pub influential_advocates: usize,
}

impl SupplierFacts {
    /// The facts of a reversed account (see [`crate::mirror::reverse`]), its analysis and the
    /// supplier's key people.
    pub fn of(
        reversed: &MirrorAccount,
        analysis: &AccountAnalysis,
        advocates: &[Advocate],
    ) -> Self {
        let primaries: Vec<_> = reversed
            .assignments
            .iter()
            .filter(|a| a.kind == AssignmentKind::Primary)
            .collect();
        let theirs: BTreeSet<PersonId> = primaries.iter().map(|a| a.our_id).collect();
        let ratings: Vec<i64> = primaries.iter().filter_map(|a| a.relationship).collect();
        let relationship_tenths = (!ratings.is_empty()).then(|| {
            let sum: i64 = ratings.iter().sum();
            let n = ratings.len() as i64;
            (20 * sum + n) / (2 * n)
        });
        let arguing: Vec<&Advocate> = advocates.iter().filter(|a| a.argues_for_us).collect();
        Self {
            ours: analysis.score.contacts,
            covered: analysis.score.covered,
            matched: analysis.score.matched,
            theirs: theirs.len(),
            shape: analysis.shape,
            score: analysis.score.value.round() as i64,
            relationship_tenths,
            rated: ratings.len(),
            advocates: arguing.len(),
            influential_advocates: arguing.iter().filter(|a| a.influence >= 4).count(),
        }
    }
}

/// The supplier questions, pre-answered from the facts (rules in the module docs).
pub fn supplier_pre_answers(f: &SupplierFacts) -> Vec<PreAnswer> {
    let their = Evidence::TheirCounterparts {
        covered: f.covered,
        ours: f.ours,
        theirs: f.theirs,
    };
    let direct = if f.covered > 0 {
        Answer::Yes
    } else {
        Answer::No
    };
    let understood = if f.covered == 0 {
        None
    } else {
        let rating_good = f.relationship_tenths.is_none_or(|t| t >= 40);
        Some(if 4 * f.matched >= 3 * f.covered && rating_good {
            Answer::Yes
        } else if 2 * f.matched >= f.covered {
            Answer::Partly
        } else {
            Answer::No
        })
    };
    let mut understood_evidence = vec![Evidence::LevelMatched {
        matched: f.matched,
        covered: f.covered,
    }];
    if let Some(tenths) = f.relationship_tenths {
        understood_evidence.push(Evidence::Relationship {
            tenths,
            rated: f.rated,
        });
    }
    let advocacy = if f.influential_advocates > 0 {
        Some(Answer::Yes)
    } else if f.advocates > 0 {
        Some(Answer::Partly)
    } else {
        None
    };
    vec![
        PreAnswer {
            question: Question::DirectContact,
            suggested: Some(direct),
            evidence: vec![
                their,
                Evidence::ReverseMirror {
                    shape: f.shape,
                    score: f.score,
                },
            ],
        },
        PreAnswer {
            question: Question::Understood,
            suggested: understood,
            evidence: understood_evidence,
        },
        PreAnswer {
            question: Question::Advocacy,
            suggested: advocacy,
            evidence: vec![Evidence::Advocates {
                count: f.advocates,
                influential: f.influential_advocates,
            }],
        },
        PreAnswer {
            question: Question::Advantage,
            suggested: None,
            evidence: vec![Evidence::OnlyYouKnow],
        },
    ]
}

/// Everything the pre-answers about one account read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GuidingInput {
    /// The account as the mirror reads it; `None` for a deactivated account.
    pub account: Option<MirrorAccount>,
    /// Our people holding its counterparts (at least).
    pub people: Vec<OurPerson>,
    /// Our side of the relationship beyond them: the people of the responsible unit and the
    /// key account manager. The reversed mirror puts them beside the holders.
    pub our_side: Vec<OurPerson>,
    /// What our people recorded in the window.
    pub knowledge: Knowledge,
    /// The partner's key people as the advocacy question reads them.
    pub advocates: Vec<Advocate>,
}

/// The supplier's mirror of us: the account turned round and its analysis.
#[derive(Clone, Debug, PartialEq)]
pub struct ReverseView {
    /// The account turned round.
    pub reversed: Reversed,
    /// Its analysis (contacts: ours; counterparts: theirs).
    pub analysis: AccountAnalysis,
}

/// The account turned round and analysed: how well the partner matches our hierarchy.
/// `None` for a deactivated account.
pub fn reverse_view(input: &GuidingInput, settings: &Settings) -> Option<ReverseView> {
    let account = input.account.as_ref()?;
    let ours: Vec<OurPerson> = input
        .people
        .iter()
        .chain(&input.our_side)
        .cloned()
        .collect();
    let reversed = reverse(account, &ours);
    let analysis = analyze_account(&reversed.account, &reversed.people, settings);
    Some(ReverseView { reversed, analysis })
}

/// The questions of a questionnaire, pre-answered from the data where it can answer; for a
/// deactivated account, unanswered and without evidence.
pub fn pre_answers(
    questionnaire: Questionnaire,
    input: &GuidingInput,
    settings: &Settings,
) -> Vec<PreAnswer> {
    let unanswered = || {
        questionnaire
            .questions()
            .iter()
            .map(|&question| PreAnswer {
                question,
                suggested: None,
                evidence: Vec::new(),
            })
            .collect()
    };
    let Some(account) = &input.account else {
        return unanswered();
    };
    match questionnaire {
        Questionnaire::Partner => {
            let analysis = analyze_account(account, &input.people, settings);
            partner_pre_answers(&PartnerFacts::of(
                account,
                &input.people,
                &analysis,
                &input.knowledge,
            ))
        }
        Questionnaire::Supplier => match reverse_view(input, settings) {
            Some(view) => supplier_pre_answers(&SupplierFacts::of(
                &view.reversed.account,
                &view.analysis,
                &input.advocates,
            )),
            None => unanswered(),
        },
    }
}

#[cfg(test)]
mod tests;
