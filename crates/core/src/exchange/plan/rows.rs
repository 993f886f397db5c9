//! The first pass, the only one that reads the table: every row's text fields, level,
//! function and unit, and the keys for duplicates and matching. A row without problems gets
//! its planned person here; the later passes fill in references and stored values.

use std::borrow::Cow;

use super::keys::{HashMap, email_key};
use super::names::{LadderNames, Names};
use super::planner::{Planner, RowState};
use super::problem::ImportProblem;
use super::text::{TEXT_COLUMNS, field_column, validate_text};
use super::types::{PlanContext, PlannedPerson, PlannedRow, RowAction, UnitRef};
use crate::exchange::mapping::Column;
use crate::exchange::read::TableRow;
use crate::ids::{FunctionId, LevelId, UnitId};
use crate::person::PersonInput;
use crate::text::fold;
use crate::validate::Problem;

/// The longest external id (Personalnummer) accepted, in characters.
pub const MAX_EXTERNAL_ID: usize = 100;

/// The longest unit name accepted, as for the unit form.
pub const MAX_UNIT_NAME: usize = 200;

/// A unit cell's unit.
#[derive(Clone, Copy)]
enum UnitChoice {
    /// A unit the organization has.
    Existing(UnitId),
    /// Index into the candidates for new units.
    New(usize),
}

/// What a unit cell resolves to.
#[derive(Clone, Copy)]
enum UnitPick {
    /// An existing or a new unit.
    Found(UnitChoice),
    /// The folded name fits several active units.
    Ambiguous,
    /// Longer than [`MAX_UNIT_NAME`].
    TooLong,
}

/// Level, function and unit names of the organization, and each distinct cell resolved once.
struct CellLookup<'t> {
    /// Levels by name.
    levels: LadderNames<LevelId>,
    /// Levels by rank.
    ranks: HashMap<i64, LevelId>,
    /// Functions by name.
    functions: LadderNames<FunctionId>,
    /// Functions by key, lowercase.
    function_keys: HashMap<String, FunctionId>,
    /// Active units by folded name.
    units: Names<UnitId>,
    /// Level cells resolved so far.
    level_cache: HashMap<&'t str, Option<LevelId>>,
    /// Function cells resolved so far.
    function_cache: HashMap<&'t str, Option<FunctionId>>,
    /// Unit cells resolved so far.
    unit_cache: HashMap<&'t str, UnitPick>,
    /// Each new unit's key (its folded name) and index into the candidates for new units.
    new_unit_keys: HashMap<String, usize>,
}

impl<'t> CellLookup<'t> {
    /// The names of the ladder, the functions and the active units of `ctx`.
    fn new(ctx: &PlanContext<'_>) -> Self {
        let mut units = Names::new();
        for unit in ctx.units.iter().filter(|u| u.active) {
            units.add_folded(fold(&unit.name), unit.id);
        }
        Self {
            levels: LadderNames::new(
                ctx.levels
                    .iter()
                    .map(|l| (l.id, [l.name_de.as_str(), l.name_en.as_str()])),
            ),
            ranks: ctx.levels.iter().map(|l| (l.rank, l.id)).collect(),
            functions: LadderNames::new(
                ctx.functions
                    .iter()
                    .map(|f| (f.id, [f.name_de.as_str(), f.name_en.as_str()])),
            ),
            function_keys: ctx
                .functions
                .iter()
                .map(|f| (f.key.trim().to_lowercase(), f.id))
                .collect(),
            units,
            level_cache: HashMap::default(),
            function_cache: HashMap::default(),
            unit_cache: HashMap::default(),
            new_unit_keys: HashMap::default(),
        }
    }

    /// The level of a cell: a rank number, or a name.
    fn level(&mut self, cell: &'t str) -> Option<LevelId> {
        let (ranks, levels) = (&self.ranks, &self.levels);
        *self
            .level_cache
            .entry(cell)
            .or_insert_with(|| match cell.parse() {
                Ok(rank) => ranks.get(&rank).copied(),
                Err(_) => levels.find(cell),
            })
    }

    /// The function of a cell: a key, or a name.
    fn function(&mut self, cell: &'t str) -> Option<FunctionId> {
        let (keys, functions) = (&self.function_keys, &self.functions);
        *self.function_cache.entry(cell).or_insert_with(|| {
            keys.get(&cell.to_lowercase())
                .copied()
                .or_else(|| functions.find(cell))
        })
    }

    /// The unit of a cell: an active unit by folded name, else a new one, added to
    /// `new_units` on its first spelling.
    fn unit(&mut self, cell: &'t str, new_units: &mut Vec<&'t str>) -> UnitPick {
        let (units, new_unit_keys) = (&self.units, &mut self.new_unit_keys);
        *self.unit_cache.entry(cell).or_insert_with(|| {
            if cell.chars().count() > MAX_UNIT_NAME {
                return UnitPick::TooLong;
            }
            let folded = fold(cell);
            match units.get(&folded) {
                Some(Some(id)) => UnitPick::Found(UnitChoice::Existing(id)),
                Some(None) => UnitPick::Ambiguous,
                None => {
                    // A name that folds to nothing ("---") is still a name.
                    let key = if folded.is_empty() {
                        cell.to_owned()
                    } else {
                        folded
                    };
                    let next = new_units.len();
                    let i = *new_unit_keys.entry(key).or_insert(next);
                    if i == next {
                        new_units.push(cell);
                    }
                    UnitPick::Found(UnitChoice::New(i))
                }
            }
        })
    }
}

impl<'t> Planner<'t, '_> {
    /// First pass, the only one that reads the table: text fields, level, function, unit,
    /// and the keys for duplicates and matching.
    pub(super) fn validate_rows(&mut self) {
        let mut lookup = CellLookup::new(self.ctx);
        let table = self.table;
        for row in &table.rows {
            let cols = &self.cols;
            let mut state = RowState {
                number: row.number,
                manager_cell: cols.cell(row, Column::Manager),
                assistant_cell: cols.cell(row, Column::AssistantOf),
                ..RowState::default()
            };
            let input = self.validate_text(row, &mut state.problems);
            let level_id = self.check_level(row, &mut lookup, &mut state.problems);
            let function_id = self.check_function(row, &mut lookup, &mut state.problems);
            let unit = self.check_unit(row, &mut lookup, &mut state.problems);
            self.index_keys(row, &mut state);
            if let (Some(input), true) = (input, state.problems.is_empty()) {
                let person = PlannedPerson {
                    level_id,
                    function_id,
                    ..planned_person(input)
                };
                self.add_candidate(&mut state, person, unit);
            }
            self.rows.push(state);
        }
    }

    /// Validates the text columns like the person form does.
    fn validate_text(
        &self,
        row: &TableRow,
        problems: &mut Vec<(Option<usize>, ImportProblem)>,
    ) -> Option<PersonInput> {
        let cols = &self.cols;
        let cells = TEXT_COLUMNS.map(|column| cols.cell(row, column));
        match validate_text(cells) {
            Ok(input) => Some(input),
            Err(errors) => {
                for error in errors.0 {
                    let Some(column) = field_column(error.field) else {
                        continue;
                    };
                    let problem = match error.problem {
                        // Reported once for the whole file instead of on every row.
                        Problem::Required if !cols.has(column) => continue,
                        Problem::Required => ImportProblem::MissingName,
                        problem => ImportProblem::Invalid(problem),
                    };
                    problems.push((cols.get(column), problem));
                }
                None
            }
        }
    }

    /// The level cell: `None` when empty, or unknown (a problem).
    fn check_level(
        &self,
        row: &'t TableRow,
        lookup: &mut CellLookup<'t>,
        problems: &mut Vec<(Option<usize>, ImportProblem)>,
    ) -> Option<LevelId> {
        let level = self.cols.cell(row, Column::Level);
        if level.is_empty() {
            return None;
        }
        let found = lookup.level(level);
        if found.is_none() {
            problems.push((
                self.cols.get(Column::Level),
                ImportProblem::UnknownLevel {
                    value: level.to_owned(),
                },
            ));
        }
        found
    }

    /// The function cell: `None` when empty, or unknown (a problem).
    fn check_function(
        &self,
        row: &'t TableRow,
        lookup: &mut CellLookup<'t>,
        problems: &mut Vec<(Option<usize>, ImportProblem)>,
    ) -> Option<FunctionId> {
        let function = self.cols.cell(row, Column::Function);
        if function.is_empty() {
            return None;
        }
        let found = lookup.function(function);
        if found.is_none() {
            problems.push((
                self.cols.get(Column::Function),
                ImportProblem::UnknownFunction {
                    value: function.to_owned(),
                },
            ));
        }
        found
    }

    /// The unit cell: `None` when empty, ambiguous or too long (the last two are problems).
    fn check_unit(
        &mut self,
        row: &'t TableRow,
        lookup: &mut CellLookup<'t>,
        problems: &mut Vec<(Option<usize>, ImportProblem)>,
    ) -> Option<UnitChoice> {
        let unit = self.cols.cell(row, Column::Unit);
        if unit.is_empty() {
            return None;
        }
        let column = self.cols.get(Column::Unit);
        match lookup.unit(unit, &mut self.unit_candidates) {
            UnitPick::Ambiguous => problems.push((
                column,
                ImportProblem::UnitAmbiguous {
                    value: unit.to_owned(),
                },
            )),
            UnitPick::TooLong => problems.push((
                column,
                ImportProblem::Invalid(Problem::TooLong { max: MAX_UNIT_NAME }),
            )),
            UnitPick::Found(choice) => return Some(choice),
        }
        None
    }

    /// External id (with its length) and e-mail key of a row, into the file's key indices.
    fn index_keys(&mut self, row: &'t TableRow, state: &mut RowState<'t>) {
        let cols = &self.cols;
        if cols.has(Column::ExternalId) {
            let external = cols.cell(row, Column::ExternalId);
            let external = (!external.is_empty()).then_some(external);
            if external.is_some_and(|ext| ext.chars().count() > MAX_EXTERNAL_ID) {
                state.problems.push((
                    cols.get(Column::ExternalId),
                    ImportProblem::Invalid(Problem::TooLong {
                        max: MAX_EXTERNAL_ID,
                    }),
                ));
            }
            state.external = external;
            self.externals.push(external.map(Cow::Borrowed));
        }
        if cols.has(Column::Email) {
            let email = cols.cell(row, Column::Email);
            self.emails
                .push((!email.is_empty()).then(|| email_key(email)));
        }
    }

    /// The planned row of a row without problems, as a new person for now; a new unit is
    /// noted on the row and numbered at the end.
    fn add_candidate(
        &mut self,
        state: &mut RowState<'t>,
        mut person: PlannedPerson,
        unit: Option<UnitChoice>,
    ) {
        state.slot = Some(self.candidates.len());
        person.unit = match unit {
            Some(UnitChoice::New(candidate)) => {
                state.new_unit = Some(candidate);
                None
            }
            Some(UnitChoice::Existing(id)) => Some(UnitRef::Existing(id)),
            None => None,
        };
        self.candidates.push(PlannedRow {
            row: state.number,
            action: RowAction::Create,
            external_id: state.external.map(str::to_owned),
            reactivate: false,
            person,
        });
    }
}

/// The planned person of a row's validated text fields, without level, function, unit or
/// references.
fn planned_person(input: PersonInput) -> PlannedPerson {
    PlannedPerson {
        given_name: input.given_name,
        family_name: input.family_name,
        academic_title: input.academic_title,
        job_title: input.job_title,
        level_id: None,
        function_id: None,
        unit: None,
        manager: None,
        assistant_of: None,
        email: input.email,
        phone: input.phone,
        mobile: input.mobile,
        notes: input.notes,
    }
}
