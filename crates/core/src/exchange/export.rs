//! People as files: a table that imports back unchanged (canonical headers, levels and
//! functions by name, units by name, managers by e-mail) and vCards.

use super::mapping::Column;
use super::read::Table;
use super::read::vcard::{PhoneKind, VCard, VCardPhone};
use crate::user::Language;

/// One person as exported: every value already as text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExportPerson {
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

/// The people as vCards of `organization`.
pub fn people_vcards(people: &[ExportPerson], organization: &str) -> Vec<VCard> {
    people
        .iter()
        .map(|p| {
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
                note: p.notes.clone(),
                ..VCard::default()
            }
        })
        .collect()
}
