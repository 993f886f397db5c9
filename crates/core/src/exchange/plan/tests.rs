//! Unit tests of the import plan: every problem, matching, merging, loops.

use super::*;
use crate::exchange::mapping::{Column, detect};
use crate::exchange::read::TableRow;
use crate::ids::{FunctionId, LevelId, OrganizationId, PersonId, UnitId};
use crate::ladder::{DEFAULT_FUNCTIONS, DEFAULT_LEVELS, Function, Level};
use crate::org::{Unit, UnitKind};
use crate::person::{Email, PersonFields, Phone};
use crate::validate::Problem;

struct World {
    levels: Vec<Level>,
    functions: Vec<Function>,
    units: Vec<Unit>,
    existing: Vec<ExistingPerson>,
}

impl World {
    fn new() -> Self {
        let levels = DEFAULT_LEVELS
            .iter()
            .enumerate()
            .map(|(i, (de, en))| Level {
                id: LevelId::new(i as i64 + 1),
                rank: i as i64 + 1,
                name_de: (*de).into(),
                name_en: (*en).into(),
                version: 1,
            })
            .collect();
        let functions = DEFAULT_FUNCTIONS
            .iter()
            .enumerate()
            .map(|(i, (key, de, en, assistant))| Function {
                id: FunctionId::new(i as i64 + 1),
                key: (*key).into(),
                name_de: (*de).into(),
                name_en: (*en).into(),
                is_assistant: *assistant,
                rank: i as i64 + 1,
                version: 1,
            })
            .collect();
        let unit = |id: i64, name: &str, active: bool| Unit {
            id: UnitId::new(id),
            organization_id: OrganizationId::new(1),
            parent_id: None,
            name: name.into(),
            kind: UnitKind::Department,
            active,
            version: 1,
        };
        let units = vec![
            unit(10, "Vertrieb", true),
            unit(11, "Einkauf", true),
            unit(12, "Altbestand", false),
            unit(13, "Technik", true),
            unit(14, "TECHNIK", true),
        ];
        Self {
            levels,
            functions,
            units,
            existing: Vec::new(),
        }
    }

    fn with(mut self, person: ExistingPerson) -> Self {
        self.existing.push(person);
        self
    }

    fn ctx(&self) -> PlanContext<'_> {
        PlanContext {
            levels: &self.levels,
            functions: &self.functions,
            units: &self.units,
            existing: &self.existing,
        }
    }

    fn plan(&self, csv: &str) -> ImportPlan {
        let table = table(csv);
        plan(&table, &detect(&table.headers), &self.ctx())
    }
}

fn table(csv: &str) -> Table {
    crate::exchange::read::read_csv(csv.as_bytes(), &crate::exchange::read::Limits::default())
        .unwrap()
}

fn existing(id: i64, given: &str, family: &str, email: &str) -> ExistingPerson {
    ExistingPerson {
        id: PersonId::new(id),
        external_id: None,
        fields: PersonFields {
            given_name: given.into(),
            family_name: family.into(),
            email: email.into(),
            ..PersonFields::default()
        },
        active: true,
    }
}

/// The problems as (row, column, problem) for compact assertions.
fn problems(plan: &ImportPlan) -> Vec<(usize, Option<&str>, &ImportProblem)> {
    plan.problems
        .iter()
        .map(|p| (p.row, p.column.as_deref(), &p.problem))
        .collect()
}

fn value(v: &str) -> String {
    v.to_owned()
}

#[test]
fn plans_new_people_with_every_column() {
    let world = World::new().with(existing(500, "Berta", "Boss", "boss@x.de"));
    let plan = world.plan(
        "Personalnummer;Titel;Vorname;Nachname;Position;Ebene;Funktionsbereich;Abteilung;\
         Vorgesetzte(r);Assistenz von;E-Mail;Telefon;Mobil;Notizen\n\
         P1;Dr.;Katharina;Schneider;Geschäftsführerin;1;management;Vertrieb;BOSS@x.de;;\
         k.schneider@nordlicht.example;+49 221 123;0171 2345678;Mag Tee\n\
         P2;;Jürgen;Weiß;Assistent;Sachbearbeitung;Assistenz;Key Accounts;Katharina Schneider;\
         Schneider, Dr. Katharina;j.weiss@nordlicht.example;;;\n\
         P3;;Eva;Lang;Einkäuferin;team lead;Einkauf;key accounts;P2;;;;;\n",
    );
    assert_eq!(problems(&plan), []);
    assert_eq!((plan.created, plan.updated, plan.unchanged), (3, 0, 0));
    assert_eq!(plan.new_units, ["Key Accounts"]);
    let [a, b, c] = &plan.rows[..] else {
        panic!("three rows expected")
    };
    assert_eq!((a.row, b.row, c.row), (2, 3, 4));
    assert_eq!(a.action, RowAction::Create);
    assert_eq!(a.external_id.as_deref(), Some("P1"));
    assert_eq!(
        a.person,
        PlannedPerson {
            given_name: Some(value("Katharina")),
            family_name: value("Schneider"),
            academic_title: Some(value("Dr.")),
            job_title: Some(value("Geschäftsführerin")),
            level_id: Some(LevelId::new(1)),
            function_id: Some(FunctionId::new(1)),
            unit: Some(UnitRef::Existing(UnitId::new(10))),
            manager: Some(PersonRef::Existing(PersonId::new(500))),
            assistant_of: None,
            email: Some(Email::parse("k.schneider@nordlicht.example").unwrap()),
            phone: Some(Phone::parse("+49 221 123").unwrap()),
            mobile: Some(Phone::parse("0171 2345678").unwrap()),
            notes: Some(value("Mag Tee")),
        }
    );
    // Level by German name, function by part of "Assistenz/Sekretariat", a new unit, and
    // manager and boss by name (with the title, family name first) among the file's rows.
    assert_eq!(b.person.level_id, Some(LevelId::new(5)));
    assert_eq!(b.person.function_id, Some(FunctionId::new(7)));
    assert_eq!(b.person.unit, Some(UnitRef::New(0)));
    assert_eq!(b.person.manager, Some(PersonRef::Row(0)));
    assert_eq!(b.person.assistant_of, Some(PersonRef::Row(0)));
    // English level name, function by German name, the new unit again (folded), manager by
    // external id.
    assert_eq!(c.person.level_id, Some(LevelId::new(4)));
    assert_eq!(c.person.function_id, Some(FunctionId::new(4)));
    assert_eq!(c.person.unit, Some(UnitRef::New(0)));
    assert_eq!(c.person.manager, Some(PersonRef::Row(1)));

    let unit_ids = [UnitId::new(77)];
    let person_ids = [PersonId::new(1), PersonId::new(2), PersonId::new(3)];
    let input = c.person.to_input(&unit_ids, &person_ids).unwrap();
    assert_eq!(input.unit_id, Some(UnitId::new(77)));
    assert_eq!(input.reports_to_id, Some(PersonId::new(2)));
    assert_eq!(input.family_name, "Lang");
    assert_eq!(c.person.to_input(&[], &person_ids), None);
    assert_eq!(c.person.to_input(&unit_ids, &person_ids[..1]), None);
}

#[test]
fn missing_names_and_invalid_values() {
    let world = World::new();
    let plan = world.plan(
        "Vorname;Nachname;E-Mail;Telefon;Titel\n\
         Eva;;eva@x.de;;\n\
         Jo;Li;not-an-address;12;\n\
         Al;Ok;;;Prof. Dr. Dr. h. c. mult. Emeritus Extraordinarius Maximus\n\
         Bo;Fine;;;\n",
    );
    assert_eq!(
        problems(&plan),
        [
            (2, Some("Nachname"), &ImportProblem::MissingName),
            (
                3,
                Some("E-Mail"),
                &ImportProblem::Invalid(Problem::InvalidEmail)
            ),
            (
                3,
                Some("Telefon"),
                &ImportProblem::Invalid(Problem::InvalidPhone)
            ),
            (
                4,
                Some("Titel"),
                &ImportProblem::Invalid(Problem::TooLong { max: 40 })
            ),
        ]
    );
    assert_eq!(plan.rows.len(), 1);
    assert_eq!(plan.rows[0].row, 5);
    assert!(!plan.is_ok());
}

#[test]
fn no_family_name_column_is_one_problem() {
    let plan = World::new().plan("Vorname;E-Mail\nEva;eva@x.de\nJo;jo@x.de\n");
    assert_eq!(
        problems(&plan),
        [(1, None, &ImportProblem::NoFamilyNameColumn)]
    );
    assert!(plan.rows.is_empty());
}

#[test]
fn unknown_level_function_and_ambiguous_unit() {
    let plan = World::new().plan(
        "Nachname;Ebene;Funktionsbereich;Abteilung\n\
         A;9;sales;Technik\n\
         B;Praktikum;Marketing;Vertrieb\n\
         C;2;hr;Altbestand\n",
    );
    assert_eq!(
        problems(&plan),
        [
            (
                2,
                Some("Ebene"),
                &ImportProblem::UnknownLevel { value: value("9") }
            ),
            (
                2,
                Some("Abteilung"),
                &ImportProblem::UnitAmbiguous {
                    value: value("Technik")
                }
            ),
            (
                3,
                Some("Ebene"),
                &ImportProblem::UnknownLevel {
                    value: value("Praktikum")
                }
            ),
            (
                3,
                Some("Funktionsbereich"),
                &ImportProblem::UnknownFunction {
                    value: value("Marketing")
                }
            ),
        ]
    );
    // An inactive unit is not matched: a new one with that name is planned.
    assert_eq!(plan.new_units, ["Altbestand"]);
    assert_eq!(plan.rows[0].person.unit, Some(UnitRef::New(0)));
}

#[test]
fn managers_not_found_or_ambiguous() {
    let world = World::new()
        .with(existing(1, "Thomas", "Müller", "t1@x.de"))
        .with(existing(2, "Thomas", "Mueller", "t2@x.de"));
    let plan = world.plan(
        "Vorname;Nachname;Vorgesetzter;Assistenz von\n\
         Anna;Berg;Thomas Müller;\n\
         Bernd;Dorn;nobody@x.de;Hans Wurst\n\
         Carl;Ernst;Zoe Zander;Thomas Muller\n\
         Dora;Fink;t1@x.de;Müller, Thomas\n\
         Eva;Gans;;\n\
         Eva;Gans;;\n\
         Fritz;Haas;Eva Gans;\n",
    );
    let nf = |v: &str| ImportProblem::ManagerNotFound { value: value(v) };
    assert_eq!(
        problems(&plan),
        [
            (
                2,
                Some("Vorgesetzter"),
                &ImportProblem::ManagerAmbiguous {
                    value: value("Thomas Müller")
                }
            ),
            (3, Some("Vorgesetzter"), &nf("nobody@x.de")),
            (
                3,
                Some("Assistenz von"),
                &ImportProblem::AssistantOfNotFound {
                    value: value("Hans Wurst")
                }
            ),
            (4, Some("Vorgesetzter"), &nf("Zoe Zander")),
            (
                4,
                Some("Assistenz von"),
                &ImportProblem::AssistantOfAmbiguous {
                    value: value("Thomas Muller")
                }
            ),
            (
                5,
                Some("Assistenz von"),
                &ImportProblem::AssistantOfAmbiguous {
                    value: value("Müller, Thomas")
                }
            ),
            (
                8,
                Some("Vorgesetzter"),
                &ImportProblem::ManagerAmbiguous {
                    value: value("Eva Gans")
                }
            ),
        ]
    );
}

#[test]
fn rows_of_the_file_come_before_existing_people() {
    let world = World::new().with(existing(1, "Eva", "Lang", "eva.alt@x.de"));
    let plan = world.plan("Vorname;Nachname;Vorgesetzte\nJo;Li;Eva Lang\nEva;Lang;\n");
    assert_eq!(problems(&plan), []);
    assert_eq!(plan.rows[0].person.manager, Some(PersonRef::Row(1)));
    // Inactive people are not looked up as managers.
    let mut gone = existing(2, "Kai", "Alt", "kai@x.de");
    gone.active = false;
    let plan = World::new()
        .with(gone)
        .plan("Nachname;Vorgesetzte\nLi;kai@x.de\n");
    assert_eq!(
        problems(&plan)[0].2,
        &ImportProblem::ManagerNotFound {
            value: value("kai@x.de")
        }
    );
}

#[test]
fn loops_in_the_file_are_reported_on_every_row() {
    let plan = World::new().plan(
        "Nachname;E-Mail;Vorgesetzte\n\
         A;a@x.de;b@x.de\n\
         B;b@x.de;c@x.de\n\
         C;c@x.de;a@x.de\n\
         D;d@x.de;a@x.de\n\
         E;e@x.de;E\n",
    );
    let cycle = |row| (row, Some("Vorgesetzte"), &ImportProblem::Cycle);
    assert_eq!(problems(&plan), [cycle(2), cycle(3), cycle(4), cycle(6)]);
    // D reports into the loop but is not part of it. Its manager's row has a problem, so
    // the reference is left out; the plan is refused anyway.
    assert_eq!(plan.rows.len(), 1);
    assert_eq!(plan.rows[0].row, 5);
}

#[test]
fn loops_through_existing_people() {
    // Stored: Boss (1) reports to nobody, Mid (2) reports to Boss.
    let mut mid = existing(2, "M", "Mid", "mid@x.de");
    mid.fields.reports_to_id = "1".into();
    let world = World::new()
        .with(existing(1, "B", "Boss", "boss@x.de"))
        .with(mid);
    // The file puts Boss under Mid without mentioning Mid's manager: Boss → Mid → Boss.
    let plan = world.plan("Nachname;E-Mail;Vorgesetzte\nBoss;boss@x.de;mid@x.de\n");
    assert_eq!(
        problems(&plan),
        [(2, Some("Vorgesetzte"), &ImportProblem::Cycle)]
    );
    // Moving Mid away in the same file resolves it.
    let plan = world.plan(
        "Nachname;E-Mail;Vorgesetzte\n\
         Boss;boss@x.de;mid@x.de\n\
         Mid;mid@x.de;\n",
    );
    assert_eq!(problems(&plan), []);
    assert_eq!(
        plan.rows[0].person.manager,
        Some(PersonRef::Existing(PersonId::new(2)))
    );
    assert_eq!(plan.rows[1].person.manager, None);
    assert_eq!(plan.updated, 2);
}

#[test]
fn assistant_of_self_is_invalid() {
    let plan = World::new().plan("Nachname;E-Mail;Assistenz von\nA;a@x.de;a@x.de\n");
    assert_eq!(
        problems(&plan),
        [(
            2,
            Some("Assistenz von"),
            &ImportProblem::Invalid(Problem::SelfReference)
        )]
    );
}

#[test]
fn duplicates_name_the_first_row() {
    let plan = World::new().plan(
        "Personalnummer;Nachname;E-Mail\n\
         1;A;a@x.de\n\
         2;B;A@X.DE\n\
         1;C;c@x.de\n\
         4;D;\n\
         5;E;\n",
    );
    assert_eq!(
        problems(&plan),
        [
            (
                3,
                Some("E-Mail"),
                &ImportProblem::DuplicateEmail { first_row: 2 }
            ),
            (
                4,
                Some("Personalnummer"),
                &ImportProblem::DuplicateExternalId { first_row: 2 }
            ),
        ]
    );
    assert_eq!(plan.created, 3);
}

#[test]
fn two_rows_for_one_existing_person() {
    let mut known = existing(1, "Eva", "Lang", "eva@x.de");
    known.external_id = Some("P1".into());
    let plan = World::new()
        .with(known)
        .plan("Personalnummer;Nachname;E-Mail\nP1;Lang;lang@x.de\n;Lang;eva@x.de\n");
    assert_eq!(
        problems(&plan),
        [(
            3,
            Some("Personalnummer"),
            &ImportProblem::SamePerson { first_row: 2 }
        )]
    );
}

#[test]
fn external_ids_that_are_too_long() {
    let plan = World::new().plan(&format!("Personalnummer;Nachname\n{};A\n", "9".repeat(101)));
    assert_eq!(
        problems(&plan),
        [(
            2,
            Some("Personalnummer"),
            &ImportProblem::Invalid(Problem::TooLong { max: 100 })
        )]
    );
}

fn stored_world() -> World {
    let mut eva = existing(1, "Eva", "Lang", "Eva.Lang@x.de");
    eva.external_id = Some("P1".into());
    eva.fields.notes = "Mag Kaffee".into();
    eva.fields.level_id = "3".into();
    eva.fields.unit_id = "10".into();
    eva.fields.phone = "0221 1".into();
    let mut jo = existing(2, "Jo", "Li", "jo@x.de");
    jo.fields.reports_to_id = "1".into();
    jo.fields.job_title = "Einkäufer".into();
    World::new().with(eva).with(jo)
}

#[test]
fn reimport_of_the_same_values_is_unchanged() {
    let plan = stored_world().plan(
        "Personalnummer;Vorname;Nachname;E-Mail;Ebene;Abteilung;Vorgesetzte\n\
         P1;Eva;Lang;Eva.Lang@x.de;Abteilungsleitung;vertrieb;\n\
         ;Jo;Li;JO@x.de;;;eva.lang@x.de\n",
    );
    assert_eq!(problems(&plan), []);
    assert_eq!((plan.created, plan.updated, plan.unchanged), (0, 1, 1));
    // Jo's e-mail differs in case only: a change of spelling is an update.
    assert_eq!(plan.rows[1].action, RowAction::Update(PersonId::new(2)));
    assert_eq!(plan.rows[0].action, RowAction::Unchanged(PersonId::new(1)));
    // Columns the file does not have keep their stored values.
    let eva = &plan.rows[0].person;
    assert_eq!(eva.notes.as_deref(), Some("Mag Kaffee"));
    assert_eq!(eva.phone.as_ref().map(Phone::as_str), Some("0221 1"));
    assert_eq!(plan.rows[1].person.job_title.as_deref(), Some("Einkäufer"));
    assert_eq!(
        plan.rows[1].person.manager,
        Some(PersonRef::Existing(PersonId::new(1)))
    );
}

#[test]
fn reimport_updates_and_clears_only_mapped_columns() {
    let plan = stored_world().plan(
        "Personalnummer;Nachname;Telefon;Notizen\n\
         P1;Lang;;Trinkt jetzt Tee\n",
    );
    assert_eq!(problems(&plan), []);
    assert_eq!((plan.created, plan.updated, plan.unchanged), (0, 1, 0));
    let eva = &plan.rows[0].person;
    assert_eq!(eva.notes.as_deref(), Some("Trinkt jetzt Tee"));
    // A mapped, empty cell clears; unmapped columns stay.
    assert_eq!(eva.phone, None);
    assert_eq!(eva.given_name.as_deref(), Some("Eva"));
    assert_eq!(eva.level_id, Some(LevelId::new(3)));
    assert_eq!(eva.unit, Some(UnitRef::Existing(UnitId::new(10))));
    assert_eq!(plan.rows[0].external_id.as_deref(), Some("P1"));
}

#[test]
fn matching_by_external_id_then_email() {
    let world = stored_world();
    // Matched by e-mail: the row brings an external id, Jo has none yet, so Jo gets it.
    let plan = world.plan("Personalnummer;Nachname;E-Mail\nX9;Li;jo@x.de\n");
    assert_eq!(plan.rows[0].action, RowAction::Update(PersonId::new(2)));
    assert_eq!(plan.rows[0].external_id.as_deref(), Some("X9"));
    // Eva has another external id: same address, different person → created.
    let plan = world.plan("Personalnummer;Nachname;E-Mail\nX8;Lang;eva.lang@x.de\n");
    assert_eq!(plan.rows[0].action, RowAction::Create);
    // An empty external id cell never clears the stored one.
    let plan = world.plan("Personalnummer;Vorname;Nachname;E-Mail\n;Eva;Lang;eva.lang@x.de\n");
    assert_eq!(plan.rows[0].external_id.as_deref(), Some("P1"));
    assert_eq!(plan.unchanged, 0, "e-mail spelling differs");
}

#[test]
fn deactivated_people_come_back() {
    let mut gone = existing(7, "Kai", "Alt", "kai@x.de");
    gone.active = false;
    let plan = World::new()
        .with(gone)
        .plan("Vorname;Nachname;E-Mail\nKai;Alt;kai@x.de\n");
    assert_eq!(plan.rows[0].action, RowAction::Update(PersonId::new(7)));
    assert!(plan.rows[0].reactivate);
    assert_eq!(plan.updated, 1);
}

#[test]
fn ragged_hand_built_tables_do_not_panic() {
    let t = Table {
        headers: vec!["Nachname".into(), "E-Mail".into(), "Vorgesetzte".into()],
        header_row: 1,
        rows: vec![
            TableRow::from_cells(2, ["A"]),
            TableRow::from_cells(3, [""; 0]),
        ],
    };
    let mut mapping = detect(&t.headers);
    mapping.set(7, Some(Column::Notes));
    let plan = plan(&t, &mapping, &World::new().ctx());
    assert_eq!(plan.created, 1);
    assert_eq!(
        problems(&plan),
        [(3, Some("Nachname"), &ImportProblem::MissingName)]
    );
}

mod text_rules {
    use super::super::text::{TEXT_COLUMNS, validate_text};
    use crate::person::{PersonFields, PersonInput};
    use proptest::prelude::*;

    /// Values near every limit, valid and invalid e-mails and phones.
    fn value() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(String::new()),
            Just(" ".to_owned()),
            "[a-zäß .@+0-9]{0,12}",
            (1usize..4200).prop_map(|n| "ä".repeat(n)),
            prop::sample::select(vec![
                "a@b.de",
                " A@B.DE ",
                "a@b",
                "+49 221 1",
                "12",
                "0171 2345678",
            ])
            .prop_map(str::to_owned),
        ]
    }

    proptest! {
        /// The planner's fast validation and the person form's agree on every input.
        #[test]
        fn planner_validates_like_the_person_form(cells in prop::array::uniform8(value())) {
            let [given, family, title, job, email, phone, mobile, notes] = cells.clone();
            let fields = PersonFields {
                given_name: given,
                family_name: family,
                academic_title: title,
                job_title: job,
                email,
                phone,
                mobile,
                notes,
                ..PersonFields::default()
            };
            let cells = cells.each_ref().map(String::as_str);
            prop_assert_eq!(validate_text(cells), PersonInput::parse(&fields));
        }
    }

    #[test]
    fn text_columns_are_the_form_fields() {
        let keys = TEXT_COLUMNS.map(|c| c.key());
        assert_eq!(
            keys,
            [
                "given_name",
                "family_name",
                "academic_title",
                "job_title",
                "email",
                "phone",
                "mobile",
                "notes"
            ]
        );
    }
}
