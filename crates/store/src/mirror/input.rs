//! Reading the mirror's input: accounts with their key contacts and current counterparts, our
//! people with their loads, and our unit tree.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use counterpart_core::ids::{AccountId, PersonId, UnitId};
use counterpart_core::mirror::{
    CurrentAssignment, JourFixeFacts, MirrorAccount, MirrorContact, MirrorInput, OurPerson, OurUnit,
};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::db::Store;
use crate::decode::{decode, json};
use crate::dialect;
use crate::error::Result;
use crate::time::{date_from_db, date_to_db};

/// A key contact as aggregated: person, level rank, assistant flag, assistant of, reports to,
/// influence, role.
type ContactJson = (i64, Option<i64>, i64, Option<i64>, Option<i64>, i64, String);
/// A current assignment as aggregated: partner, ours, kind, latest rating, last contact, from,
/// own contact interval.
type AssignmentJson = (
    i64,
    i64,
    String,
    Option<i64>,
    Option<String>,
    String,
    Option<i64>,
);
/// One of ours as aggregated: person, level rank, assistant flag, assistant of, unit, capacity.
type PersonJson = (i64, Option<i64>, i64, Option<i64>, Option<i64>, Option<i64>);

/// Which of our people the input carries.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Staff {
    /// Everyone active: the candidates for suggestions.
    All,
    /// Only those holding a current assignment in the accounts read: enough to analyse them.
    Holders,
}

/// Reads the mirror's input as it stood on `as_of`: one account (`Some`) or the whole
/// portfolio, with our people and our unit tree.
pub(super) async fn input_on(
    conn: &mut AnyConnection,
    backend: crate::Backend,
    account: Option<AccountId>,
    staff: Staff,
    as_of: NaiveDate,
) -> Result<MirrorInput> {
    let today = date_to_db(as_of);
    let accounts = read_accounts(&mut *conn, backend, account, &today).await?;
    // Our people with their current primary load, portfolio-wide, and our unit tree.
    let units = read_our_units(&mut *conn, backend).await?;
    let parents: HashMap<i64, Option<i64>> = units.iter().copied().collect();
    let loads = read_loads(&mut *conn, account, staff, &today).await?;
    let people = read_our_people(&mut *conn, backend, account, staff, &today)
        .await?
        .into_iter()
        .map(
            |(id, rank, assistant, assistant_of, unit, capacity)| OurPerson {
                person_id: PersonId::new(id),
                level_rank: rank,
                is_assistant: assistant != 0,
                assistant_of: assistant_of.map(PersonId::new),
                unit_id: unit.map(UnitId::new),
                unit_ancestors: ancestors(&parents, unit),
                capacity,
                load: loads.get(&id).copied().unwrap_or(0),
            },
        )
        .collect();
    Ok(MirrorInput {
        accounts,
        people,
        units: units
            .into_iter()
            .map(|(id, parent)| OurUnit {
                id: UnitId::new(id),
                parent_id: parent.map(UnitId::new),
            })
            .collect(),
    })
}

/// The active accounts (or the one `account`) with their key contacts and the current
/// assignments on `today`, one row per account.
async fn read_accounts(
    conn: &mut AnyConnection,
    backend: crate::Backend,
    account: Option<AccountId>,
    today: &str,
) -> Result<Vec<MirrorAccount>> {
    let contacts = dialect::json_rows(
        backend,
        "k.person_id, l.rank, COALESCE(f.is_assistant, 0), p.assistant_of_id, p.reports_to_id, k.influence, k.role",
    );
    // Current assignments of the key contacts and of the bosses of assistant key contacts
    // (the suggestion pairs an assistant with the assistant of their boss's counterpart).
    let assignments = dialect::json_rows(
        backend,
        "s.partner_id, s.our_id, s.kind, s.latest_relationship, s.last_contact_on, s.valid_from, \
         s.contact_every_days",
    );
    let sql = format!(
        "SELECT a.id, a.mode, a.manager_id, a.responsible_unit_id, a.score, a.tier, \
         (SELECT {contacts} FROM key_contacts k JOIN persons p ON p.id = k.person_id \
          LEFT JOIN levels l ON l.id = p.level_id LEFT JOIN functions f ON f.id = p.function_id \
          WHERE k.account_id = a.id AND p.active = 1) AS contacts, \
         (SELECT {assignments} FROM assignments s WHERE s.valid_from <= $2 \
          AND (s.valid_to IS NULL OR s.valid_to >= $2) AND s.partner_id IN ( \
            SELECT k.person_id FROM key_contacts k WHERE k.account_id = a.id \
            UNION SELECT COALESCE(p.assistant_of_id, p.reports_to_id) FROM key_contacts k \
            JOIN persons p ON p.id = k.person_id WHERE k.account_id = a.id)) AS assignments, \
         CASE WHEN o.kind = 'own' THEN a.unit_id END AS partner_unit, \
         COALESCE((SELECT s.rrule FROM jf_series_accounts c \
           JOIN jf_series s ON s.id = c.series_id \
           WHERE c.account_id = a.id AND s.cancelled_at IS NULL ORDER BY s.id LIMIT 1), \
          (SELECT s.rrule FROM jf_items i JOIN jf_meetings m ON m.id = i.meeting_id \
           JOIN jf_series s ON s.id = m.series_id \
           WHERE i.account_id = a.id AND s.cancelled_at IS NULL \
           ORDER BY m.starts_at DESC LIMIT 1)) AS jf_rrule, \
         (SELECT MAX(substr(m.starts_at, 1, 10)) FROM jf_items i \
          JOIN jf_meetings m ON m.id = i.meeting_id WHERE i.account_id = a.id \
          AND m.status = 'planned' AND substr(m.starts_at, 1, 10) <= $2) AS jf_last, \
         (SELECT COUNT(*) FROM jf_actions x WHERE x.account_id = a.id \
          AND x.done_on IS NULL AND x.due_on < $2) AS jf_overdue, \
         (SELECT MIN(x.due_on) FROM jf_actions x WHERE x.account_id = a.id \
          AND x.done_on IS NULL AND x.due_on < $2) AS jf_oldest \
         FROM accounts a JOIN organizations o ON o.id = a.organization_id \
         WHERE a.active = 1 AND ($1 IS NULL OR a.id = $1) ORDER BY a.id"
    );
    let rows = sqlx::query(&sql)
        .bind(account.map(AccountId::get))
        .bind(today)
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows.iter().map(mirror_account).collect::<Result<_, _>>()?)
}

/// One row of [`read_accounts`]: the account, its contacts and assignments as JSON.
fn mirror_account(row: &AnyRow) -> Result<MirrorAccount, sqlx::Error> {
    let contacts = json::<ContactJson>(&row.try_get::<String, _>(6)?)?
        .into_iter()
        .map(
            |(person, rank, assistant, assistant_of, reports_to, influence, role)| {
                Ok(MirrorContact {
                    person_id: PersonId::new(person),
                    level_rank: rank,
                    is_assistant: assistant != 0,
                    assistant_of: assistant_of.map(PersonId::new),
                    reports_to: reports_to.map(PersonId::new),
                    influence,
                    role: role.parse().map_err(decode)?,
                })
            },
        )
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let assignments = json::<AssignmentJson>(&row.try_get::<String, _>(7)?)?
        .into_iter()
        .map(|(partner, ours, kind, rating, contact, from, every)| {
            Ok(CurrentAssignment {
                partner_id: PersonId::new(partner),
                our_id: PersonId::new(ours),
                kind: kind.parse().map_err(decode)?,
                relationship: rating,
                last_contact: contact.as_deref().map(date_from_db).transpose()?,
                contact_every_days: every,
                valid_from: date_from_db(&from)?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(MirrorAccount {
        id: AccountId::new(row.try_get(0)?),
        mode: row.try_get::<String, _>(1)?.parse().map_err(decode)?,
        manager_id: row.try_get::<Option<i64>, _>(2)?.map(PersonId::new),
        responsible_unit_id: row.try_get::<Option<i64>, _>(3)?.map(UnitId::new),
        // An internal account whose partner is a unit of our own house.
        partner_unit: row.try_get::<Option<i64>, _>(8)?.map(UnitId::new),
        importance: row.try_get(4)?,
        tier: row
            .try_get::<Option<String>, _>(5)?
            .map(|t| t.parse().map_err(decode))
            .transpose()?,
        contacts,
        assignments,
        jour_fixe: JourFixeFacts {
            interval_days: row
                .try_get::<Option<String>, _>(9)?
                .as_deref()
                .and_then(counterpart_core::jour_fixe::recurrence::interval_days),
            last_meeting: row
                .try_get::<Option<String>, _>(10)?
                .as_deref()
                .map(date_from_db)
                .transpose()?,
            overdue_actions: row.try_get(11)?,
            oldest_overdue: row
                .try_get::<Option<String>, _>(12)?
                .as_deref()
                .map(date_from_db)
                .transpose()?,
        },
    })
}

/// Our own organization's units: (unit, parent), by id. One JSON value rather than a row
/// per unit: rows cross from the database to us one by one, and an organization of a few
/// thousand units made this the slowest read of an account's mirror summary.
async fn read_our_units(
    conn: &mut AnyConnection,
    backend: crate::Backend,
) -> Result<Vec<(i64, Option<i64>)>> {
    let (units,): (String,) = sqlx::query_as(&format!(
        "SELECT {} FROM units u JOIN organizations o ON o.id = u.organization_id \
         WHERE o.kind = 'own'",
        dialect::json_rows(backend, "u.id, u.parent_id")
    ))
    .fetch_one(conn)
    .await?;
    let mut units = json::<(i64, Option<i64>)>(&units)?;
    units.sort_unstable();
    Ok(units)
}

/// The units above `unit` (not itself), nearest first, by the `parents` of our unit tree.
fn ancestors(parents: &HashMap<i64, Option<i64>>, unit: Option<i64>) -> Vec<UnitId> {
    let mut chain = Vec::new();
    let mut seen = HashSet::new();
    let mut current = unit.and_then(|u| parents.get(&u).copied().flatten());
    while let Some(u) = current {
        if !seen.insert(u) {
            break;
        }
        chain.push(UnitId::new(u));
        current = parents.get(&u).copied().flatten();
    }
    chain
}

/// How many current primary assignments each of ours holds on `today`, portfolio-wide: of
/// everyone, or (holders of one account) of those holding its counterparts only.
async fn read_loads(
    conn: &mut AnyConnection,
    account: Option<AccountId>,
    staff: Staff,
    today: &str,
) -> Result<HashMap<i64, i64>> {
    // Holders of one account: their loads only, through the index on our_id.
    let holders_of = account.filter(|_| staff == Staff::Holders);
    let loads_sql = format!(
        "SELECT our_id, COUNT(*) FROM assignments WHERE kind = 'primary' AND valid_from <= $1 \
         AND (valid_to IS NULL OR valid_to >= $1) {} GROUP BY our_id",
        if holders_of.is_some() {
            "AND our_id IN (SELECT s.our_id FROM assignments s \
             JOIN key_contacts k ON k.person_id = s.partner_id WHERE k.account_id = $2)"
        } else {
            ""
        }
    );
    let mut loads_query = sqlx::query_as(&loads_sql).bind(today);
    if let Some(account) = holders_of {
        loads_query = loads_query.bind(account.get());
    }
    let loads: Vec<(i64, i64)> = loads_query.fetch_all(conn).await?;
    Ok(loads.into_iter().collect())
}

/// The active people of ours the input carries (`staff`), as one JSON array.
async fn read_our_people(
    conn: &mut AnyConnection,
    backend: crate::Backend,
    account: Option<AccountId>,
    staff: Staff,
    today: &str,
) -> Result<Vec<PersonJson>> {
    // The holders of one account are a few dozen people found by id: `+` keeps SQLite (which
    // has no statistics) from reading every person of ours by the organization index and
    // checking each against them (20,000 people, most of an account briefing's time).
    let organization = match (staff, account) {
        (Staff::Holders, Some(_)) => "+p.organization_id",
        _ => "p.organization_id",
    };
    let people_sql = format!(
        "SELECT {} FROM persons p JOIN organizations o ON o.id = {organization} \
         LEFT JOIN levels l ON l.id = p.level_id LEFT JOIN functions f ON f.id = p.function_id \
         WHERE o.kind = 'own' AND p.active = 1 {}",
        dialect::json_rows(
            backend,
            "p.id, l.rank, COALESCE(f.is_assistant, 0), p.assistant_of_id, p.unit_id, p.capacity"
        ),
        // Holders: $1 is the day; for one account, $2 is it (a direct filter lets the index
        // on key contacts' accounts do the work).
        match (staff, account) {
            (Staff::All, _) => "",
            (Staff::Holders, None) => {
                "AND p.id IN (SELECT s.our_id FROM assignments s \
                 JOIN key_contacts k ON k.person_id = s.partner_id \
                 WHERE s.valid_from <= $1 AND (s.valid_to IS NULL OR s.valid_to >= $1))"
            }
            (Staff::Holders, Some(_)) => {
                "AND p.id IN (SELECT s.our_id FROM assignments s \
                 JOIN key_contacts k ON k.person_id = s.partner_id \
                 WHERE k.account_id = $2 AND s.valid_from <= $1 \
                 AND (s.valid_to IS NULL OR s.valid_to >= $1))"
            }
        }
    );
    let mut people_query = sqlx::query_as(&people_sql);
    if staff == Staff::Holders {
        people_query = people_query.bind(today);
        if let Some(account) = account {
            people_query = people_query.bind(account.get());
        }
    }
    let (people_json,): (String,) = people_query.fetch_one(conn).await?;
    Ok(json::<PersonJson>(&people_json)?)
}

impl Store {
    /// The mirror's input: for one account, with the people of ours who hold its counterparts
    /// (enough to analyse and draw it); for the whole portfolio (`None`), with every active
    /// person of ours, the candidates for suggestions. Both with our unit tree.
    pub async fn mirror_input(&self, account: Option<AccountId>) -> Result<MirrorInput> {
        let today = crate::now().date_naive();
        let staff = if account.is_some() {
            Staff::Holders
        } else {
            Staff::All
        };
        let mut conn = self.pool().acquire().await?;
        input_on(&mut conn, self.backend(), account, staff, today).await
    }

    /// What a suggestion for one account needs: that account, with every active person of
    /// ours as a candidate (their loads count portfolio-wide).
    pub async fn suggestion_input(&self, account: AccountId) -> Result<MirrorInput> {
        let today = crate::now().date_naive();
        let mut conn = self.pool().acquire().await?;
        input_on(&mut conn, self.backend(), Some(account), Staff::All, today).await
    }
}
