//! The import plan: validates a [`Table`] against what the database holds and decides per
//! row whether it creates a person, updates one or leaves one unchanged. Pure: the store
//! passes in what it read and applies the result (see [`crate::exchange`]).
//!
//! Rules, in the order they are applied:
//!
//! - Text columns are validated exactly like the person form ([`PersonInput::parse`]); the
//!   family name is required. An external id has at most [`MAX_EXTERNAL_ID`] characters.
//! - Level: rank number ("3"), or the German or English name, or one part of a name with a
//!   slash ("Geschäftsführung" for "Vorstand/Geschäftsführung"); compared folded
//!   ([`crate::text::fold`]: case, umlauts and ß do not matter). Function: key or either
//!   name, the same way. Unit: an active unit of the organization by folded name, otherwise
//!   a new unit listed in [`ImportPlan::new_units`].
//! - Duplicates within the file: a later row with the same e-mail (case-insensitive) or the
//!   same external id is a problem naming the first row.
//! - Matching existing people: by external id when that column is mapped and the cell is not
//!   empty; otherwise (or when no one has that id) by e-mail, case-insensitive, but never to a
//!   person who has a different external id. Deactivated people match too and are
//!   reactivated, because a person is one record for life.
//! - Manager and assistant-of: by e-mail (when the value has an `@`), by external id, or by
//!   name ("Given Family", "Family, Given", with or without academic title; a family name
//!   alone for people without given name). First among the rows of the file, then among the
//!   active existing people; a name that fits several is ambiguous.
//! - Reports-to loops in the final state (file rows plus existing people) are a problem on
//!   every row in the loop.
//! - An update keeps the stored value of every column the mapping leaves out; a mapped column
//!   with an empty cell clears the value, except the external id, which an empty cell never
//!   clears (it links the next import). A row is unchanged when every mapped column equals
//!   the stored value and the person is active.
//!
//! A row with any problem gets no [`PlannedRow`]; the plan is only applied when
//! [`ImportPlan::problems`] is empty.
//!
//! Planning a million rows takes about 1.5 s of CPU (see `benches/exchange.rs`). What made
//! it that fast: the table is read once (its cells are scattered over the heap), the file's
//! e-mails and external ids are sorted (hash, row) pairs instead of million-entry hash tables
//! (every insert was a cache miss), existing people are matched by merging sorted indices,
//! and level, function, unit and manager cells are resolved once per distinct value.

mod problem;

use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::hash::BuildHasher;
use std::str::FromStr;

use serde::Serialize;

pub use self::problem::{ImportProblem, RowProblem};
use super::mapping::{Column, Mapping};
use super::read::{Table, TableRow};
use crate::ids::{FunctionId, LevelId, PersonId, UnitId};
use crate::ladder::{Function, Level};
use crate::org::Unit;
use crate::person::{Email, PersonFields, PersonInput, Phone};
use crate::text::fold;
use crate::validate::{FieldErrors, Problem, optional_multiline, optional_text, required_text};

/// The hash maps of a plan. foldhash rather than std's SipHash: hashing cells was a good part
/// of planning a million rows, and foldhash's random seed still keeps a crafted file from
/// forcing collisions.
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// An empty map with room for `capacity` entries.
fn map_with<K, V>(capacity: usize) -> HashMap<K, V> {
    HashMap::with_capacity_and_hasher(capacity, foldhash::fast::RandomState::default())
}

/// The longest external id (Personalnummer) accepted, in characters.
pub const MAX_EXTERNAL_ID: usize = 100;

/// The longest unit name accepted, as for the unit form.
pub const MAX_UNIT_NAME: usize = 200;

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

/// The outcome of [`plan`]: what would happen, and what is wrong.
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
    fn keep_stored(&mut self, who: &ExistingPerson, column: Column) {
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
    fn same_as_stored(&self, who: &ExistingPerson, column: Column) -> bool {
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

fn text(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_owned())
}

fn parse_id<T: FromStr>(value: &str) -> Option<T> {
    value.trim().parse().ok()
}

/// Plans the import of `table` into the organization described by `ctx`. Never fails: every
/// problem is listed in the plan. See the module documentation for the rules.
pub fn plan(table: &Table, mapping: &Mapping, ctx: &PlanContext<'_>) -> ImportPlan {
    Planner::new(table, mapping, ctx).run()
}

/// Header index of each column, the first one where a mapping has a column twice.
struct Cols([Option<usize>; Column::ALL.len()]);

impl Cols {
    fn new(mapping: &Mapping) -> Self {
        let mut index = [None; Column::ALL.len()];
        for (i, column) in mapping.mapped() {
            index[column as usize].get_or_insert(i);
        }
        Self(index)
    }

    fn get(&self, column: Column) -> Option<usize> {
        self.0[column as usize]
    }

    fn has(&self, column: Column) -> bool {
        self.get(column).is_some()
    }

    fn cell<'t>(&self, row: &'t TableRow, column: Column) -> &'t str {
        self.get(column).map_or("", |i| trim(row.get(i)))
    }
}

/// A folded-name index where a name given to two different things is ambiguous.
struct Names<T>(HashMap<String, Option<T>>);

impl<T: Copy + PartialEq> Names<T> {
    fn new() -> Self {
        Self(HashMap::default())
    }

    fn add_folded(&mut self, key: String, value: T) {
        if key.is_empty() {
            return;
        }
        match self.0.entry(key) {
            Entry::Vacant(slot) => {
                slot.insert(Some(value));
            }
            Entry::Occupied(mut slot) => {
                if *slot.get() != Some(value) {
                    slot.insert(None);
                }
            }
        }
    }

    /// `None`: unknown; `Some(None)`: ambiguous; `Some(Some(v))`: found.
    fn get(&self, key: &str) -> Option<Option<T>> {
        self.0.get(key).copied()
    }
}

/// Names of levels or functions: whole names win over the parts of a name with a slash.
struct LadderNames<T> {
    whole: Names<T>,
    parts: Names<T>,
}

impl<T: Copy + PartialEq> LadderNames<T> {
    fn new<'n>(entries: impl Iterator<Item = (T, [&'n str; 2])>) -> Self {
        let mut names = Self {
            whole: Names::new(),
            parts: Names::new(),
        };
        for (value, pair) in entries {
            for name in pair {
                names.whole.add_folded(fold(name), value);
                if name.contains('/') {
                    for part in name.split('/') {
                        names.parts.add_folded(fold(part), value);
                    }
                }
            }
        }
        names
    }

    fn find(&self, value: &str) -> Option<T> {
        let key = fold(value);
        match self.whole.get(&key) {
            Some(found) => found,
            None => self.parts.get(&key).flatten(),
        }
    }
}

/// A unit cell's unit.
#[derive(Clone, Copy)]
enum UnitChoice {
    Existing(UnitId),
    /// Index into the candidates for new units.
    New(usize),
}

/// What a unit cell resolves to.
#[derive(Clone, Copy)]
enum UnitPick {
    Found(UnitChoice),
    Ambiguous,
    TooLong,
}

/// One of two kinds of lookup hit where a second, different hit makes it ambiguous.
#[derive(Clone, Copy, PartialEq)]
enum Hit {
    One(usize),
    Many,
}

fn add_hit(map: &mut HashMap<String, Hit>, key: String, index: usize) {
    if key.is_empty() {
        return;
    }
    map.entry(key)
        .and_modify(|hit| {
            if *hit != Hit::One(index) {
                *hit = Hit::Many;
            }
        })
        .or_insert(Hit::One(index));
}

/// Someone a manager or assistant-of cell points to.
#[derive(Clone, Copy, PartialEq)]
enum Target {
    /// A row of the file (by index into the table's rows).
    Row(usize),
    /// An existing person (by index into `ctx.existing`).
    Existing(usize),
}

#[derive(Clone, Copy)]
enum Resolution {
    Found(Target),
    NotFound,
    Ambiguous,
}

/// Lookup keys of a person's name: "given family" (or "family" alone without given name)
/// and, with an academic title, "title given family"; all folded.
fn name_keys(title: &str, given: &str, family: &str) -> [Option<String>; 2] {
    if family.is_empty() {
        return [None, None];
    }
    let plain = if given.is_empty() {
        fold(family)
    } else {
        fold(&format!("{given} {family}"))
    };
    let titled = (!title.is_empty()).then(|| fold(&format!("{title} {given} {family}")));
    [Some(plain), titled]
}

/// The lookup key of a name as written in a manager cell: "Family, Given" is turned around.
fn value_key(value: &str) -> String {
    match value.split_once(',') {
        Some((family, given)) => fold(&format!("{} {}", given.trim(), family.trim())),
        None => fold(value),
    }
}

/// An index of one key column of the file (external id or e-mail key): each row's key, and
/// (hash, row) pairs sorted once all rows are in. A million random inserts into a hash table
/// cost more than all other checks of a row (each is a cache and TLB miss); pushing pairs and
/// sorting them once is sequential, and the sort finds the duplicates on the way.
struct KeyIndex<'t> {
    hasher: foldhash::fast::RandomState,
    /// The key of every row, by row index; empty when the column is not mapped.
    keys: Vec<Option<Cow<'t, str>>>,
    /// (hash of the key, row index), sorted by [`KeyIndex::seal`].
    sorted: Vec<(u64, usize)>,
}

impl<'t> KeyIndex<'t> {
    /// An empty index. Indices that are joined must share the hasher.
    fn new(capacity: usize, hasher: foldhash::fast::RandomState) -> Self {
        Self {
            hasher,
            keys: Vec::with_capacity(capacity),
            sorted: Vec::with_capacity(capacity),
        }
    }

    /// Adds the key of the next row.
    fn push(&mut self, key: Option<Cow<'t, str>>) {
        if let Some(key) = &key {
            let hash = self.hasher.hash_one::<&str>(key);
            self.sorted.push((hash, self.keys.len()));
        }
        self.keys.push(key);
    }

    fn key(&self, row: usize) -> Option<&str> {
        self.keys.get(row)?.as_deref()
    }

    /// Sorts the index once every row is in; needed before any lookup.
    fn seal(&mut self) {
        self.sorted.sort_unstable();
    }

    /// `(row, first row with the same key)` for every row whose key an earlier row has.
    fn duplicates(&self) -> Vec<(usize, usize)> {
        let mut duplicates = Vec::new();
        for group in self.sorted.chunk_by(|a, b| a.0 == b.0) {
            for (i, &(_, row)) in group.iter().enumerate().skip(1) {
                let key = self.key(row);
                // Equal hashes almost always mean equal keys; compare to be sure.
                if let Some(&(_, first)) = group[..i].iter().find(|e| self.key(e.1) == key) {
                    duplicates.push((row, first));
                }
            }
        }
        duplicates
    }

    /// The rows with this key, in order.
    fn candidates<'a>(&'a self, key: &'a str) -> impl Iterator<Item = usize> + 'a {
        let hash = self.hasher.hash_one(key);
        let from = self.sorted.partition_point(|e| e.0 < hash);
        self.sorted[from..]
            .iter()
            .take_while(move |e| e.0 == hash)
            .map(|e| e.1)
            .filter(move |&row| self.key(row) == Some(key))
    }

    /// The first row with this key.
    fn get(&self, key: &str) -> Option<usize> {
        self.candidates(key).next()
    }

    /// For each of this index's rows, the entry of `other` with the same key that `choose`
    /// picks from all of them (in order). A merge of the two sorted indices: a million
    /// lookups into another million-entry index would each miss the cache.
    fn join(
        &self,
        other: &KeyIndex<'_>,
        mut choose: impl FnMut(&mut dyn Iterator<Item = usize>) -> Option<usize>,
    ) -> Vec<Option<usize>> {
        let mut found = vec![None; self.keys.len()];
        let (mine, theirs) = (&self.sorted, &other.sorted);
        let (mut i, mut j) = (0, 0);
        while i < mine.len() && j < theirs.len() {
            let hash = mine[i].0;
            match hash.cmp(&theirs[j].0) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    let i_end = i + mine[i..].iter().take_while(|e| e.0 == hash).count();
                    let j_end = j + theirs[j..].iter().take_while(|e| e.0 == hash).count();
                    for &(_, row) in &mine[i..i_end] {
                        let key = self.key(row);
                        let mut same = theirs[j..j_end]
                            .iter()
                            .map(|e| e.1)
                            .filter(|&x| other.key(x) == key);
                        found[row] = choose(&mut same);
                    }
                    (i, j) = (i_end, j_end);
                }
            }
        }
        found
    }
}

/// The first active person among `candidates`, else the first one.
fn prefer_active(
    existing: &[ExistingPerson],
    candidates: &mut dyn Iterator<Item = usize>,
) -> Option<usize> {
    let mut first = None;
    for i in candidates {
        if existing[i].active {
            return Some(i);
        }
        first.get_or_insert(i);
    }
    first
}

/// For each existing person, the index of their stored manager in `existing`: a merge of
/// sorted ids, for the same reason as [`KeyIndex::join`].
fn stored_managers(existing: &[ExistingPerson]) -> Vec<Option<usize>> {
    let mut ids: Vec<(PersonId, usize)> = existing.iter().map(|p| p.id).zip(0..).collect();
    ids.sort_unstable();
    let mut wanted: Vec<(PersonId, usize)> = existing
        .iter()
        .enumerate()
        .filter_map(|(i, p)| Some((parse_id(&p.fields.reports_to_id)?, i)))
        .collect();
    wanted.sort_unstable();
    let mut managers = vec![None; existing.len()];
    let mut j = 0;
    for (id, child) in wanted {
        while j < ids.len() && ids[j].0 < id {
            j += 1;
        }
        if let Some(&(found, manager)) = ids.get(j)
            && found == id
        {
            managers[child] = Some(manager);
        }
    }
    managers
}

/// A row while it is being planned. It keeps the few cells later passes need, so that the
/// table is read once: its cells are scattered over the heap, and reading a million rows
/// again costs more than everything else a pass does.
#[derive(Default)]
struct RowState<'t> {
    /// Row number as a spreadsheet shows it.
    number: usize,
    /// The external id cell, if not empty.
    external: Option<&'t str>,
    /// The manager cell.
    manager_cell: &'t str,
    /// The assistant-of cell.
    assistant_cell: &'t str,
    problems: Vec<(Option<usize>, ImportProblem)>,
    /// Index into `Planner::candidates` of the row's planned person; `None` when the first
    /// pass found a problem.
    slot: Option<usize>,
    /// A new unit (index into `Planner::unit_candidates`), numbered in `new_units` at the end.
    new_unit: Option<usize>,
    manager: Option<Target>,
    assistant: Option<Target>,
    /// Index into `ctx.existing` of the person this row updates.
    matched: Option<usize>,
    /// An earlier row has the same e-mail or external id.
    duplicate: bool,
}

struct Planner<'t, 'c> {
    table: &'t Table,
    cols: Cols,
    ctx: &'c PlanContext<'c>,
    rows: Vec<RowState<'t>>,
    /// Row index that updates each existing person.
    matched_by: Vec<Option<usize>>,
    // File indices, first row wins.
    emails: KeyIndex<'t>,
    externals: KeyIndex<'t>,
    row_names: Option<HashMap<String, Hit>>,
    // Existing people.
    existing_externals: KeyIndex<'c>,
    existing_emails: KeyIndex<'c>,
    by_name: Option<HashMap<String, Hit>>,
    /// Manager and assistant-of cells resolved so far.
    resolved: HashMap<&'t str, Resolution>,
    /// Candidates for new units: first spelling of each folded name.
    unit_candidates: Vec<&'t str>,
    /// The planned rows of every row that passed the first pass, in file order. Built once
    /// and compacted at the end: a second copy of a million persons cost more than the
    /// checks.
    candidates: Vec<PlannedRow>,
}

impl<'t, 'c> Planner<'t, 'c> {
    fn new(table: &'t Table, mapping: &Mapping, ctx: &'c PlanContext<'c>) -> Self {
        let existing = ctx.existing;
        let hasher = foldhash::fast::RandomState::default();
        let mut existing_externals = KeyIndex::new(existing.len(), hasher);
        let mut existing_emails = KeyIndex::new(existing.len(), hasher);
        for person in existing {
            let external = person.external_id.as_deref().map(str::trim);
            existing_externals.push(external.filter(|x| !x.is_empty()).map(Cow::Borrowed));
            let email = person.fields.email.trim();
            existing_emails.push((!email.is_empty()).then(|| email_key(email)));
        }
        existing_externals.seal();
        existing_emails.seal();
        let cols = Cols::new(mapping);
        let capacity = |column| {
            if cols.has(column) {
                table.rows.len()
            } else {
                0
            }
        };
        Self {
            table,
            rows: Vec::with_capacity(table.rows.len()),
            matched_by: vec![None; existing.len()],
            emails: KeyIndex::new(capacity(Column::Email), hasher),
            externals: KeyIndex::new(capacity(Column::ExternalId), hasher),
            cols,
            ctx,
            row_names: None,
            existing_externals,
            existing_emails,
            by_name: None,
            resolved: HashMap::default(),
            unit_candidates: Vec::new(),
            candidates: Vec::with_capacity(table.rows.len()),
        }
    }

    fn run(mut self) -> ImportPlan {
        self.validate_rows();
        self.mark_duplicates();
        self.match_existing();
        self.resolve_people();
        self.find_cycles();
        self.finish()
    }

    /// First pass, the only one that reads the table: text fields, level, function, unit,
    /// and the keys for duplicates and matching.
    fn validate_rows(&mut self) {
        let ctx = self.ctx;
        let levels = LadderNames::new(
            ctx.levels
                .iter()
                .map(|l| (l.id, [l.name_de.as_str(), l.name_en.as_str()])),
        );
        let ranks: HashMap<i64, LevelId> = ctx.levels.iter().map(|l| (l.rank, l.id)).collect();
        let functions = LadderNames::new(
            ctx.functions
                .iter()
                .map(|f| (f.id, [f.name_de.as_str(), f.name_en.as_str()])),
        );
        let function_keys: HashMap<String, FunctionId> = ctx
            .functions
            .iter()
            .map(|f| (f.key.trim().to_lowercase(), f.id))
            .collect();
        let mut units = Names::new();
        for unit in ctx.units.iter().filter(|u| u.active) {
            units.add_folded(fold(&unit.name), unit.id);
        }
        let mut level_cache: HashMap<&'t str, Option<LevelId>> = HashMap::default();
        let mut function_cache: HashMap<&'t str, Option<FunctionId>> = HashMap::default();
        let mut unit_cache: HashMap<&'t str, UnitPick> = HashMap::default();
        let mut new_unit_keys: HashMap<String, usize> = HashMap::default();

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
            let (mut level_id, mut function_id, mut unit_choice) = (None, None, None);

            let level = cols.cell(row, Column::Level);
            if !level.is_empty() {
                let found = *level_cache
                    .entry(level)
                    .or_insert_with(|| match level.parse() {
                        Ok(rank) => ranks.get(&rank).copied(),
                        Err(_) => levels.find(level),
                    });
                level_id = found;
                if found.is_none() {
                    state.problems.push((
                        cols.get(Column::Level),
                        ImportProblem::UnknownLevel {
                            value: level.to_owned(),
                        },
                    ));
                }
            }

            let function = cols.cell(row, Column::Function);
            if !function.is_empty() {
                let found = *function_cache.entry(function).or_insert_with(|| {
                    function_keys
                        .get(&function.to_lowercase())
                        .copied()
                        .or_else(|| functions.find(function))
                });
                function_id = found;
                if found.is_none() {
                    state.problems.push((
                        cols.get(Column::Function),
                        ImportProblem::UnknownFunction {
                            value: function.to_owned(),
                        },
                    ));
                }
            }

            let unit = cols.cell(row, Column::Unit);
            if !unit.is_empty() {
                let candidates = &mut self.unit_candidates;
                let pick = *unit_cache.entry(unit).or_insert_with(|| {
                    if unit.chars().count() > MAX_UNIT_NAME {
                        return UnitPick::TooLong;
                    }
                    let folded = fold(unit);
                    match units.get(&folded) {
                        Some(Some(id)) => UnitPick::Found(UnitChoice::Existing(id)),
                        Some(None) => UnitPick::Ambiguous,
                        None => {
                            // A name that folds to nothing ("---") is still a name.
                            let key = if folded.is_empty() {
                                unit.to_owned()
                            } else {
                                folded
                            };
                            let next = candidates.len();
                            let i = *new_unit_keys.entry(key).or_insert(next);
                            if i == next {
                                candidates.push(unit);
                            }
                            UnitPick::Found(UnitChoice::New(i))
                        }
                    }
                });
                let column = cols.get(Column::Unit);
                match pick {
                    UnitPick::Ambiguous => state.problems.push((
                        column,
                        ImportProblem::UnitAmbiguous {
                            value: unit.to_owned(),
                        },
                    )),
                    UnitPick::TooLong => state.problems.push((
                        column,
                        ImportProblem::Invalid(Problem::TooLong { max: MAX_UNIT_NAME }),
                    )),
                    UnitPick::Found(choice) => unit_choice = Some(choice),
                }
            }

            self.index_keys(row, &mut state);
            if let (Some(input), true) = (input, state.problems.is_empty()) {
                state.slot = Some(self.candidates.len());
                let unit = match unit_choice {
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
                    person: PlannedPerson {
                        given_name: input.given_name,
                        family_name: input.family_name,
                        academic_title: input.academic_title,
                        job_title: input.job_title,
                        level_id,
                        function_id,
                        unit,
                        manager: None,
                        assistant_of: None,
                        email: input.email,
                        phone: input.phone,
                        mobile: input.mobile,
                        notes: input.notes,
                    },
                });
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

    /// A later row with the e-mail or external id of an earlier one is a problem naming the
    /// first.
    fn mark_duplicates(&mut self) {
        self.externals.seal();
        self.emails.seal();
        let duplicates = [
            (Column::ExternalId, self.externals.duplicates()),
            (Column::Email, self.emails.duplicates()),
        ];
        for (column, pairs) in duplicates {
            for (row, first) in pairs {
                let first_row = self.rows[first].number;
                let problem = match column {
                    Column::Email => ImportProblem::DuplicateEmail { first_row },
                    _ => ImportProblem::DuplicateExternalId { first_row },
                };
                let state = &mut self.rows[row];
                state.duplicate = true;
                state.problems.push((self.cols.get(column), problem));
            }
        }
    }

    /// Which existing person each row updates: by external id, else by e-mail.
    fn match_existing(&mut self) {
        let existing = self.ctx.existing;
        if existing.is_empty() {
            return;
        }
        let problem_column = self
            .cols
            .get(Column::ExternalId)
            .or(self.cols.get(Column::Email));
        let by_external = self
            .externals
            .join(&self.existing_externals, |same| same.next());
        // An active person wins over a deactivated one with the same address.
        let by_email = self
            .emails
            .join(&self.existing_emails, |same| prefer_active(existing, same));
        for index in 0..self.rows.len() {
            let state = &self.rows[index];
            if state.duplicate {
                continue;
            }
            let external = state.external;
            let by_external = by_external.get(index).copied().flatten();
            let matched = by_external.or_else(|| {
                let candidate = by_email.get(index).copied().flatten()?;
                let theirs = existing[candidate]
                    .external_id
                    .as_deref()
                    .is_some_and(|x| !x.trim().is_empty());
                // Someone with another external id is another person who shares the address.
                (external.is_none() || !theirs).then_some(candidate)
            });
            let Some(person) = matched else {
                continue;
            };
            match self.matched_by[person] {
                None => {
                    self.matched_by[person] = Some(index);
                    self.rows[index].matched = Some(person);
                }
                Some(first) => {
                    let first_row = self.rows[first].number;
                    self.rows[index]
                        .problems
                        .push((problem_column, ImportProblem::SamePerson { first_row }));
                }
            }
        }
    }

    /// Second pass: manager and assistant-of, now that every row is known.
    fn resolve_people(&mut self) {
        let (manager_col, assistant_col) = (
            self.cols.get(Column::Manager),
            self.cols.get(Column::AssistantOf),
        );
        if manager_col.is_none() && assistant_col.is_none() {
            return;
        }
        for index in 0..self.rows.len() {
            let manager = self.rows[index].manager_cell;
            if !manager.is_empty() {
                match self.resolve(manager) {
                    Resolution::Found(target) => self.rows[index].manager = Some(target),
                    Resolution::NotFound => self.rows[index].problems.push((
                        manager_col,
                        ImportProblem::ManagerNotFound {
                            value: manager.to_owned(),
                        },
                    )),
                    Resolution::Ambiguous => self.rows[index].problems.push((
                        manager_col,
                        ImportProblem::ManagerAmbiguous {
                            value: manager.to_owned(),
                        },
                    )),
                }
            }
            let assistant = self.rows[index].assistant_cell;
            if !assistant.is_empty() {
                let problem = match self.resolve(assistant) {
                    Resolution::Found(target) if self.node(target) == index => {
                        Some(ImportProblem::Invalid(Problem::SelfReference))
                    }
                    Resolution::Found(target) => {
                        self.rows[index].assistant = Some(target);
                        None
                    }
                    Resolution::NotFound => Some(ImportProblem::AssistantOfNotFound {
                        value: assistant.to_owned(),
                    }),
                    Resolution::Ambiguous => Some(ImportProblem::AssistantOfAmbiguous {
                        value: assistant.to_owned(),
                    }),
                };
                if let Some(problem) = problem {
                    self.rows[index].problems.push((assistant_col, problem));
                }
            }
        }
    }

    /// Finds the person a manager or assistant-of cell names.
    fn resolve(&mut self, value: &'t str) -> Resolution {
        if let Some(&known) = self.resolved.get(value) {
            return known;
        }
        let found = self.lookup(value);
        self.resolved.insert(value, found);
        found
    }

    fn lookup(&mut self, value: &str) -> Resolution {
        let existing = self.ctx.existing;
        let active = |i: usize| existing[i].active;
        if value.contains('@') {
            let email = email_key(value);
            if let Some(row) = self.emails.get(&email) {
                return Resolution::Found(Target::Row(row));
            }
            return match self.existing_emails.candidates(&email).find(|&i| active(i)) {
                Some(i) => Resolution::Found(Target::Existing(i)),
                None => Resolution::NotFound,
            };
        }
        if let Some(row) = self.externals.get(value) {
            return Resolution::Found(Target::Row(row));
        }
        if let Some(i) = self
            .existing_externals
            .candidates(value)
            .find(|&i| active(i))
        {
            return Resolution::Found(Target::Existing(i));
        }
        let key = value_key(value);
        if key.is_empty() {
            return Resolution::NotFound;
        }
        match self.row_names().get(&key) {
            Some(Hit::One(row)) => return Resolution::Found(Target::Row(*row)),
            Some(Hit::Many) => return Resolution::Ambiguous,
            None => {}
        }
        match self.existing_names().get(&key) {
            Some(Hit::One(i)) => Resolution::Found(Target::Existing(*i)),
            Some(Hit::Many) => Resolution::Ambiguous,
            None => Resolution::NotFound,
        }
    }

    /// Name index of the file's rows, built on first use.
    fn row_names(&mut self) -> &HashMap<String, Hit> {
        let (table, cols) = (self.table, &self.cols);
        self.row_names.get_or_insert_with(|| {
            let mut names = map_with(table.rows.len());
            for (i, row) in table.rows.iter().enumerate() {
                let keys = name_keys(
                    cols.cell(row, Column::AcademicTitle),
                    cols.cell(row, Column::GivenName),
                    cols.cell(row, Column::FamilyName),
                );
                for key in keys.into_iter().flatten() {
                    add_hit(&mut names, key, i);
                }
            }
            names
        })
    }

    /// Name index of the active existing people, built on first use.
    fn existing_names(&mut self) -> &HashMap<String, Hit> {
        let existing = self.ctx.existing;
        self.by_name.get_or_insert_with(|| {
            let mut names = HashMap::default();
            for (i, person) in existing.iter().enumerate().filter(|(_, p)| p.active) {
                let f = &person.fields;
                let keys = name_keys(
                    f.academic_title.trim(),
                    f.given_name.trim(),
                    f.family_name.trim(),
                );
                for key in keys.into_iter().flatten() {
                    add_hit(&mut names, key, i);
                }
            }
            names
        })
    }

    /// The node of a target in the final reports-to graph: rows are `0..rows`, existing people
    /// not updated by a row follow; an updated person is their row.
    fn node(&self, target: Target) -> usize {
        match target {
            Target::Row(row) => row,
            Target::Existing(i) => self.matched_by[i].unwrap_or(self.rows.len() + i),
        }
    }

    /// Third pass: marks every row on a reports-to loop of the final state.
    fn find_cycles(&mut self) {
        let n = self.rows.len();
        let existing = self.ctx.existing;
        let manager_mapped = self.cols.has(Column::Manager);
        let managers = stored_managers(existing);
        let stored_parent = |this: &Self, i: usize| {
            let manager = managers[i]?;
            Some(this.node(Target::Existing(manager)))
        };
        let mut parent: Vec<Option<usize>> = Vec::with_capacity(n + existing.len());
        for row in &self.rows {
            parent.push(if manager_mapped {
                row.manager.map(|t| self.node(t))
            } else {
                row.matched.and_then(|i| stored_parent(self, i))
            });
        }
        for i in 0..existing.len() {
            parent.push(stored_parent(self, i));
        }
        // 0 = unvisited, 1 = on the current path, 2 = done.
        let mut state = vec![0u8; parent.len()];
        let mut path = Vec::new();
        let manager_col = self.cols.get(Column::Manager);
        for start in 0..n {
            let mut node = start;
            let loop_start = loop {
                match state[node] {
                    1 => break Some(node),
                    2 => break None,
                    _ => {}
                }
                state[node] = 1;
                path.push(node);
                match parent[node] {
                    Some(next) => node = next,
                    None => break None,
                }
            };
            if let Some(first) = loop_start {
                let at = path.iter().position(|&x| x == first).unwrap_or(path.len());
                for &x in &path[at..] {
                    if x < n {
                        self.rows[x]
                            .problems
                            .push((manager_col, ImportProblem::Cycle));
                    }
                }
            }
            for x in path.drain(..) {
                state[x] = 2;
            }
        }
    }

    /// Last pass: references and new units of the rows without problems, merging with
    /// stored values, counts; then the candidates of rows with problems are dropped.
    fn finish(mut self) -> ImportPlan {
        let existing = self.ctx.existing;
        let mut plan = ImportPlan::default();
        if !self.cols.has(Column::FamilyName) {
            plan.problems.push(RowProblem {
                row: 1,
                column: None,
                problem: ImportProblem::NoFamilyNameColumn,
            });
        }
        // Index into the final `plan.rows` of each row without problems.
        let mut planned: Vec<Option<usize>> = Vec::with_capacity(self.rows.len());
        let mut keep = vec![false; self.candidates.len()];
        let mut next = 0;
        for row in &self.rows {
            let slot = row.slot.filter(|_| row.problems.is_empty());
            if let Some(slot) = slot {
                keep[slot] = true;
            }
            planned.push(slot.map(|_| {
                next += 1;
                next - 1
            }));
        }
        let rows = &self.rows;
        let person_ref = |target: Option<Target>| -> Option<PersonRef> {
            match target? {
                Target::Existing(i) => Some(PersonRef::Existing(existing[i].id)),
                Target::Row(r) => match rows[r].matched {
                    Some(i) => Some(PersonRef::Existing(existing[i].id)),
                    None => planned[r].map(PersonRef::Row),
                },
            }
        };
        let mut new_unit_index: HashMap<usize, usize> = HashMap::default();
        for row in rows {
            let Some(slot) = row.slot.filter(|_| row.problems.is_empty()) else {
                continue;
            };
            let planned_row = &mut self.candidates[slot];
            let person = &mut planned_row.person;
            if let Some(candidate) = row.new_unit {
                let next = plan.new_units.len();
                let i = *new_unit_index.entry(candidate).or_insert(next);
                if i == next {
                    plan.new_units
                        .push(self.unit_candidates[candidate].to_owned());
                }
                person.unit = Some(UnitRef::New(i));
            }
            person.manager = person_ref(row.manager);
            person.assistant_of = person_ref(row.assistant);
            let Some(i) = row.matched else {
                plan.created += 1;
                continue;
            };
            let who = &existing[i];
            let mut same = true;
            for &column in Column::ALL {
                if self.cols.has(column) {
                    same = same && person.same_as_stored(who, column);
                } else {
                    person.keep_stored(who, column);
                }
            }
            let stored_external = who
                .external_id
                .as_deref()
                .map(str::trim)
                .filter(|x| !x.is_empty());
            if planned_row.external_id.is_none() {
                planned_row.external_id = stored_external.map(str::to_owned);
            }
            let same = same && planned_row.external_id.as_deref() == stored_external;
            if same && who.active {
                plan.unchanged += 1;
                planned_row.action = RowAction::Unchanged(who.id);
            } else {
                plan.updated += 1;
                planned_row.action = RowAction::Update(who.id);
                planned_row.reactivate = !who.active;
            }
        }
        let mut index = 0;
        self.candidates.retain(|_| {
            index += 1;
            keep[index - 1]
        });
        plan.rows = self.candidates;
        let mut problems = Vec::new();
        for row in self.rows {
            let number = row.number;
            problems.extend(row.problems.into_iter().map(|(col, p)| (number, col, p)));
        }
        problems.sort_by_key(|&(row, col, _)| (row, col));
        plan.problems
            .extend(problems.into_iter().map(|(row, col, problem)| RowProblem {
                row,
                column: col.and_then(|i| self.table.headers.get(i).cloned()),
                problem,
            }));
        plan.problems.sort_by_key(|p| p.row);
        plan
    }
}

/// The columns [`validate_text`] checks, in the order of its cells.
const TEXT_COLUMNS: [Column; 8] = [
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
/// [`PersonInput::parse`] does, without its intermediate [`PersonFields`]: building those for a
/// million rows doubled the allocations of a plan. A test checks that both agree.
fn validate_text(cells: [&str; 8]) -> Result<PersonInput, FieldErrors> {
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
fn field_column(field: &str) -> Option<Column> {
    TEXT_COLUMNS.into_iter().find(|c| c.key() == field)
}

/// The key an e-mail address is compared by: lowercase. Borrowed when it already is, since
/// most addresses are and a million rows should not mean a million copies.
fn email_key(email: &str) -> Cow<'_, str> {
    if email.is_ascii() && !email.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Borrowed(email)
    } else {
        Cow::Owned(email.to_lowercase())
    }
}

/// `str::trim` with a shortcut for the common case of nothing to trim: cells from the readers
/// are trimmed already, and the planner looks at each one several times.
fn trim(value: &str) -> &str {
    match (value.as_bytes().first(), value.as_bytes().last()) {
        (Some(first), Some(last)) if first.is_ascii_graphic() && last.is_ascii_graphic() => value,
        _ => value.trim(),
    }
}

#[cfg(test)]
mod tests;
