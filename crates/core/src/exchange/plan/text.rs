//! The text columns of a row, validated exactly like the person form does.

use crate::exchange::mapping::Column;
use crate::person::{Email, PersonInput, Phone};
use crate::validate::{FieldErrors, Problem, optional_multiline, optional_text, required_text};

/// The columns [`validate_text`] checks, in the order of its cells.
pub(super) const TEXT_COLUMNS: [Column; 8] = [
    Column::GivenName,
    Column::FamilyName,
    Column::AcademicTitle,
    Column::JobTitle,
    Column::Email,
    Column::Phone,
    Column::Mobile,
    Column::Notes,
];

/// The person form's text limits ([`PersonInput::parse`]); a test checks that they agree.
const GIVEN_NAME_MAX: usize = 100;
const FAMILY_NAME_MAX: usize = 100;
const ACADEMIC_TITLE_MAX: usize = 40;
const JOB_TITLE_MAX: usize = 200;
const NOTES_MAX: usize = 4000;

/// Validates the text fields (cells in [`TEXT_COLUMNS`] order) exactly as
/// [`PersonInput::parse`] does, without its intermediate
/// [`PersonFields`](crate::person::PersonFields): building those for a million rows doubled
/// the allocations of a plan. A test checks that both agree.
pub(super) fn validate_text(cells: [&str; 8]) -> Result<PersonInput, FieldErrors> {
    let [given, family, title, job, email, phone, mobile, notes] = cells;
    let mut e = FieldErrors::default();
    let given_name = e.take("given_name", optional_text(given, GIVEN_NAME_MAX));
    let family_name = e.take("family_name", required_text(family, FAMILY_NAME_MAX));
    let academic_title = e.take("academic_title", optional_text(title, ACADEMIC_TITLE_MAX));
    let job_title = e.take("job_title", optional_text(job, JOB_TITLE_MAX));
    let email = e.take("email", optional(email, Email::parse));
    let phone = e.take("phone", optional(phone, Phone::parse));
    let mobile = e.take("mobile", optional(mobile, Phone::parse));
    let notes = e.take("notes", optional_multiline(notes, NOTES_MAX));
    e.into_result(|| PersonInput {
        given_name: given_name.flatten(),
        family_name: family_name.unwrap_or_default(),
        academic_title: academic_title.flatten(),
        job_title: job_title.flatten(),
        level_id: None,
        function_id: None,
        unit_id: None,
        reports_to_id: None,
        assistant_of_id: None,
        email: email.flatten(),
        phone: phone.flatten(),
        mobile: mobile.flatten(),
        notes: notes.flatten(),
    })
}

/// Parses a value that may be empty.
fn optional<T>(
    value: &str,
    parse: impl FnOnce(&str) -> Result<T, Problem>,
) -> Result<Option<T>, Problem> {
    if value.trim().is_empty() {
        Ok(None)
    } else {
        parse(value).map(Some)
    }
}

/// The column of a [`PersonInput::parse`] field.
pub(super) fn field_column(field: &str) -> Option<Column> {
    TEXT_COLUMNS.into_iter().find(|c| c.key() == field)
}
