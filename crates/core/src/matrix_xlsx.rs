//! The KAM matrix as an Excel workbook a KAM lead can hand to the board, and back.
//!
//! One sheet per chosen filter: a row per account, a column per hierarchy level. A cell lists
//! the account's key people at that level, each followed by our counterparts:
//!
//! ```text
//! Dr. Ulrike Wößner (Entscheider)
//! → Matthias Große-Böckmann [5]
//! → Anna Köhler (Vertretung) [–]
//! ```
//!
//! The cell is filled by its weakest relationship: red for a key person without counterpart or
//! a poor rating, amber for fair, green for good, grey when unrated. The header row and the
//! account column are frozen, the sheet has filters, and a legend sheet explains the colours.
//!
//! [`read_matrix`] reads such a sheet (the team may have edited it) into lines that the store
//! turns into accounts, key contacts, counterparts and ratings.

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, FormatPattern, Workbook};

use crate::account::{AssignmentKind, DecisionRole, Health};
use crate::exchange::read::{Limits, ReadError, read_xlsx};
use crate::matrix::{ContactEntry, MatrixRow};
use crate::user::Language;

/// The words of the workbook in one language.
struct Words {
    account: &'static str,
    deputy: &'static str,
    gap: &'static str,
    legend: &'static str,
    unleveled: &'static str,
    legend_rows: [(&'static str, Health); 4],
    legend_gap: &'static str,
}

fn words(lang: Language) -> Words {
    match lang {
        Language::De => Words {
            account: "Account",
            deputy: "Vertretung",
            gap: "Lücke",
            legend: "Legende",
            unleveled: "Ohne Ebene",
            legend_rows: [
                ("gute Beziehung (4–5)", Health::Good),
                ("mittlere Beziehung (3)", Health::Fair),
                ("schlechte Beziehung (1–2)", Health::Poor),
                ("noch nicht bewertet", Health::Unrated),
            ],
            legend_gap: "Schlüsselperson ohne Gegenüber bei uns (Lücke)",
        },
        Language::En => Words {
            account: "Account",
            deputy: "deputy",
            gap: "gap",
            legend: "Legend",
            unleveled: "No level",
            legend_rows: [
                ("good relationship (4–5)", Health::Good),
                ("fair relationship (3)", Health::Fair),
                ("poor relationship (1–2)", Health::Poor),
                ("not rated yet", Health::Unrated),
            ],
            legend_gap: "key person without a counterpart of ours (gap)",
        },
    }
}

/// A decision role's label in a cell.
fn role_label(role: DecisionRole, lang: Language) -> &'static str {
    let de = lang == Language::De;
    match role {
        DecisionRole::DecisionMaker => {
            if de {
                "Entscheider"
            } else {
                "decision maker"
            }
        }
        DecisionRole::Influencer => {
            if de {
                "Beeinflusser"
            } else {
                "influencer"
            }
        }
        DecisionRole::User => {
            if de {
                "Anwender"
            } else {
                "user"
            }
        }
        DecisionRole::Gatekeeper => {
            if de {
                "Türöffner"
            } else {
                "gatekeeper"
            }
        }
        DecisionRole::Champion => {
            if de {
                "Fürsprecher"
            } else {
                "champion"
            }
        }
        DecisionRole::Other => {
            if de {
                "Sonstige"
            } else {
                "other"
            }
        }
    }
}

/// The role named by a label in either language.
fn role_of(label: &str) -> Option<DecisionRole> {
    let folded = crate::text::fold(label);
    DecisionRole::ALL.iter().copied().find(|r| {
        [Language::De, Language::En]
            .iter()
            .any(|l| crate::text::fold(role_label(*r, *l)) == folded)
    })
}

/// Fill colours by health, with a red for gaps.
fn fill(health: Option<Health>) -> Color {
    match health {
        None => Color::RGB(0xF8D7DA),
        Some(Health::Poor) => Color::RGB(0xF5C2C7),
        Some(Health::Fair) => Color::RGB(0xFFF3CD),
        Some(Health::Good) => Color::RGB(0xD1E7DD),
        Some(Health::Unrated) => Color::RGB(0xE9ECEF),
    }
}

/// The text of one key person with our counterparts.
fn entry_text(e: &ContactEntry, w: &Words, lang: Language) -> String {
    let mut lines = vec![format!("{} ({})", e.name, role_label(e.role, lang))];
    if e.counterparts.is_empty() {
        lines.push(format!("→ {}", w.gap));
    }
    for c in &e.counterparts {
        let deputy = if c.kind == AssignmentKind::Deputy {
            format!(" ({})", w.deputy)
        } else {
            String::new()
        };
        let rating = c
            .relationship
            .map_or_else(|| "–".to_owned(), |r| r.to_string());
        lines.push(format!("→ {}{deputy} [{rating}]", c.name));
    }
    lines.join("\n")
}

/// The weakest health of a cell: `None` (a gap) is the weakest of all.
fn weakest(entries: &[ContactEntry]) -> Option<Option<Health>> {
    let rank = |h: Option<Health>| match h {
        None => 0,
        Some(Health::Poor) => 1,
        Some(Health::Unrated) => 2,
        Some(Health::Fair) => 3,
        Some(Health::Good) => 4,
    };
    entries
        .iter()
        .map(|e| if e.is_gap() { None } else { Some(e.health()) })
        .min_by_key(|h| rank(*h))
}

/// Writes the matrix: one sheet per `(sheet name, rows)`, columns for `levels` (rank, name).
pub fn write_matrix(
    sheets: &[(String, Vec<MatrixRow>)],
    levels: &[(i64, String)],
    lang: Language,
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let w = words(lang);
    let mut book = Workbook::new();
    let header = Format::new()
        .set_bold()
        .set_font_color(Color::White)
        .set_background_color(Color::RGB(0x1D4E89))
        .set_pattern(FormatPattern::Solid)
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let plain = Format::new()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_border(FormatBorder::Thin);
    let account_format = plain.clone().set_bold();
    for (name, rows) in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(name)?;
        let has_unleveled = rows.iter().any(|r| !r.unleveled.is_empty());
        let columns = levels.len() + 1 + usize::from(has_unleveled);
        sheet.write_string_with_format(0, 0, w.account, &header)?;
        sheet.set_column_width(0, 34)?;
        for (i, (rank, level)) in levels.iter().enumerate() {
            let col = i as u16 + 1;
            sheet.write_string_with_format(0, col, format!("{rank} · {level}"), &header)?;
            sheet.set_column_width(col, 38)?;
        }
        if has_unleveled {
            sheet.write_string_with_format(0, levels.len() as u16 + 1, w.unleveled, &header)?;
            sheet.set_column_width(levels.len() as u16 + 1, 38)?;
        }
        for (r, row) in rows.iter().enumerate() {
            let line = r as u32 + 1;
            let mut title = row.account.name.clone();
            if let (Some(tier), Some(score)) = (row.account.tier, row.account.score) {
                title.push_str(&format!("\n{} · {score:.0}", tier.as_str()));
            }
            sheet.write_string_with_format(line, 0, &title, &account_format)?;
            let cells = row
                .cells
                .iter()
                .chain(std::iter::once(&row.unleveled))
                .take(columns - 1);
            for (c, entries) in cells.enumerate() {
                let text = entries
                    .iter()
                    .map(|e| entry_text(e, &w, lang))
                    .collect::<Vec<_>>()
                    .join("\n\n");
                let format = match weakest(entries) {
                    Some(health) => plain
                        .clone()
                        .set_background_color(fill(health))
                        .set_pattern(FormatPattern::Solid),
                    None => plain.clone(),
                };
                sheet.write_string_with_format(line, c as u16 + 1, &text, &format)?;
            }
        }
        sheet.set_freeze_panes(1, 1)?;
        sheet.autofilter(0, 0, rows.len().max(1) as u32, columns as u16 - 1)?;
    }
    let legend = book.add_worksheet();
    legend.set_name(w.legend)?;
    legend.set_column_width(0, 52)?;
    let mut line = 0;
    for (text, health) in w.legend_rows {
        let format = Format::new()
            .set_background_color(fill(Some(health)))
            .set_pattern(FormatPattern::Solid);
        legend.write_string_with_format(line, 0, text, &format)?;
        line += 1;
    }
    let format = Format::new()
        .set_background_color(fill(None))
        .set_pattern(FormatPattern::Solid);
    legend.write_string_with_format(line, 0, w.legend_gap, &format)?;
    book.save_to_buffer()
}

/// One counterpart written in a cell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellCounterpart {
    /// Our person's name as written.
    pub name: String,
    /// Primary or deputy.
    pub kind: AssignmentKind,
    /// The rating in brackets, if any.
    pub rating: Option<i64>,
}

/// One key person read from a cell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatrixLine {
    /// The spreadsheet row (header = 1).
    pub row: usize,
    /// The cell, e.g. "C7".
    pub cell: String,
    /// The account's name (first line of column A).
    pub account: String,
    /// The level rank of the column (from its header "3 · …").
    pub level_rank: Option<i64>,
    /// The key person's name.
    pub person: String,
    /// Their role, when the label is known.
    pub role: Option<DecisionRole>,
    /// Our counterparts.
    pub counterparts: Vec<CellCounterpart>,
}

/// Parses one block of a cell: a person line, then `→` lines.
fn parse_block(block: &str) -> Option<(String, Option<DecisionRole>, Vec<CellCounterpart>)> {
    let mut lines = block.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = lines.next()?;
    let (person, role) = match first.rsplit_once(" (") {
        Some((name, rest)) if rest.ends_with(')') => match role_of(rest.trim_end_matches(')')) {
            Some(role) => (name.trim().to_owned(), Some(role)),
            None => (first.to_owned(), None),
        },
        _ => (first.to_owned(), None),
    };
    let mut counterparts = Vec::new();
    for line in lines {
        let Some(rest) = line.strip_prefix('→').or_else(|| line.strip_prefix("->")) else {
            continue;
        };
        let mut rest = rest.trim().to_owned();
        let mut rating = None;
        if let Some(open) = rest.rfind('[')
            && rest.ends_with(']')
        {
            rating = rest[open + 1..rest.len() - 1]
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|r| (1..=5).contains(r));
            rest = rest[..open].trim().to_owned();
        }
        let mut kind = AssignmentKind::Primary;
        for marker in [" (Vertretung)", " (deputy)"] {
            if let Some(name) = rest.strip_suffix(marker) {
                kind = AssignmentKind::Deputy;
                rest = name.trim().to_owned();
            }
        }
        let gap = ["lücke", "gap", "—", "-", "–"].contains(&rest.to_lowercase().as_str());
        if !gap && !rest.is_empty() {
            counterparts.push(CellCounterpart {
                name: rest,
                kind,
                rating,
            });
        }
    }
    Some((person, role, counterparts))
}

/// Reads a matrix sheet (the first, or `sheet`) written by [`write_matrix`] and perhaps
/// edited: every key person with the counterparts written under them.
pub fn read_matrix(
    bytes: &[u8],
    sheet: Option<&str>,
    limits: &Limits,
) -> Result<Vec<MatrixLine>, ReadError> {
    let table = read_xlsx(bytes, sheet, limits)?;
    let ranks: Vec<Option<i64>> = table
        .headers
        .iter()
        .map(|h| h.split('·').next().and_then(|n| n.trim().parse().ok()))
        .collect();
    let mut out = Vec::new();
    for row in &table.rows {
        let account = row.get(0).lines().next().unwrap_or("").trim().to_owned();
        if account.is_empty() {
            continue;
        }
        for (c, cell) in row.iter().filter(|&(c, _)| c > 0) {
            for block in cell.split("\n\n") {
                let Some((person, role, counterparts)) = parse_block(block) else {
                    continue;
                };
                out.push(MatrixLine {
                    row: row.number,
                    cell: format!("{}{}", crate::exchange::read::column_letter(c), row.number),
                    account: account.clone(),
                    level_rank: ranks.get(c).copied().flatten(),
                    person,
                    role,
                    counterparts,
                });
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::Relation;
    use crate::ids::{AccountId, PersonId};
    use crate::matrix::{CounterpartEntry, MatrixAccount};

    fn row() -> MatrixRow {
        let entry = |name: &str, counterparts: Vec<CounterpartEntry>| ContactEntry {
            person_id: PersonId::new(1),
            name: name.into(),
            role: DecisionRole::DecisionMaker,
            counterparts,
        };
        let ours = |name: &str, kind, rating| CounterpartEntry {
            our_id: PersonId::new(2),
            name: name.into(),
            kind,
            relationship: rating,
            health: Health::of(rating),
            level_rank: Some(1),
            contact: crate::cadence::State::InTime,
        };
        MatrixRow {
            account: MatrixAccount {
                id: AccountId::new(1),
                name: "Brandt & Söhne".into(),
                relation: Relation::Customer,
                internal: false,
                responsible_unit: None,
                score: Some(86.0),
                tier: Some(crate::importance::Tier::A),
                mirror_score: Some(72.5),
            },
            cells: vec![
                vec![entry(
                    "Dr. Ulrike Wößner",
                    vec![
                        ours("Matthias Große-Böckmann", AssignmentKind::Primary, Some(5)),
                        ours("Anna Köhler", AssignmentKind::Deputy, None),
                    ],
                )],
                vec![],
                vec![entry("Werner Läufer", vec![])],
            ],
            unleveled: vec![],
            gaps: 1,
            contacts: 2,
        }
    }

    #[test]
    fn the_workbook_reads_back_as_written() {
        let levels = vec![
            (1, "Geschäftsführung".to_owned()),
            (2, "Bereichsleitung".into()),
            (3, "Abteilungsleitung".into()),
        ];
        let bytes = write_matrix(&[("Alle".into(), vec![row()])], &levels, Language::De).unwrap();
        let sheets = crate::exchange::read::xlsx_sheets(&bytes, &Limits::default()).unwrap();
        assert_eq!(sheets, ["Alle", "Legende"]);
        let lines = read_matrix(&bytes, None, &Limits::default()).unwrap();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].account, "Brandt & Söhne");
        assert_eq!(
            (lines[0].level_rank, lines[0].cell.as_str()),
            (Some(1), "B2")
        );
        assert_eq!(lines[0].person, "Dr. Ulrike Wößner");
        assert_eq!(lines[0].role, Some(DecisionRole::DecisionMaker));
        assert_eq!(
            lines[0].counterparts,
            [
                CellCounterpart {
                    name: "Matthias Große-Böckmann".into(),
                    kind: AssignmentKind::Primary,
                    rating: Some(5)
                },
                CellCounterpart {
                    name: "Anna Köhler".into(),
                    kind: AssignmentKind::Deputy,
                    rating: None
                },
            ]
        );
        assert_eq!(
            (lines[1].person.as_str(), lines[1].level_rank),
            ("Werner Läufer", Some(3))
        );
        assert!(lines[1].counterparts.is_empty(), "a gap has no counterpart");
    }

    #[test]
    fn edited_cells_are_read_forgivingly() {
        let (person, role, ours) =
            parse_block("Jens Möbius (user)\n-> Dennis Schütz (deputy) [4]\n→ Lücke").unwrap();
        assert_eq!(
            (person.as_str(), role),
            ("Jens Möbius", Some(DecisionRole::User))
        );
        assert_eq!(ours.len(), 1);
        assert_eq!(
            (ours[0].kind, ours[0].rating),
            (AssignmentKind::Deputy, Some(4))
        );
        let (person, role, _) = parse_block("Erika Muster (Praktikantin)").unwrap();
        assert_eq!(
            (person.as_str(), role),
            ("Erika Muster (Praktikantin)", None)
        );
        assert!(read_matrix(b"no workbook", None, &Limits::default()).is_err());
    }
}
