//! The plan's types: what it checks a table against ([`PlanContext`], [`ExistingPerson`]) and
//! what it decides ([`ImportPlan`] with its [`PlannedRow`]s and [`PlannedPerson`]s).

use std::str::FromStr;

use serde::Serialize;

use super::problem::RowProblem;
use crate::exchange::mapping::Column;
use crate::ids::{FunctionId, LevelId, PersonId, UnitId};
use crate::ladder::{Function, Level};
use crate::org::Unit;
use crate::person::{Email, PersonFields, PersonInput, Phone};

/// A person of the target organization as the store holds it.
#[derive(Clone, Debug)]
pub struct ExistingPerson {
    /// Their id.
    pub id: PersonId,
    /// Their id in the source system, if an import set one.
    pub external_id: Option<String>,
    /// Current values as text; ids (level, function, unit, manager, assistant-of) as text.
    pub fields: PersonFields,
    /// False once deactivated.
    pub active: bool,
}

/// What the plan checks a table against: the ladder, the functions, and the target
/// organization's units and people.
#[derive(Clone, Copy, Debug)]
pub struct PlanContext<'a> {
    /// Every level of the ladder.
    pub levels: &'a [Level],
    /// Every function.
    pub functions: &'a [Function],
    /// The units of the target organization (inactive ones are never matched).
    pub units: &'a [Unit],
    /// The people of the target organization, active or not.
    pub existing: &'a [ExistingPerson],
}

/// The outcome of planning an import: what would happen, and what is wrong.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ImportPlan {
    /// One entry per row without problems, in file order.
    pub rows: Vec<PlannedRow>,
    /// Names of units to create, in order of first use; [`UnitRef::New`] indexes this.
    pub new_units: Vec<String>,
    /// Every problem, ordered by row, then column. Non-empty means: do not apply.
    pub problems: Vec<RowProblem>,
    /// Rows that create a person.
    pub created: usize,
    /// Rows that change an existing person.
    pub updated: usize,
    /// Rows that match an existing person and change nothing.
    pub unchanged: usize,
}

impl ImportPlan {
    /// True when the plan may be applied: no problems.
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// What a row does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum RowAction {
    /// Insert a new person.
    Create,
    /// Write new values to this existing person.
    Update(PersonId),
    /// This existing person already has these values.
    Unchanged(PersonId),
}

/// One row of the file that can be applied.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PlannedRow {
    /// Row number as a spreadsheet shows it.
    pub row: usize,
    /// Create, update or nothing.
    pub action: RowAction,
    /// The external id to store (for an update without one in the file: the stored one).
    pub external_id: Option<String>,
    /// The matched person is deactivated and comes back with this import: set them active.
    /// Such a row is always an [`RowAction::Update`].
    pub reactivate: bool,
    /// The person's values after the import.
    pub person: PlannedPerson,
}

/// A unit a person goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum UnitRef {
    /// A unit the organization has.
    Existing(UnitId),
    /// The unit at this index of [`ImportPlan::new_units`], created on commit.
    New(usize),
}

/// A person a row points to as manager or boss.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum PersonRef {
    /// A person the organization has (also when a row of the file updates them).
    Existing(PersonId),
    /// The person created by the entry at this index of [`ImportPlan::rows`].
    Row(usize),
}

/// A person's validated values after the import: for an update, the stored value wherever the
/// file has no column.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PlannedPerson {
    /// Given name(s).
    pub given_name: Option<String>,
    /// Family name.
    pub family_name: String,
    /// Academic title.
    pub academic_title: Option<String>,
    /// Job title.
    pub job_title: Option<String>,
    /// Rung on the ladder.
    pub level_id: Option<LevelId>,
    /// Function.
    pub function_id: Option<FunctionId>,
    /// Unit.
    pub unit: Option<UnitRef>,
    /// Manager.
    pub manager: Option<PersonRef>,
    /// The boss this person assists.
    pub assistant_of: Option<PersonRef>,
    /// E-mail address.
    pub email: Option<Email>,
    /// Office phone.
    pub phone: Option<Phone>,
    /// Mobile phone.
    pub mobile: Option<Phone>,
    /// Free notes.
    pub notes: Option<String>,
}

impl PlannedPerson {
    /// The person as form input for the store, once the plan's new units and people exist:
    /// `unit_ids[i]` is the id of `new_units[i]`, `person_ids[j]` the id of the person of
    /// `rows[j]`. `None` when an index is out of range (ids from another plan).
    pub fn to_input(&self, unit_ids: &[UnitId], person_ids: &[PersonId]) -> Option<PersonInput> {
        let unit_id = match self.unit {
            None => None,
            Some(UnitRef::Existing(id)) => Some(id),
            Some(UnitRef::New(i)) => Some(*unit_ids.get(i)?),
        };
        let person = |r: Option<PersonRef>| match r {
            None => Some(None),
            Some(PersonRef::Existing(id)) => Some(Some(id)),
            Some(PersonRef::Row(i)) => person_ids.get(i).copied().map(Some),
        };
        Some(PersonInput {
            given_name: self.given_name.clone(),
            family_name: self.family_name.clone(),
            academic_title: self.academic_title.clone(),
            job_title: self.job_title.clone(),
            level_id: self.level_id,
            function_id: self.function_id,
            unit_id,
            reports_to_id: person(self.manager)?,
            assistant_of_id: person(self.assistant_of)?,
            email: self.email.clone(),
            phone: self.phone.clone(),
            mobile: self.mobile.clone(),
            notes: self.notes.clone(),
        })
    }

    /// Sets one column to the value `who` has stored, read leniently: an unparsable id or
    /// value counts as none. For the columns a file does not have.
    pub(super) fn keep_stored(&mut self, who: &ExistingPerson, column: Column) {
        let f = &who.fields;
        match column {
            Column::ExternalId => {}
            Column::AcademicTitle => self.academic_title = text(&f.academic_title),
            Column::GivenName => self.given_name = text(&f.given_name),
            Column::FamilyName => f.family_name.trim().clone_into(&mut self.family_name),
            Column::JobTitle => self.job_title = text(&f.job_title),
            Column::Level => self.level_id = parse_id(&f.level_id),
            Column::Function => self.function_id = parse_id(&f.function_id),
            Column::Unit => self.unit = parse_id(&f.unit_id).map(UnitRef::Existing),
            Column::Manager => self.manager = parse_id(&f.reports_to_id).map(PersonRef::Existing),
            Column::AssistantOf => {
                self.assistant_of = parse_id(&f.assistant_of_id).map(PersonRef::Existing);
            }
            Column::Email => self.email = Email::parse(&f.email).ok(),
            Column::Phone => self.phone = Phone::parse(&f.phone).ok(),
            Column::Mobile => self.mobile = Phone::parse(&f.mobile).ok(),
            Column::Notes => self.notes = text(&f.notes),
        }
    }

    /// Whether one column already has the value `who` has stored. Compares the text without
    /// copying it: a re-import compares every column of every row.
    pub(super) fn same_as_stored(&self, who: &ExistingPerson, column: Column) -> bool {
        let f = &who.fields;
        let text_is = |mine: Option<&str>, stored: &str| mine.unwrap_or("") == stored.trim();
        match column {
            Column::ExternalId => true,
            Column::AcademicTitle => text_is(self.academic_title.as_deref(), &f.academic_title),
            Column::GivenName => text_is(self.given_name.as_deref(), &f.given_name),
            Column::FamilyName => self.family_name == f.family_name.trim(),
            Column::JobTitle => text_is(self.job_title.as_deref(), &f.job_title),
            Column::Level => self.level_id == parse_id(&f.level_id),
            Column::Function => self.function_id == parse_id(&f.function_id),
            Column::Unit => self.unit == parse_id(&f.unit_id).map(UnitRef::Existing),
            Column::Manager => self.manager == parse_id(&f.reports_to_id).map(PersonRef::Existing),
            Column::AssistantOf => {
                self.assistant_of == parse_id(&f.assistant_of_id).map(PersonRef::Existing)
            }
            Column::Email => text_is(self.email.as_ref().map(Email::as_str), &f.email),
            Column::Phone => text_is(self.phone.as_ref().map(Phone::as_str), &f.phone),
            Column::Mobile => text_is(self.mobile.as_ref().map(Phone::as_str), &f.mobile),
            Column::Notes => text_is(self.notes.as_deref(), &f.notes),
        }
    }
}

/// A stored text value, trimmed; `None` when empty.
fn text(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_owned())
}

/// A stored id (or other value) read leniently: `None` when it does not parse.
pub(super) fn parse_id<T: FromStr>(value: &str) -> Option<T> {
    value.trim().parse().ok()
}
