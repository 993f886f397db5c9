//! People as files: a table that imports back unchanged (canonical headers, levels and
//! functions by name, units by name, managers by e-mail) and vCards.

use super::mapping::Column;
use super::read::Table;
use super::read::vcard::{PhoneKind, VCard, VCardPhone};
use crate::ids::PersonId;
use crate::user::Language;

/// One person as exported: every value already as text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExportPerson {
    /// Their id here, to attach what we know about them; not a column.
    pub id: Option<PersonId>,
    /// Id in the source system.
    pub external_id: String,
    /// Academic title.
    pub academic_title: String,
    /// Given name.
    pub given_name: String,
    /// Family name.
    pub family_name: String,
    /// Job title.
    pub job_title: String,
    /// Level by name.
    pub level: String,
    /// Function by name.
    pub function: String,
    /// Unit by name.
    pub unit: String,
    /// Manager: their e-mail, or their name when they have none.
    pub manager: String,
    /// Boss assisted: e-mail or name.
    pub assistant_of: String,
    /// E-mail.
    pub email: String,
    /// Office phone.
    pub phone: String,
    /// Mobile phone.
    pub mobile: String,
    /// Notes.
    pub notes: String,
}

/// The export table: one column per [`Column`], headers in the user's language.
pub fn people_table(people: &[ExportPerson], lang: Language) -> Table {
    let headers = Column::ALL
        .iter()
        .map(|c| c.header(lang).to_owned())
        .collect();
    let rows = people
        .iter()
        .map(|p| {
            Column::ALL
                .iter()
                .map(|c| {
                    match c {
                        Column::ExternalId => &p.external_id,
                        Column::AcademicTitle => &p.academic_title,
                        Column::GivenName => &p.given_name,
                        Column::FamilyName => &p.family_name,
                        Column::JobTitle => &p.job_title,
                        Column::Level => &p.level,
                        Column::Function => &p.function,
                        Column::Unit => &p.unit,
                        Column::Manager => &p.manager,
                        Column::AssistantOf => &p.assistant_of,
                        Column::Email => &p.email,
                        Column::Phone => &p.phone,
                        Column::Mobile => &p.mobile,
                        Column::Notes => &p.notes,
                    }
                    .clone()
                })
                .collect()
        })
        .collect();
    Table::from_rows(headers, rows)
}

/// One insight as exported, every value already as text in the reader's language.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExportInsight {
    /// The partner person it is about, to find it on their vCard; not a column.
    pub person_id: Option<PersonId>,
    /// The partner person's name; empty for an insight about the account alone.
    pub person: String,
    /// Their e-mail, to match the row to the people sheet.
    pub person_email: String,
    /// The account's name, if the insight is about one.
    pub account: String,
    /// The category, in words.
    pub category: String,
    /// What was learned.
    pub text: String,
    /// When, as YYYY-MM-DD.
    pub learned_on: String,
    /// Who of ours wrote it down.
    pub author: String,
    /// From whom, if known.
    pub source: String,
    /// Heard or confirmed, in words.
    pub certainty: String,
    /// Valid until, as YYYY-MM-DD, if set.
    pub valid_until: String,
    /// Whether it is confidential, in words.
    pub confidential: String,
}

/// The insights table's headers, in the given language.
fn insight_headers(lang: Language) -> [&'static str; 11] {
    match lang {
        Language::De => [
            "Person",
            "E-Mail",
            "Account",
            "Kategorie",
            "Erkenntnis",
            "Erfahren am",
            "Erfasst von",
            "Quelle",
            "Sicherheit",
            "Gültig bis",
            "Vertraulich",
        ],
        Language::En => [
            "Person",
            "Email",
            "Account",
            "Category",
            "Insight",
            "Learned on",
            "Recorded by",
            "Source",
            "Certainty",
            "Valid until",
            "Confidential",
        ],
    }
}

/// What we know about the exported people, as a table (a second sheet, or a CSV file of its
/// own): one row per insight, as the reader may see them.
pub fn insights_table(insights: &[ExportInsight], lang: Language) -> Table {
    let headers = insight_headers(lang).map(str::to_owned).to_vec();
    let rows = insights
        .iter()
        .map(|i| {
            [
                &i.person,
                &i.person_email,
                &i.account,
                &i.category,
                &i.text,
                &i.learned_on,
                &i.author,
                &i.source,
                &i.certainty,
                &i.valid_until,
                &i.confidential,
            ]
            .map(String::clone)
            .to_vec()
        })
        .collect();
    Table::from_rows(headers, rows)
}

pub use super::read::vcard::insights_heading;

/// A note with what we know appended below [`insights_heading`]: one line per insight,
/// "2026-11-03 · Bedürfnisse: …".
fn note_with_insights(notes: &str, insights: &[&ExportInsight], lang: Language) -> String {
    if insights.is_empty() {
        return notes.to_owned();
    }
    let mut note = notes.trim_end().to_owned();
    if !note.is_empty() {
        note.push_str("\n\n");
    }
    note.push_str(insights_heading(lang));
    for i in insights {
        note.push('\n');
        note.push_str(&format!("{} · {}: {}", i.learned_on, i.category, i.text));
    }
    note
}

/// The people as vCards of `organization`, each note followed by what we know about them
/// (`insights`, as the reader may see them).
pub fn people_vcards(
    people: &[ExportPerson],
    organization: &str,
    insights: &[ExportInsight],
    lang: Language,
) -> Vec<VCard> {
    people
        .iter()
        .map(|p| {
            let known: Vec<&ExportInsight> = match p.id {
                Some(id) => insights
                    .iter()
                    .filter(|i| i.person_id == Some(id))
                    .collect(),
                None => Vec::new(),
            };
            let mut phones = Vec::new();
            if !p.phone.is_empty() {
                phones.push(VCardPhone {
                    kind: PhoneKind::Work,
                    number: p.phone.clone(),
                });
            }
            if !p.mobile.is_empty() {
                phones.push(VCardPhone {
                    kind: PhoneKind::Cell,
                    number: p.mobile.clone(),
                });
            }
            VCard {
                uid: p.external_id.clone(),
                formatted_name: crate::person::display_name(
                    Some(p.academic_title.as_str()).filter(|s| !s.is_empty()),
                    Some(p.given_name.as_str()).filter(|s| !s.is_empty()),
                    &p.family_name,
                ),
                family_name: p.family_name.clone(),
                given_name: p.given_name.clone(),
                honorific_prefix: p.academic_title.clone(),
                organization: organization.to_owned(),
                units: if p.unit.is_empty() {
                    Vec::new()
                } else {
                    vec![p.unit.clone()]
                },
                title: p.job_title.clone(),
                emails: if p.email.is_empty() {
                    Vec::new()
                } else {
                    vec![p.email.clone()]
                },
                phones,
                note: note_with_insights(&p.notes, &known, lang),
                ..VCard::default()
            }
        })
        .collect()
}
