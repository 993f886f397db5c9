//! Integration and property tests of `counterpart_core::exchange`: the fixtures in
//! `tests/data`, the whole pipeline from bytes to plan, write → read round trips, and readers
//! and the planner that never panic, whatever the input.

use std::path::Path;

use counterpart_core::exchange::mapping::{Column, Mapping, detect};
use counterpart_core::exchange::plan::{
    ExistingPerson, ImportPlan, PersonRef, PlanContext, RowAction, UnitRef, plan,
};
use counterpart_core::exchange::read::{
    Limits, ReadError, Table, TableRow, VCard, read_csv, read_vcards, read_xlsx, vcards_to_table,
    vcards_to_table_in, xlsx_sheets,
};
use counterpart_core::exchange::vcard::{PhoneKind, VCardPhone};
use counterpart_core::exchange::write::{write_csv, write_vcards, write_xlsx};
use counterpart_core::ids::{FunctionId, LevelId, OrganizationId, PersonId, UnitId};
use counterpart_core::ladder::{DEFAULT_FUNCTIONS, DEFAULT_LEVELS, Function, Level};
use counterpart_core::org::{Unit, UnitKind};
use counterpart_core::person::PersonFields;
use counterpart_core::user::Language;
use proptest::prelude::*;

fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

/// The ladder, functions and units of a small organization.
struct World {
    levels: Vec<Level>,
    functions: Vec<Function>,
    units: Vec<Unit>,
    existing: Vec<ExistingPerson>,
}

impl World {
    fn new() -> Self {
        Self {
            levels: DEFAULT_LEVELS
                .iter()
                .zip(1..)
                .map(|((de, en), i)| Level {
                    id: LevelId::new(i),
                    rank: i,
                    name_de: (*de).into(),
                    name_en: (*en).into(),
                    version: 1,
                })
                .collect(),
            functions: DEFAULT_FUNCTIONS
                .iter()
                .zip(1..)
                .map(|((key, de, en, assistant), i)| Function {
                    id: FunctionId::new(i),
                    key: (*key).into(),
                    name_de: (*de).into(),
                    name_en: (*en).into(),
                    is_assistant: *assistant,
                    rank: i,
                    version: 1,
                })
                .collect(),
            units: vec![Unit {
                id: UnitId::new(1),
                organization_id: OrganizationId::new(1),
                parent_id: None,
                name: "Einkauf".into(),
                kind: UnitKind::Department,
                active: true,
                version: 1,
            }],
            existing: Vec::new(),
        }
    }

    fn ctx(&self) -> PlanContext<'_> {
        PlanContext {
            levels: &self.levels,
            functions: &self.functions,
            units: &self.units,
            existing: &self.existing,
        }
    }
}

// ---------------------------------------------------------------------------------------
// CSV fixtures and the pipeline

#[test]
fn csv_fixtures_in_three_encodings_read_alike() {
    let utf8 = read_csv(&fixture("exchange-utf8.csv"), &Limits::default()).unwrap();
    let bom = read_csv(&fixture("exchange-utf8-bom.csv"), &Limits::default()).unwrap();
    let cp1252 = read_csv(&fixture("exchange-windows-1252.csv"), &Limits::default()).unwrap();
    assert_eq!(utf8, bom, "UTF-8 with BOM and commas");
    assert_eq!(utf8, cp1252, "Windows-1252 with trailing semicolons");
    assert_eq!(utf8.headers.len(), 12);
    assert_eq!(utf8.headers[7], "Vorgesetzte(r)");
    let numbers: Vec<usize> = utf8.rows.iter().map(|r| r.number).collect();
    assert_eq!(
        numbers,
        [2, 3, 4, 6],
        "the blank row 5 is skipped but counted"
    );
    let weiss = utf8.rows[1].cells(utf8.headers.len());
    assert_eq!(weiss[2..4], ["Jürgen", "Weiß"]);
    assert_eq!(weiss[11], "Sagt \"Moin\"");
    assert_eq!(utf8.rows[0].cells(12)[11], "Entscheidet; braucht Zahlen");
    assert_eq!(utf8.rows[2].cells(12)[2..4], ["Änne", "Öztürk"]);
    assert_eq!(utf8.rows[3].cells(12)[11], "Zwei Zeilen:\nMo–Fr");
}

#[test]
fn csv_fixture_goes_through_mapping_and_plan() {
    let table = read_csv(&fixture("exchange-windows-1252.csv"), &Limits::default()).unwrap();
    let mapping = detect(&table.headers);
    let expected = [
        Column::ExternalId,
        Column::AcademicTitle,
        Column::GivenName,
        Column::FamilyName,
        Column::JobTitle,
        Column::Level,
        Column::Unit,
        Column::Manager,
        Column::Email,
        Column::Phone,
        Column::Mobile,
        Column::Notes,
    ];
    assert_eq!(mapping.columns(), expected.map(Some));
    let world = World::new();
    let plan = plan(&table, &mapping, &world.ctx());
    assert!(plan.is_ok(), "{:?}", plan.problems);
    assert_eq!((plan.created, plan.updated, plan.unchanged), (4, 0, 0));
    assert_eq!(plan.new_units, ["Geschäftsleitung"]);
    let managers: Vec<Option<PersonRef>> = plan.rows.iter().map(|r| r.person.manager).collect();
    assert_eq!(
        managers,
        [
            None,
            Some(PersonRef::Row(0)),
            Some(PersonRef::Row(1)),
            Some(PersonRef::Row(0))
        ]
    );
    let units: Vec<Option<UnitRef>> = plan.rows.iter().map(|r| r.person.unit).collect();
    assert_eq!(
        units,
        [
            Some(UnitRef::New(0)),
            Some(UnitRef::Existing(UnitId::new(1))),
            Some(UnitRef::Existing(UnitId::new(1))),
            Some(UnitRef::New(0))
        ]
    );
    assert_eq!(plan.rows[1].person.level_id, Some(LevelId::new(3)));
}

/// What the store holds after applying a plan: used to check a re-import of an export.
fn stored(plan: &ImportPlan) -> Vec<ExistingPerson> {
    let ids: Vec<PersonId> = (1..=plan.rows.len() as i64).map(PersonId::new).collect();
    let unit_ids: Vec<UnitId> = (100..100 + plan.new_units.len() as i64)
        .map(UnitId::new)
        .collect();
    plan.rows
        .iter()
        .zip(&ids)
        .map(|(row, &id)| {
            let input = row.person.to_input(&unit_ids, &ids).unwrap();
            let text = |v: Option<String>| v.unwrap_or_default();
            let id_text = |v: Option<String>| v.unwrap_or_default();
            ExistingPerson {
                id,
                external_id: row.external_id.clone(),
                fields: PersonFields {
                    given_name: text(input.given_name),
                    family_name: input.family_name,
                    academic_title: text(input.academic_title),
                    job_title: text(input.job_title),
                    level_id: id_text(input.level_id.map(|x| x.to_string())),
                    function_id: id_text(input.function_id.map(|x| x.to_string())),
                    unit_id: id_text(input.unit_id.map(|x| x.to_string())),
                    reports_to_id: id_text(input.reports_to_id.map(|x| x.to_string())),
                    assistant_of_id: id_text(input.assistant_of_id.map(|x| x.to_string())),
                    email: text(input.email.map(|e| e.as_str().to_owned())),
                    phone: text(input.phone.map(|p| p.as_str().to_owned())),
                    mobile: text(input.mobile.map(|p| p.as_str().to_owned())),
                    notes: text(input.notes),
                },
                active: true,
            }
        })
        .collect()
}

#[test]
fn importing_the_same_file_twice_changes_nothing() {
    let table = read_csv(&fixture("exchange-utf8.csv"), &Limits::default()).unwrap();
    let mapping = detect(&table.headers);
    let mut world = World::new();
    let first = plan(&table, &mapping, &world.ctx());
    world.existing = stored(&first);
    for (i, name) in first.new_units.iter().enumerate() {
        world.units.push(Unit {
            id: UnitId::new(100 + i as i64),
            organization_id: OrganizationId::new(1),
            parent_id: None,
            name: name.clone(),
            kind: UnitKind::Other,
            active: true,
            version: 1,
        });
    }
    let again = plan(&table, &mapping, &world.ctx());
    assert!(again.is_ok(), "{:?}", again.problems);
    assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 4));
    assert!(again.new_units.is_empty());
    assert!(
        again
            .rows
            .iter()
            .all(|r| matches!(r.action, RowAction::Unchanged(_)))
    );
}

// ---------------------------------------------------------------------------------------
// XLSX

fn canonical_table(lang: Language) -> Table {
    let headers = Column::ALL
        .iter()
        .map(|c| c.header(lang).to_owned())
        .collect();
    let mut row = vec![String::new(); Column::ALL.len()];
    row[0] = "007".into();
    row[2] = "Jürgen".into();
    row[3] = "Weiß".into();
    row[11] = "+49 221 123".into();
    row[13] = "Größe; \"Maß\"\nzweite Zeile".into();
    let mut other = vec![String::new(); Column::ALL.len()];
    other[3] = "Öztürk".into();
    other[8] = "=1+1".into();
    Table::from_rows(headers, vec![row, other])
}

#[test]
fn xlsx_round_trip_with_two_sheets() {
    let de = canonical_table(Language::De);
    let en = canonical_table(Language::En);
    let bytes = write_xlsx(&[("Personen", &de), ("People", &en)]).unwrap();
    assert_eq!(
        xlsx_sheets(&bytes, &Limits::default()).unwrap(),
        ["Personen", "People"]
    );
    assert_eq!(read_xlsx(&bytes, None, &Limits::default()).unwrap(), de);
    assert_eq!(
        read_xlsx(&bytes, Some("People"), &Limits::default()).unwrap(),
        en
    );
    assert_eq!(
        read_xlsx(&bytes, Some("people"), &Limits::default()).unwrap(),
        en
    );
    assert_eq!(
        read_xlsx(&bytes, Some("Kunden"), &Limits::default()),
        Err(ReadError::UnknownSheet {
            name: "Kunden".into()
        })
    );
    let mapping = detect(&de.headers);
    assert_eq!(mapping.mapped().count(), Column::ALL.len());
}

#[test]
fn csv_round_trip_of_canonical_tables() {
    for lang in [Language::De, Language::En] {
        let table = canonical_table(lang);
        let bytes = write_csv(&table);
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
        assert_eq!(read_csv(&bytes, &Limits::default()).unwrap(), table);
    }
}

/// A sheet as Excel users make them: numbers, dates, booleans, a title row above the header,
/// and an error cell.
fn typed_workbook(with_error: bool) -> Vec<u8> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};
    let mut workbook = Workbook::new();
    let hidden = workbook.add_worksheet();
    hidden.set_name("Versteckt").unwrap();
    hidden.set_hidden(true);
    let sheet = workbook.add_worksheet();
    sheet.set_name("Daten").unwrap();
    // Excel cannot hide the active sheet, which is the first unless told otherwise.
    sheet.set_active(true);
    let date = Format::new().set_num_format("dd.mm.yyyy");
    sheet.write_string(1, 1, "Personalnummer").unwrap();
    sheet.write_string(1, 2, "Nachname").unwrap();
    sheet.write_string(1, 3, "Eintritt").unwrap();
    sheet.write_string(1, 4, "Aktiv").unwrap();
    sheet.write_string(1, 5, "Faktor").unwrap();
    sheet.write_number(2, 1, 4711.0).unwrap();
    sheet.write_string(2, 2, "  Weiß  ").unwrap();
    let day = ExcelDateTime::from_ymd(2024, 2, 29).unwrap();
    sheet.write_datetime_with_format(2, 3, &day, &date).unwrap();
    sheet.write_boolean(2, 4, true).unwrap();
    sheet.write_number(2, 5, 0.1 + 0.2).unwrap();
    sheet.write_number(4, 1, 4712.0).unwrap();
    sheet.write_string(4, 2, "Öztürk").unwrap();
    sheet.write_boolean(4, 4, false).unwrap();
    if with_error {
        sheet
            .write_formula(6, 2, Formula::new("=1/0").set_result("#DIV/0!"))
            .unwrap();
    }
    workbook.save_to_buffer().unwrap()
}

#[test]
fn an_xlsx_title_merged_across_the_columns_stands_above_the_header() {
    use rust_xlsxwriter::{Format, Workbook};
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet
        .merge_range(0, 0, 0, 3, "Organigramm Beispiel AG", &Format::new())
        .unwrap();
    sheet.write_string(1, 0, "Stand: 01.12.2026").unwrap();
    for (col, header) in ["Vorname", "Nachname", "Funktion", "E-Mail Vorgesetzte(r)"]
        .iter()
        .enumerate()
    {
        sheet.write_string(3, col as u16, *header).unwrap();
    }
    for (col, cell) in ["Eva", "Lang", "Leiterin", ""].iter().enumerate() {
        sheet.write_string(4, col as u16, *cell).unwrap();
    }
    let bytes = workbook.save_to_buffer().unwrap();
    let table = read_xlsx(&bytes, None, &Limits::default()).unwrap();
    assert_eq!(table.header_row, 4);
    assert_eq!(table.headers[3], "E-Mail Vorgesetzte(r)");
    assert_eq!(table.rows.len(), 1);
    assert_eq!(table.rows[0].number, 5);
    assert_eq!(table.rows[0].cells(4), ["Eva", "Lang", "Leiterin", ""]);
    let mapping = counterpart_core::exchange::mapping::detect(&table.headers);
    assert_eq!(
        mapping.get(3),
        Some(counterpart_core::exchange::mapping::Column::Manager)
    );
}

#[test]
fn xlsx_cells_print_as_excel_shows_them() {
    let bytes = typed_workbook(false);
    assert_eq!(
        xlsx_sheets(&bytes, &Limits::default()).unwrap(),
        ["Versteckt", "Daten"]
    );
    // The hidden first sheet is skipped by default.
    let table = read_xlsx(&bytes, None, &Limits::default()).unwrap();
    assert_eq!(
        table.headers,
        [
            "",
            "Personalnummer",
            "Nachname",
            "Eintritt",
            "Aktiv",
            "Faktor"
        ]
    );
    assert_eq!(
        table.rows,
        [
            TableRow::from_cells(
                3,
                strings(&["", "4711", "Weiß", "2024-02-29", "true", "0.3"])
            ),
            TableRow::from_cells(5, strings(&["", "4712", "Öztürk", "", "false", ""])),
        ]
    );
}

#[test]
fn xlsx_error_cells_are_named() {
    let err = read_xlsx(&typed_workbook(true), Some("Daten"), &Limits::default()).unwrap_err();
    assert_eq!(
        err,
        ReadError::CellError {
            cell: "C7".into(),
            value: "#DIV/0!".into()
        }
    );
    assert_eq!(
        err.to_string(),
        "Cell C7 holds the Excel error #DIV/0!. Correct it in Excel and save again."
    );
}

#[test]
fn xlsx_keeps_text_that_looks_like_an_xml_escape() {
    let table = Table::from_rows(
        strings(&["_x0041_", "Tab\tund\rCR"]),
        vec![strings(&["a_x000D_b", "_x005F_x0041_"])],
    );
    let bytes = write_xlsx(&[("Blatt", &table)]).unwrap();
    assert_eq!(read_xlsx(&bytes, None, &Limits::default()).unwrap(), table);
}

#[test]
fn xlsx_cells_right_of_the_header_are_refused() {
    let table = Table {
        headers: strings(&["Nachname"]),
        header_row: 1,
        rows: vec![TableRow::from_cells(
            2,
            strings(&["Weiß", "", "Notiz ohne Spalte"]),
        )],
    };
    let bytes = write_xlsx(&[("Blatt", &table)]).unwrap();
    assert_eq!(
        read_xlsx(&bytes, None, &Limits::default()),
        Err(ReadError::ExtraCell {
            row: 2,
            column: "C".into(),
            last: "A".into()
        })
    );
}

// ---------------------------------------------------------------------------------------
// vCards

#[test]
fn vcard_3_fixture() {
    let cards = read_vcards(&fixture("exchange-contacts-3.0.vcf"), &Limits::default()).unwrap();
    assert_eq!(cards.len(), 2);
    let k = &cards[0];
    assert_eq!(
        (
            k.family_name.as_str(),
            k.given_name.as_str(),
            k.honorific_prefix.as_str()
        ),
        ("Schneider", "Katharina", "Dr.")
    );
    assert_eq!(k.formatted_name, "Dr. Katharina Schneider");
    assert_eq!(k.organization, "Brandt & Söhne Industriewerke AG");
    assert_eq!(k.units, ["Einkauf, Logistik", "Strategischer Einkauf"]);
    assert_eq!(k.title, "Leiterin Einkauf");
    assert_eq!(k.emails, ["k.schneider@brandt-soehne.example"]);
    assert_eq!(
        k.phones,
        [
            VCardPhone {
                kind: PhoneKind::Work,
                number: "+49 221 4711-0".into()
            },
            VCardPhone {
                kind: PhoneKind::Cell,
                number: "0171 1234567".into()
            },
        ]
    );
    assert_eq!(
        k.note,
        "Trifft Entscheidungen; mag keine langen Mails.\nBevorzugt Telefonate am Vormittag."
    );
    assert_eq!(k.uid, "brandt-0001");
    let j = &cards[1];
    assert_eq!(
        (j.family_name.as_str(), j.given_name.as_str()),
        ("Weiß", "Jürgen")
    );
    assert_eq!(j.formatted_name, "Jürgen Weiß");
    assert_eq!(j.phones[0].kind, PhoneKind::Cell);
    assert_eq!(
        j.note,
        "Erste Zeile\r\nzweite Zeile, sehr lang und daher weich umbrochen"
    );
    assert_eq!(j.emails, ["j.weiss@brandt-soehne.example"]);
}

#[test]
fn vcard_4_fixture() {
    let cards = read_vcards(&fixture("exchange-contacts-4.0.vcf"), &Limits::default()).unwrap();
    assert_eq!(cards.len(), 2);
    let a = &cards[0];
    assert_eq!(a.uid, "urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1");
    assert_eq!(a.units, ["Sekretariat"]);
    let phones: Vec<(PhoneKind, &str)> = a
        .phones
        .iter()
        .map(|p| (p.kind, p.number.as_str()))
        .collect();
    assert_eq!(
        phones,
        [
            (PhoneKind::Work, "+49-40-1234567"),
            (PhoneKind::Cell, "+49-170-7654321"),
            (PhoneKind::Home, "040 999")
        ]
    );
    assert_eq!(cards[1].formatted_name, "Groß, Björn");
}

#[test]
fn a_vcard_file_read_straight_into_a_table_is_the_same_table() {
    use counterpart_core::exchange::read::read_vcard_table;
    use counterpart_core::user::Language;
    for name in ["exchange-contacts-3.0.vcf", "exchange-contacts-4.0.vcf"] {
        let bytes = fixture(name);
        for lang in [Language::De, Language::En] {
            let cards = read_vcards(&bytes, &Limits::default()).unwrap();
            assert_eq!(
                read_vcard_table(&bytes, lang, &Limits::default()).unwrap(),
                vcards_to_table_in(&cards, lang),
                "{name}"
            );
        }
    }
    let two = "BEGIN:VCARD\nFN:a\nEND:VCARD\nBEGIN:VCARD\nFN:b\nEND:VCARD\n";
    let limits = Limits {
        max_rows: 1,
        ..Limits::default()
    };
    assert_eq!(
        read_vcard_table(two.as_bytes(), Language::De, &limits),
        Err(ReadError::TooManyRows { max: 1 })
    );
}

#[test]
fn what_we_know_rides_on_the_vcard_note_and_stays_out_of_the_notes_on_import() {
    use counterpart_core::exchange::export::{ExportInsight, ExportPerson, people_vcards};
    use counterpart_core::exchange::read::read_vcard_table;
    let person = |id: i64, family: &str, notes: &str| ExportPerson {
        id: Some(PersonId::new(id)),
        given_name: "Eva".into(),
        family_name: family.into(),
        email: format!("{}@kunde.example", family.to_lowercase()),
        notes: notes.into(),
        ..ExportPerson::default()
    };
    let people = [
        person(1, "Lang", "Spricht lieber am Telefon."),
        person(2, "Kurz", ""),
        person(3, "Ohne", "Nichts bekannt."),
    ];
    let insight = |id: i64, category: &str, text: &str| ExportInsight {
        person_id: Some(PersonId::new(id)),
        category: category.into(),
        text: text.into(),
        learned_on: "2026-11-03".into(),
        ..ExportInsight::default()
    };
    let insights = [
        insight(1, "Bedürfnisse", "Braucht Zahlen bis Monatsende."),
        insight(
            2,
            "Umfeld",
            "Wettbewerber war im Haus; Preis, nicht Service.",
        ),
        insight(2, "Zufriedenheit", "Zufrieden mit der Hotline."),
    ];
    for lang in [Language::De, Language::En] {
        let cards = people_vcards(&people, "Kunde AG", &insights, lang);
        assert_eq!(
            cards[0].note,
            format!(
                "Spricht lieber am Telefon.\n\n{}\n2026-11-03 · Bedürfnisse: Braucht Zahlen bis Monatsende.",
                counterpart_core::exchange::export::insights_heading(lang)
            )
        );
        assert!(cards[1].note.contains("Preis, nicht Service"));
        assert!(cards[1].note.contains("Zufrieden mit der Hotline"));
        assert_eq!(
            cards[2].note, "Nichts bekannt.",
            "nothing known, nothing added"
        );
        // Imported again, in either language, the notes are what they were: what we know
        // stays insights and does not turn into notes.
        let bytes = write_vcards(&cards);
        for read_in in [Language::De, Language::En] {
            let table = read_vcard_table(bytes.as_bytes(), read_in, &Limits::default()).unwrap();
            let notes = table
                .headers
                .iter()
                .position(|h| h == Column::Notes.header(read_in))
                .expect("a notes column");
            let column: Vec<&str> = table.rows.iter().map(|r| r.get(notes)).collect();
            assert_eq!(
                column,
                ["Spricht lieber am Telefon.", "", "Nichts bekannt."]
            );
        }
    }
}

#[test]
fn vcards_become_a_table_and_a_plan() {
    let mut cards = read_vcards(&fixture("exchange-contacts-3.0.vcf"), &Limits::default()).unwrap();
    cards.extend(read_vcards(&fixture("exchange-contacts-4.0.vcf"), &Limits::default()).unwrap());
    let table = vcards_to_table(&cards);
    assert_eq!(
        table.headers,
        [
            "Personalnummer",
            "Titel",
            "Vorname",
            "Nachname",
            "Position",
            "Abteilung",
            "E-Mail",
            "Telefon",
            "Mobil",
            "Notizen"
        ]
    );
    let row = |i: usize| table.rows[i].cells(table.headers.len());
    assert_eq!(
        row(0)[..9],
        [
            "brandt-0001",
            "Dr.",
            "Katharina",
            "Schneider",
            "Leiterin Einkauf",
            "Strategischer Einkauf",
            "k.schneider@brandt-soehne.example",
            "+49 221 4711-0",
            "0171 1234567"
        ]
    );
    // Björn has only FN "Groß, Björn".
    assert_eq!(row(3)[2..4], ["Björn", "Groß"]);
    assert_eq!(table.rows[3].number, 4);
    let en = vcards_to_table_in(&cards, Language::En);
    assert_eq!(en.headers[2], "Given name");

    let world = World::new();
    let plan = plan(&table, &detect(&table.headers), &world.ctx());
    assert!(plan.is_ok(), "{:?}", plan.problems);
    assert_eq!(plan.created, 4);
    assert_eq!(plan.new_units, ["Strategischer Einkauf", "Sekretariat"]);
}

#[test]
fn vcards_written_are_folded_and_read_back_equal() {
    let mut cards = read_vcards(&fixture("exchange-contacts-3.0.vcf"), &Limits::default()).unwrap();
    cards.extend(read_vcards(&fixture("exchange-contacts-4.0.vcf"), &Limits::default()).unwrap());
    // Line breaks come back as LF; make the expectation match.
    for card in &mut cards {
        card.note = card.note.replace("\r\n", "\n");
    }
    cards[0].note = format!("{} {}", cards[0].note, "Sehr lange Notiz ".repeat(10));
    let text = write_vcards(&cards);
    assert!(text.starts_with("BEGIN:VCARD\r\nVERSION:4.0\r\n"));
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "{line:?} is {} octets", line.len());
        assert!(!line.contains('\n') && !line.contains('\r'));
    }
    assert_eq!(
        read_vcards(text.as_bytes(), &Limits::default()).unwrap(),
        cards
    );
}

// ---------------------------------------------------------------------------------------
// Property tests

/// Cell text that survives reading: trimmed, with the characters that need quoting or
/// guarding over-represented.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[a-zA-ZäöüÄÖÜß0-9 ;,\"'=+@\\-\\n\\r\\t]{0,10}",
        1 => "\\PC{0,12}",
        1 => Just(String::new()),
    ]
    .prop_map(|s| s.trim().to_owned())
}

/// Tables that a reader gives back exactly: last header not empty, no empty data row,
/// every row as wide as the header, rows numbered from 2.
fn readable_table(max_rows: usize) -> impl Strategy<Value = Table> {
    (1usize..6)
        .prop_flat_map(move |width| {
            let header = prop::collection::vec(cell(), width)
                .prop_filter("last header must not be empty", |h| {
                    h.last().is_some_and(|c| !c.is_empty())
                });
            let row = prop::collection::vec(cell(), width)
                .prop_filter("no empty rows", |r| r.iter().any(|c| !c.is_empty()));
            (header, prop::collection::vec(row, 0..max_rows))
        })
        .prop_map(|(headers, rows)| Table::from_rows(headers, rows))
}

fn mutate(mut bytes: Vec<u8>, edits: &[(usize, u8)], cut: Option<usize>) -> Vec<u8> {
    if !bytes.is_empty() {
        for &(at, value) in edits {
            let at = at % bytes.len();
            bytes[at] = value;
        }
    }
    if let Some(cut) = cut {
        bytes.truncate(cut % (bytes.len() + 1));
    }
    bytes
}

fn sample_xlsx() -> Vec<u8> {
    write_xlsx(&[("Personen", &canonical_table(Language::De))]).unwrap()
}

proptest! {
    #[test]
    fn csv_reader_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let _ = read_csv(&bytes, &Limits::default());
        // Behind the prefixes the reader looks at: byte-order marks and Excel's `sep=` line.
        for prefix in [&b"sep="[..], b"\xEF\xBB\xBFsep=", b"\xFF\xFE", b"\xFE\xFF", b"\""] {
            let _ = read_csv(&[prefix, &bytes].concat(), &Limits::default());
        }
    }

    #[test]
    fn csv_reader_survives_mutated_files(
        edits in prop::collection::vec((any::<usize>(), any::<u8>()), 0..8),
        cut in prop::option::of(any::<usize>()),
    ) {
        let bytes = mutate(fixture("exchange-utf8.csv"), &edits, cut);
        if let Ok(table) = read_csv(&bytes, &Limits::default()) {
            for row in &table.rows {
                prop_assert!(row.width() <= table.headers.len());
            }
        }
    }

    #[test]
    fn vcard_reader_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let _ = read_vcards(&bytes, &Limits::default());
        let mut framed = b"BEGIN:VCARD\r\n".to_vec();
        framed.extend(&bytes);
        framed.extend(b"\r\nEND:VCARD\r\n");
        let _ = read_vcards(&framed, &Limits::default()).map(|cards| vcards_to_table(&cards));
    }

    #[test]
    fn vcard_reader_survives_mutated_files(
        edits in prop::collection::vec((any::<usize>(), any::<u8>()), 0..8),
        cut in prop::option::of(any::<usize>()),
    ) {
        let bytes = mutate(fixture("exchange-contacts-3.0.vcf"), &edits, cut);
        let _ = read_vcards(&bytes, &Limits::default()).map(|cards| vcards_to_table(&cards));
    }

    #[test]
    fn xlsx_reader_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let _ = xlsx_sheets(&bytes, &Limits::default());
        let _ = read_xlsx(&bytes, None, &Limits::default());
        // With a zip signature, the reader gets past the first check.
        let mut zip = b"PK\x03\x04".to_vec();
        zip.extend(&bytes);
        let _ = read_xlsx(&zip, None, &Limits::default());
    }

    #[test]
    fn csv_round_trip(table in readable_table(8)) {
        let bytes = write_csv(&table);
        prop_assert_eq!(read_csv(&bytes, &Limits::default()).unwrap(), table);
    }

    #[test]
    fn vcard_round_trip(cards in prop::collection::vec(vcard(), 1..4)) {
        let text = write_vcards(&cards);
        prop_assert_eq!(read_vcards(text.as_bytes(), &Limits::default()).unwrap(), cards);
    }
}

proptest! {
    // Workbooks are slower to build; fewer cases still cover the strings well.
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn xlsx_round_trip(table in readable_table(6)) {
        let bytes = write_xlsx(&[("Blatt", &table)]).unwrap();
        prop_assert_eq!(read_xlsx(&bytes, None, &Limits::default()).unwrap(), table);
    }

    #[test]
    fn xlsx_reader_survives_mutated_files(
        edits in prop::collection::vec((any::<usize>(), any::<u8>()), 0..6),
        cut in prop::option::of(any::<usize>()),
    ) {
        let bytes = mutate(sample_xlsx(), &edits, cut);
        let _ = xlsx_sheets(&bytes, &Limits::default());
        let _ = read_xlsx(&bytes, None, &Limits::default());
    }
}

/// vCard text: anything printable plus line breaks and the characters vCards escape; no CR
/// (written as a plain line break).
fn vcard_text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[a-zA-ZäöüßÄ0-9 ;,:.=\\\\\"\\n\\t]{0,12}",
        1 => "\\PC{0,90}",
        1 => Just(String::new()),
    ]
}

fn vcard() -> impl Strategy<Value = VCard> {
    let kind = prop_oneof![
        Just(PhoneKind::Cell),
        Just(PhoneKind::Fax),
        Just(PhoneKind::Work),
        Just(PhoneKind::Home),
        Just(PhoneKind::Other),
    ];
    // A number starting with "tel:" loses that prefix on reading, like a tel: URI.
    let phone = (
        kind,
        vcard_text().prop_filter("no tel: prefix", |n| {
            !n.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("tel:"))
        }),
    )
        .prop_map(|(kind, number)| VCardPhone { kind, number });
    (
        [
            vcard_text(),
            vcard_text(),
            vcard_text(),
            vcard_text(),
            vcard_text(),
            vcard_text(),
        ],
        [
            vcard_text(),
            vcard_text(),
            vcard_text(),
            vcard_text(),
            vcard_text(),
        ],
        prop::collection::vec(vcard_text(), 0..3),
        prop::collection::vec(vcard_text(), 0..3),
        prop::collection::vec(phone, 0..3),
    )
        .prop_map(|(a, b, units, emails, phones)| {
            let [
                uid,
                formatted_name,
                family_name,
                given_name,
                additional_names,
                honorific_prefix,
            ] = a;
            let [honorific_suffix, organization, title, note, _] = b;
            VCard {
                uid,
                formatted_name,
                family_name,
                given_name,
                additional_names,
                honorific_prefix,
                honorific_suffix,
                organization,
                units,
                title,
                emails,
                phones,
                note,
            }
        })
}

/// Cell values a planner meets: names, e-mails, levels, references that may or may not
/// resolve, and noise.
fn plan_cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        prop::sample::select(vec![
            "Weiß",
            "Jürgen",
            "Lang",
            "Eva",
            "Eva Lang",
            "Lang, Eva",
            "a@x.de",
            "b@x.de",
            "A@X.DE",
            "1",
            "2",
            "3",
            "9",
            "Teamleitung",
            "sales",
            "Einkauf",
            "Neu",
            "P1",
            "P2",
            "+49 221 1",
            "12",
            "Dr.",
            "x@y",
            "=1+1",
        ])
        .prop_map(str::to_owned),
        "\\PC{0,8}",
    ]
}

fn world_with_existing(
    stored: Vec<(
        Option<&'static str>,
        &'static str,
        &'static str,
        usize,
        bool,
    )>,
) -> World {
    let mut world = World::new();
    let count = stored.len();
    world.existing = stored
        .into_iter()
        .zip(1..)
        .map(
            |((external, family, email, manager, active), id)| ExistingPerson {
                id: PersonId::new(id),
                external_id: external.map(str::to_owned),
                fields: PersonFields {
                    family_name: family.into(),
                    given_name: "Eva".into(),
                    email: email.into(),
                    level_id: "2".into(),
                    unit_id: "1".into(),
                    // Any stored manager, even one that loops.
                    reports_to_id: ((manager % (count + 1)) as i64).to_string(),
                    ..PersonFields::default()
                },
                active,
            },
        )
        .collect();
    world
}

proptest! {
    #[test]
    fn plan_never_panics_and_keeps_its_invariants(
        width in 1usize..8,
        rows in prop::collection::vec(prop::collection::vec(plan_cell(), 0..9), 0..12),
        columns in prop::collection::vec(prop::option::of(prop::sample::select(Column::ALL.to_vec())), 0..9),
        stored in prop::collection::vec(
            (
                prop::option::of(prop::sample::select(vec!["P1", "P2", " "])),
                prop::sample::select(vec!["Lang", "Weiß", ""]),
                prop::sample::select(vec!["a@x.de", "b@x.de", "", "kaputt"]),
                any::<usize>(),
                any::<bool>(),
            ),
            0..5,
        ),
    ) {
        let headers: Vec<String> = (0..width).map(|i| format!("Spalte {i}")).collect();
        let table = Table {
            headers,
            header_row: 1,
            rows: rows
                .into_iter()
                .zip(2..)
                .map(|(cells, number)| TableRow::from_cells(number, cells))
                .collect(),
        };
        let mut mapping = Mapping::unmapped(width);
        for (i, column) in columns.into_iter().enumerate() {
            mapping.set(i, column);
        }
        let world = world_with_existing(stored);
        let plan = plan(&table, &mapping, &world.ctx());
        prop_assert_eq!(plan.created + plan.updated + plan.unchanged, plan.rows.len());
        prop_assert!(plan.problems.windows(2).all(|w| w[0].row <= w[1].row));
        prop_assert!(plan.rows.windows(2).all(|w| w[0].row < w[1].row));
        for row in &plan.rows {
            prop_assert!(!plan.problems.iter().any(|p| p.row == row.row));
            if let Some(UnitRef::New(i)) = row.person.unit {
                prop_assert!(i < plan.new_units.len());
            }
            for r in [row.person.manager, row.person.assistant_of].into_iter().flatten() {
                if let PersonRef::Row(i) = r {
                    prop_assert!(i < plan.rows.len());
                    prop_assert_eq!(plan.rows[i].action, RowAction::Create);
                }
            }
        }
        // Every problem has a message in both languages.
        for p in &plan.problems {
            prop_assert!(!p.message(Language::De).is_empty());
            prop_assert!(!p.message(Language::En).is_empty());
        }
    }
}

/// The parts of a workbook, to damage the XML inside rather than the zip around it.
fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).unwrap();
            let mut content = Vec::new();
            file.read_to_end(&mut content).unwrap();
            (file.name().unwrap().into_owned(), content)
        })
        .collect()
}

fn rezip(parts: &[(String, Vec<u8>)]) -> Vec<u8> {
    use std::io::Write;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, content) in parts {
        out.start_file(name.as_str(), options).unwrap();
        out.write_all(content).unwrap();
    }
    out.finish().unwrap().into_inner()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(64)
    ))]

    /// Damaged XML inside an intact zip: the reader reports an error or reads something, but
    /// never panics.
    #[test]
    fn xlsx_reader_survives_damaged_xml(
        part in any::<prop::sample::Index>(),
        edits in prop::collection::vec((any::<usize>(), any::<u8>()), 1..6),
        cut in prop::option::of(any::<usize>()),
    ) {
        let mut parts = unzip(&sample_xlsx());
        let i = part.index(parts.len());
        let content = std::mem::take(&mut parts[i].1);
        parts[i].1 = mutate(content, &edits, cut);
        let bytes = rezip(&parts);
        let _ = xlsx_sheets(&bytes, &Limits::default());
        let _ = read_xlsx(&bytes, None, &Limits::default());
    }
}
