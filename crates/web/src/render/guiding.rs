//! The guiding questions in words: the questions, the answers, the evidence behind a
//! pre-answer (core returns codes with numbers, the sentences live here), and the section the
//! account page shows.

use std::collections::HashMap;

use counterpart_app::guiding::{AccountGuiding, ReverseMirror};
use counterpart_core::guiding::{Answer, AnswerSet, Evidence, Question, Questionnaire};
use counterpart_core::ids::{AccountId, UnitId};
use counterpart_core::user::Language;

use crate::ctx::Ctx;
use crate::i18n::Texts;
use crate::wording;

/// A question in the brief's words.
pub(crate) fn question(t: &Texts, q: Question) -> &'static str {
    match q {
        Question::Counterpart => t.q_counterpart,
        Question::Hierarchy => t.q_hierarchy,
        Question::Responsible => t.q_responsible,
        Question::Exchange => t.q_exchange,
        Question::DirectContact => t.q_direct_contact,
        Question::Understood => t.q_understood,
        Question::Advocacy => t.q_advocacy,
        Question::Advantage => t.q_advantage,
    }
}

/// A question in two or three words, for table heads.
pub(crate) fn question_short(t: &Texts, q: Question) -> &'static str {
    match q {
        Question::Counterpart => t.q_counterpart_short,
        Question::Hierarchy => t.q_hierarchy_short,
        Question::Responsible => t.q_responsible_short,
        Question::Exchange => t.q_exchange_short,
        Question::DirectContact => t.q_direct_contact_short,
        Question::Understood => t.q_understood_short,
        Question::Advocacy => t.q_advocacy_short,
        Question::Advantage => t.q_advantage_short,
    }
}

/// A hint below a question, where the brief asks "how".
pub(crate) fn question_hint(t: &Texts, q: Question) -> Option<&'static str> {
    (q == Question::Exchange).then_some(t.q_exchange_hint)
}

/// An answer's word.
pub(crate) fn answer(t: &Texts, a: Answer) -> &'static str {
    match a {
        Answer::Yes => t.answer_yes,
        Answer::Partly => t.answer_partly,
        Answer::No => t.answer_no,
    }
}

/// The title of a questionnaire.
pub(crate) fn title(t: &Texts, q: Questionnaire) -> &'static str {
    match q {
        Questionnaire::Partner => t.guiding_partner_title,
        Questionnaire::Supplier => t.guiding_supplier_title,
    }
}

/// Where a questionnaire about an account is answered.
pub(crate) fn path(account: AccountId, q: Questionnaire) -> String {
    match q {
        Questionnaire::Partner => format!("/accounts/{account}/guiding"),
        Questionnaire::Supplier => format!("/accounts/{account}/supplier-rating"),
    }
}

/// "4,2" / "4.2" from tenths.
fn tenths(lang: Language, tenths: i64) -> String {
    let sep = if lang == Language::De { ',' } else { '.' };
    format!("{}{sep}{}", tenths / 10, tenths % 10)
}

/// One fact behind a pre-answer as a sentence.
pub(crate) fn evidence(t: &Texts, e: &Evidence) -> String {
    let de = t.lang == Language::De;
    match *e {
        Evidence::Counterparts { people: 0, .. } => if de {
            "Kein Ansprechpartner bei uns"
        } else {
            "No counterpart of ours"
        }
        .to_owned(),
        Evidence::Counterparts { people, levels } => {
            let on = if de { "auf" } else { "on" };
            format!(
                "{} {on} {}",
                t.counterparts_of_ours(people),
                t.levels(levels)
            )
        }
        Evidence::KeyContacts { contacts, covered } => {
            if de {
                format!(
                    "{covered} von {} mit einem Gegenüber",
                    t.key_contacts(contacts)
                )
            } else {
                format!(
                    "{covered} of {} with a counterpart",
                    t.key_contacts(contacts)
                )
            }
        }
        Evidence::Manager { named: true } => if de {
            "Key Account Manager benannt"
        } else {
            "Key account manager named"
        }
        .to_owned(),
        Evidence::Manager { named: false } => if de {
            "Kein Key Account Manager benannt"
        } else {
            "No key account manager named"
        }
        .to_owned(),
        Evidence::Mode { mode } => format!("{}: {}", t.field_mode, t.mode(&mode)),
        Evidence::LastJourFixe { on: Some(day) } => {
            let day = day.format("%d.%m.%Y");
            if de {
                format!("Zuletzt im Jour fixe besprochen am {day}")
            } else {
                format!("Last discussed in a jour fixe on {day}")
            }
        }
        Evidence::LastJourFixe { on: None } => if de {
            "In keinem Jour fixe besprochen"
        } else {
            "Not discussed in any jour fixe"
        }
        .to_owned(),
        Evidence::Mirror { shape, score } => format!(
            "{}: {} · {} {score}",
            t.shape,
            wording::shape(t.lang, shape),
            t.mirror_score
        ),
        Evidence::LevelMatched { covered: 0, .. } | Evidence::Overdue { pairs: 0, .. } => if de {
            "Noch kein Paar aus einer Person von uns und einer von ihnen"
        } else {
            "No pair of one of ours and one of theirs yet"
        }
        .to_owned(),
        Evidence::Recording {
            counterparts: 0, ..
        } => if de {
            "Niemand von uns hat Kontakt, der etwas festhalten könnte"
        } else {
            "Nobody of ours has contact who could record something"
        }
        .to_owned(),
        Evidence::LevelMatched { matched, covered } => {
            if de {
                format!("{matched} von {covered} Paaren höchstens eine Ebene auseinander")
            } else {
                format!("{matched} of {covered} pairs at most one level apart")
            }
        }
        Evidence::Overdue { overdue: 0, .. } => if de {
            "Kein Kontakt überfällig"
        } else {
            "No contact overdue"
        }
        .to_owned(),
        Evidence::Overdue { overdue, pairs } => {
            if de {
                format!("{overdue} von {pairs} Beziehungen überfällig")
            } else {
                format!("{overdue} of {pairs} relationships overdue")
            }
        }
        Evidence::NobodyResponsible => if de {
            "Die Spiegelung findet niemanden zuständig"
        } else {
            "The mirror finds nobody responsible"
        }
        .to_owned(),
        Evidence::Insights { count: 0, days, .. } => {
            if de {
                format!("Keine Information in {}", t.days_in(days))
            } else {
                format!("No insight in {}", t.days_in(days))
            }
        }
        Evidence::Insights {
            count,
            authors,
            days,
        } => {
            if de {
                format!(
                    "{} von {} bei uns in {}",
                    t.guiding_insights(count),
                    t.people(authors),
                    t.days_in(days)
                )
            } else {
                format!(
                    "{} from {} of ours in {}",
                    t.guiding_insights(count),
                    t.people(authors),
                    t.days_in(days)
                )
            }
        }
        Evidence::ContactsLogged { count: 0, days, .. } => {
            if de {
                format!("Kein Kontakt festgehalten in {}", t.days_in(days))
            } else {
                format!("No contact logged in {}", t.days_in(days))
            }
        }
        Evidence::ContactsLogged {
            count,
            authors,
            days,
        } => {
            if de {
                format!(
                    "{} festgehalten von {} bei uns in {}",
                    t.contacts(count),
                    t.people(authors),
                    t.days_in(days)
                )
            } else {
                format!(
                    "{} logged by {} of ours in {}",
                    t.contacts(count),
                    t.people(authors),
                    t.days_in(days)
                )
            }
        }
        Evidence::Recording {
            recording,
            counterparts,
        } => {
            if de {
                let verb = if recording == 1 { "hat" } else { "haben" };
                format!("{recording} von {counterparts} Ansprechpartnern {verb} etwas festgehalten")
            } else {
                format!("{recording} of {counterparts} counterparts recorded something")
            }
        }
        Evidence::TheirCounterparts {
            covered,
            ours,
            theirs,
        } => {
            if de {
                let verb = if covered == 1 { "hat" } else { "haben" };
                format!(
                    "{covered} von {} bei uns {verb} dort ein Gegenüber ({} dort)",
                    t.people(ours),
                    t.people(theirs)
                )
            } else {
                format!(
                    "{covered} of {} of ours have a counterpart there ({} there)",
                    t.people(ours),
                    t.people(theirs)
                )
            }
        }
        Evidence::ReverseMirror { shape, score } => format!(
            "{}: {} · {} {score}",
            t.reverse_title,
            wording::shape(t.lang, shape),
            t.mirror_score
        ),
        Evidence::Relationship {
            tenths: value,
            rated,
        } => {
            if de {
                format!(
                    "Beziehung im Schnitt {} ({rated} bewertet)",
                    tenths(t.lang, value)
                )
            } else {
                format!(
                    "Relationship {} on average ({rated} rated)",
                    tenths(t.lang, value)
                )
            }
        }
        Evidence::Advocates { count: 0, .. } => if de {
            "Niemand dort als Fürsprecher oder Unterstützer erfasst"
        } else {
            "Nobody there recorded as champion or supporter"
        }
        .to_owned(),
        Evidence::Advocates { count, influential } => {
            if de {
                format!(
                    "{count} Fürsprecher oder Unterstützer dort, {influential} mit Einfluss 4–5"
                )
            } else {
                format!("{count} champions or supporters there, {influential} with influence 4–5")
            }
        }
        Evidence::OnlyYouKnow => if de {
            "Das wissen nur Sie: Die Daten enthalten dazu nichts."
        } else {
            "Only you know: the data hold nothing on this."
        }
        .to_owned(),
    }
}

/// One answer as a row shows it.
pub(crate) struct AnswerRow {
    pub(crate) question: &'static str,
    pub(crate) answer_key: &'static str,
    pub(crate) answer: &'static str,
    /// The suggestion, when the answer differs from it.
    pub(crate) corrected_from: Option<&'static str>,
    pub(crate) comment: String,
}

/// An answer set as a page shows it.
pub(crate) struct SetView {
    pub(crate) date: String,
    pub(crate) unit: String,
    pub(crate) unit_id: UnitId,
    pub(crate) author: String,
    pub(crate) score: i64,
    pub(crate) answers: Vec<AnswerRow>,
}

impl SetView {
    pub(crate) fn of(ctx: &Ctx, set: &AnswerSet, units: &HashMap<UnitId, String>) -> Self {
        let t = ctx.t();
        Self {
            date: ctx.date(&set.answered_on),
            unit: units
                .get(&set.unit_id)
                .cloned()
                .unwrap_or_else(|| format!("#{}", set.unit_id)),
            unit_id: set.unit_id,
            author: set.author_name.clone(),
            score: set.score(),
            answers: set
                .answers
                .iter()
                .map(|a| AnswerRow {
                    question: question_short(t, a.question),
                    answer_key: a.answer.as_str(),
                    answer: answer(t, a.answer),
                    corrected_from: a.suggested.filter(|s| *s != a.answer).map(|s| answer(t, s)),
                    comment: a.comment.clone().unwrap_or_default(),
                })
                .collect(),
        }
    }
}

/// One of ours and their counterpart at the supplier, named.
pub(crate) struct ReverseLine {
    pub(crate) ours: String,
    pub(crate) ours_id: i64,
    pub(crate) our_level: String,
    pub(crate) theirs: Option<(i64, String, String)>,
    /// "gleiche Ebene", "2 Ebenen darunter" …
    pub(crate) distance: String,
    pub(crate) matched: bool,
}

/// The supplier's mirror of us as a page shows it.
pub(crate) struct ReverseSection {
    pub(crate) score: f64,
    pub(crate) coverage: f64,
    pub(crate) level_match: f64,
    pub(crate) spread: f64,
    pub(crate) shape: &'static str,
    pub(crate) lines: Vec<ReverseLine>,
}

impl ReverseSection {
    pub(crate) fn of(
        ctx: &Ctx,
        mirror: &ReverseMirror,
        levels: &[counterpart_core::ladder::Level],
    ) -> Self {
        let t = ctx.t();
        let level = |rank: Option<i64>| {
            rank.and_then(|r| levels.iter().find(|l| l.rank == r))
                .map(|l| ctx.pick(&l.name_de, &l.name_en).to_owned())
                .unwrap_or_else(|| t.not_set.to_owned())
        };
        let label = |id: &counterpart_core::ids::PersonId| mirror.labels.get(id);
        let lines = mirror
            .rows
            .iter()
            .map(|r| {
                let ours = label(&r.ours);
                let theirs = r.theirs.map(|id| {
                    let l = label(&id);
                    (
                        id.get(),
                        l.map(|l| l.name.clone())
                            .unwrap_or_else(|| format!("#{id}")),
                        level(l.and_then(|l| l.level_rank)),
                    )
                });
                let distance = match (r.distance, t.lang) {
                    (Some(0), _) => t.reverse_same_level.to_owned(),
                    (Some(n), Language::De) => format!("{} auseinander", t.levels(n)),
                    (Some(n), Language::En) => format!("{} apart", t.levels(n)),
                    (None, _) => String::new(),
                };
                ReverseLine {
                    ours: ours
                        .map(|l| l.name.clone())
                        .unwrap_or_else(|| format!("#{}", r.ours)),
                    ours_id: r.ours.get(),
                    our_level: level(ours.and_then(|l| l.level_rank)),
                    theirs,
                    distance,
                    matched: r.distance.is_some_and(|d| d <= 1),
                }
            })
            .collect();
        Self {
            score: mirror.score.value,
            coverage: mirror.score.parts.coverage,
            level_match: mirror.score.parts.level_match,
            spread: mirror.score.parts.spread,
            shape: wording::shape(ctx.lang, mirror.shape),
            lines,
        }
    }
}

/// One questionnaire on the account page.
pub(crate) struct GuidingPart {
    pub(crate) title: &'static str,
    /// Where it is answered.
    pub(crate) href: String,
    /// The button's text.
    pub(crate) button: &'static str,
    /// The latest answer set.
    pub(crate) latest: Option<SetView>,
    /// The score of the one before it.
    pub(crate) before: Option<i64>,
}

/// The guiding questions on the account page: the latest answers of each questionnaire that
/// applies, links to answer, and for a supplier its mirror of us.
pub(crate) struct GuidingSection {
    pub(crate) parts: Vec<GuidingPart>,
    pub(crate) reverse: Option<ReverseSection>,
}

impl GuidingSection {
    pub(crate) fn of(
        ctx: &Ctx,
        account: AccountId,
        supplier: bool,
        guiding: AccountGuiding,
        levels: &[counterpart_core::ladder::Level],
    ) -> Self {
        let t = ctx.t();
        let part =
            |questionnaire: Questionnaire, button, set: &Option<(AnswerSet, Option<i64>)>| {
                GuidingPart {
                    title: title(t, questionnaire),
                    href: path(account, questionnaire),
                    button,
                    latest: set
                        .as_ref()
                        .map(|(s, _)| SetView::of(ctx, s, &guiding.unit_names)),
                    before: set.as_ref().and_then(|(_, before)| *before),
                }
            };
        let mut parts = vec![part(
            Questionnaire::Partner,
            t.guiding_answer_partner,
            &guiding.partner,
        )];
        if supplier {
            parts.push(part(
                Questionnaire::Supplier,
                t.guiding_answer_supplier,
                &guiding.supplier,
            ));
        }
        Self {
            parts,
            reverse: guiding
                .reverse
                .as_ref()
                .map(|r| ReverseSection::of(ctx, r, levels)),
        }
    }
}
