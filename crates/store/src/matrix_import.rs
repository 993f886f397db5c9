//! Importing a KAM matrix workbook (the layout of the export, perhaps edited by the team):
//! accounts, key people, our counterparts and ratings, in one transaction, all or nothing.
//!
//! Names are matched as written (umlaut-folded): an account by its name, a key person by their
//! name inside the account's organization, one of ours by their name in our own house. An
//! account or key person not found is created (a new key person at the level of the column);
//! one of ours must exist (the org chart comes from the HR import). Every name that cannot be
//! resolved is reported with its cell.

use std::collections::HashMap;

use chrono::NaiveDate;
use counterpart_core::account::{
    AccountInput, AssignmentInput, AssignmentKind, DecisionRole, KeyContactInput, ManagementMode,
    RatingInput, Relation, Stance,
};
use counterpart_core::ids::{AccountId, AssignmentId, LevelId, OrganizationId, PersonId};
use counterpart_core::matrix_xlsx::{CellCounterpart, MatrixLine};
use counterpart_core::org::{OrganizationInput, OrganizationKind};
use counterpart_core::person::PersonInput;
use counterpart_core::text::fold;
use serde::Serialize;
use sqlx::{AnyConnection, Row};

use crate::accounts::{add_key_contact_on, create_account_on, own_org};
use crate::counterparts::{assign_on, rate_on};
use crate::db::Store;
use crate::error::{Result, StoreError};
use crate::orgs::create_organization_on;
use crate::people::create_person_on;
use crate::{Actor, Visibility};

/// A name in the workbook that cannot be resolved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MatrixProblem {
    /// The cell, e.g. "C7".
    pub cell: String,
    /// The name as written.
    pub name: String,
    /// What is wrong.
    pub kind: MatrixProblemKind,
}

/// What is wrong with a name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatrixProblemKind {
    /// Nobody of ours has this name.
    OursNotFound,
    /// Several of ours have this name.
    OursAmbiguous,
    /// Several key people of the account's organization have this name.
    PersonAmbiguous,
    /// The account's name is our own organization's.
    OwnOrganization,
    /// The account's name is taken by an account the importing user may not see (a
    /// restricted one): the import may not write into it, nor create a second of that name.
    AccountTaken,
}

/// What a matrix import did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct MatrixImportOutcome {
    /// Accounts (with their organizations) created.
    pub accounts: usize,
    /// Partner people created.
    pub people: usize,
    /// Key contacts added.
    pub key_contacts: usize,
    /// Counterpart assignments made.
    pub assignments: usize,
    /// Ratings recorded.
    pub ratings: usize,
}

/// People of one organization by folded display name.
async fn names(
    conn: &mut AnyConnection,
    org: OrganizationId,
) -> Result<HashMap<String, Vec<PersonId>>> {
    let rows = sqlx::query(
        "SELECT id, academic_title, given_name, family_name FROM persons WHERE organization_id = $1 AND active = 1",
    )
    .bind(org.get())
    .fetch_all(conn)
    .await?;
    let mut out: HashMap<String, Vec<PersonId>> = HashMap::new();
    for row in &rows {
        let title: Option<String> = row.try_get("academic_title")?;
        let given: Option<String> = row.try_get("given_name")?;
        let family: String = row.try_get("family_name")?;
        let id = PersonId::new(row.try_get("id")?);
        // Both "Dr. Ulrike Wößner" and "Ulrike Wößner" find her.
        let full = fold(&counterpart_core::person::display_name(
            title.as_deref(),
            given.as_deref(),
            &family,
        ));
        let plain = fold(&counterpart_core::person::display_name(
            None,
            given.as_deref(),
            &family,
        ));
        out.entry(full.clone()).or_default().push(id);
        if plain != full {
            out.entry(plain).or_default().push(id);
        }
    }
    Ok(out)
}

/// Splits a written name into title, given and family name: leading words ending in "." are
/// the title, the last word the family name (or "von …" / "van …" with what follows).
fn split_name(name: &str) -> (Option<String>, Option<String>, String) {
    let words: Vec<&str> = name.split_whitespace().collect();
    let titles = words
        .iter()
        .take_while(|w| w.ends_with('.'))
        .count()
        .min(words.len().saturating_sub(1));
    let rest = &words[titles..];
    let family_start = rest
        .iter()
        .position(|w| ["von", "van", "de", "zu"].contains(w))
        .filter(|i| *i > 0)
        .unwrap_or(rest.len().saturating_sub(1));
    let title = (titles > 0).then(|| words[..titles].join(" "));
    let given = (family_start > 0).then(|| rest[..family_start].join(" "));
    (title, given, rest[family_start..].join(" "))
}

/// Imports matrix lines in one transaction; with any problem nothing is written.
async fn import_on(
    tx: &mut AnyConnection,
    (actor, seen): (&Actor, &Visibility),
    lines: &[MatrixLine],
    today: NaiveDate,
) -> Result<std::result::Result<MatrixImportOutcome, Vec<MatrixProblem>>> {
    let (ours, own_name) = our_people(&mut *tx).await?;
    // Check every name of ours before writing anything.
    let mut problems = check_names(lines, &ours, &own_name);
    problems.extend(hidden_names(&mut *tx, lines, seen).await?);
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    let mut import = MatrixWriter::start(tx, actor, today, ours).await?;
    for line in lines {
        let (account, org) = import.account(line).await?;
        let person = match import.key_person(line, org).await? {
            Ok(person) => person,
            Err(problem) => return Ok(Err(vec![problem])),
        };
        import.key_contact(line, account, person).await?;
        for c in &line.counterparts {
            import.counterpart(c, person).await?;
        }
    }
    Ok(Ok(import.outcome))
}

/// The lines naming an account the importer may not see.
async fn hidden_names(
    tx: &mut AnyConnection,
    lines: &[MatrixLine],
    seen: &Visibility,
) -> Result<Vec<MatrixProblem>> {
    let (visible, hidden) = seen.accounts("id", 1);
    if hidden.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!("SELECT name FROM accounts WHERE NOT {visible}");
    let names: Vec<(String,)> = hidden
        .into_iter()
        .fold(sqlx::query_as(&sql), |q, id| q.bind(id))
        .fetch_all(&mut *tx)
        .await?;
    let taken: std::collections::HashSet<String> =
        names.into_iter().map(|(name,)| fold(&name)).collect();
    Ok(lines
        .iter()
        .filter(|line| taken.contains(&fold(&line.account)))
        .map(|line| MatrixProblem {
            cell: line.cell.clone(),
            name: line.account.clone(),
            kind: MatrixProblemKind::AccountTaken,
        })
        .collect())
}

/// Our people by folded name, and our own organization's name. Without an own organization,
/// nobody of ours can be found: every counterpart is reported.
async fn our_people(tx: &mut AnyConnection) -> Result<(HashMap<String, Vec<PersonId>>, String)> {
    let Some(own) = own_org(&mut *tx).await? else {
        return Ok((HashMap::new(), String::new()));
    };
    let (name,): (String,) = sqlx::query_as("SELECT name FROM organizations WHERE id = $1")
        .bind(own.get())
        .fetch_one(&mut *tx)
        .await?;
    Ok((names(tx, own).await?, name))
}

/// The problems of the names of ours in `lines`: an account named like our own
/// organization, a counterpart nobody or several of `ours` are called.
fn check_names(
    lines: &[MatrixLine],
    ours: &HashMap<String, Vec<PersonId>>,
    own_name: &str,
) -> Vec<MatrixProblem> {
    let mut problems = Vec::new();
    for line in lines {
        if !own_name.is_empty() && fold(&line.account) == fold(own_name) {
            problems.push(MatrixProblem {
                cell: line.cell.clone(),
                name: line.account.clone(),
                kind: MatrixProblemKind::OwnOrganization,
            });
        }
        for c in &line.counterparts {
            let kind = match ours.get(&fold(&c.name)).map(Vec::len) {
                Some(1) => continue,
                Some(_) => MatrixProblemKind::OursAmbiguous,
                None => MatrixProblemKind::OursNotFound,
            };
            problems.push(MatrixProblem {
                cell: line.cell.clone(),
                name: c.name.clone(),
                kind,
            });
        }
    }
    problems
}

/// A matrix import writing its lines, with the names it has resolved so far.
struct MatrixWriter<'t> {
    /// The import's transaction.
    tx: &'t mut AnyConnection,
    /// Who imports.
    actor: &'t Actor,
    /// The day new key people start and assignments and ratings are dated.
    today: NaiveDate,
    /// Our people by folded name (each name checked to be one person).
    ours: HashMap<String, Vec<PersonId>>,
    /// Level ids by rank, for new key people.
    levels: HashMap<i64, LevelId>,
    /// Accounts (with their organizations) by folded name, those created included.
    by_name: HashMap<String, (AccountId, OrganizationId)>,
    /// The people of each partner organization met so far, by folded name.
    partner_names: HashMap<OrganizationId, HashMap<String, Vec<PersonId>>>,
    /// What was written so far.
    outcome: MatrixImportOutcome,
}

impl<'t> MatrixWriter<'t> {
    /// Reads the levels and the accounts the lines are matched against.
    async fn start(
        tx: &'t mut AnyConnection,
        actor: &'t Actor,
        today: NaiveDate,
        ours: HashMap<String, Vec<PersonId>>,
    ) -> Result<Self> {
        let levels: HashMap<i64, LevelId> = crate::ladder::levels_on(&mut *tx)
            .await?
            .into_iter()
            .map(|l| (l.rank, l.id))
            .collect();
        let accounts: Vec<(i64, String, i64)> =
            sqlx::query_as("SELECT id, name, organization_id FROM accounts")
                .fetch_all(&mut *tx)
                .await?;
        let by_name = accounts
            .into_iter()
            .map(|(id, name, org)| (fold(&name), (AccountId::new(id), OrganizationId::new(org))))
            .collect();
        Ok(Self {
            tx,
            actor,
            today,
            ours,
            levels,
            by_name,
            partner_names: HashMap::new(),
            outcome: MatrixImportOutcome::default(),
        })
    }

    /// The line's account and its organization, created when no account has its name.
    async fn account(&mut self, line: &MatrixLine) -> Result<(AccountId, OrganizationId)> {
        let key = fold(&line.account);
        if let Some(found) = self.by_name.get(&key) {
            return Ok(*found);
        }
        let input = OrganizationInput {
            name: line.account.clone(),
            kind: OrganizationKind::External,
            notes: None,
        };
        // An organization of that name without an account is used, else one is created.
        // (Checked first: on PostgreSQL a failed statement ends the transaction.)
        let existing: Option<(i64,)> =
            sqlx::query_as("SELECT id FROM organizations WHERE lower(name) = lower($1)")
                .bind(&line.account)
                .fetch_optional(&mut *self.tx)
                .await?;
        let org = match existing {
            Some((id,)) => OrganizationId::new(id),
            None => {
                create_organization_on(&mut *self.tx, self.actor, &input)
                    .await?
                    .id
            }
        };
        let input = AccountInput {
            name: Some(line.account.clone()),
            organization_id: org,
            unit_id: None,
            relation: Relation::Customer,
            mode: ManagementMode::Hierarchical,
            responsible_unit_id: None,
            manager_id: None,
            notes: None,
            restricted: false,
        };
        let account = create_account_on(&mut *self.tx, self.actor, &input)
            .await?
            .id;
        self.outcome.accounts += 1;
        self.by_name.insert(key, (account, org));
        Ok((account, org))
    }

    /// The line's key person in `org`, created (at the level of the line's column) when
    /// nobody there has the name; a problem when several have it.
    async fn key_person(
        &mut self,
        line: &MatrixLine,
        org: OrganizationId,
    ) -> Result<std::result::Result<PersonId, MatrixProblem>> {
        if let std::collections::hash_map::Entry::Vacant(e) = self.partner_names.entry(org) {
            e.insert(names(&mut *self.tx, org).await?);
        }
        let known = self
            .partner_names
            .get_mut(&org)
            .map(|m| m.get(&fold(&line.person)).cloned())
            .unwrap_or_default();
        match known.as_deref() {
            Some([one]) => return Ok(Ok(*one)),
            Some(_) => {
                return Ok(Err(MatrixProblem {
                    cell: line.cell.clone(),
                    name: line.person.clone(),
                    kind: MatrixProblemKind::PersonAmbiguous,
                }));
            }
            None => {}
        }
        let (title, given, family) = split_name(&line.person);
        let input = PersonInput {
            given_name: given,
            family_name: family,
            academic_title: title,
            job_title: None,
            level_id: line.level_rank.and_then(|r| self.levels.get(&r).copied()),
            function_id: None,
            unit_id: None,
            reports_to_id: None,
            assistant_of_id: None,
            email: None,
            phone: None,
            mobile: None,
            notes: None,
        };
        let created = create_person_on(&mut *self.tx, self.actor, org, &input, self.today)
            .await?
            .id;
        self.outcome.people += 1;
        if let Some(map) = self.partner_names.get_mut(&org) {
            map.entry(fold(&line.person)).or_default().push(created);
        }
        Ok(Ok(created))
    }

    /// Makes the person a key contact of the account (with the line's role), unless they are.
    async fn key_contact(
        &mut self,
        line: &MatrixLine,
        account: AccountId,
        person: PersonId,
    ) -> Result<()> {
        let already: Option<(i64,)> =
            sqlx::query_as("SELECT id FROM key_contacts WHERE account_id = $1 AND person_id = $2")
                .bind(account.get())
                .bind(person.get())
                .fetch_optional(&mut *self.tx)
                .await?;
        if already.is_none() {
            let contact = KeyContactInput {
                person_id: person,
                role: line.role.unwrap_or(DecisionRole::Other),
                stance: Stance::Neutral,
                influence: 3,
            };
            add_key_contact_on(&mut *self.tx, self.actor, account, &contact).await?;
            self.outcome.key_contacts += 1;
        }
        Ok(())
    }

    /// Makes one of ours (`c`) the key person's counterpart, unless they are, and records the
    /// cell's rating when it differs from the latest.
    async fn counterpart(&mut self, c: &CellCounterpart, person: PersonId) -> Result<()> {
        let our = self.ours[&fold(&c.name)][0];
        let current: Option<(i64, Option<i64>)> = sqlx::query_as(
            "SELECT id, latest_relationship FROM assignments WHERE partner_id = $1 AND our_id = $2 AND valid_to IS NULL",
        )
        .bind(person.get())
        .bind(our.get())
        .fetch_optional(&mut *self.tx)
        .await?;
        let (assignment, latest) = match current {
            Some((id, latest)) => (AssignmentId::new(id), latest),
            None => {
                let input = AssignmentInput {
                    partner_id: person,
                    our_id: our,
                    kind: c.kind,
                    valid_from: self.today,
                };
                // assign_on checks in Rust (no failing statement): a primary that cannot end
                // a current one starting today is left as it is.
                match assign_on(&mut *self.tx, self.actor, &input).await {
                    Ok(a) => {
                        self.outcome.assignments += 1;
                        (a.id, None)
                    }
                    Err(StoreError::Invalid(_)) if c.kind == AssignmentKind::Primary => {
                        return Ok(());
                    }
                    Err(e) => return Err(e),
                }
            }
        };
        if let Some(rating) = c.rating.filter(|r| Some(*r) != latest) {
            let input = RatingInput {
                rated_on: self.today,
                relationship: rating,
                partnership: rating,
                satisfaction: rating,
                comment: None,
            };
            rate_on(&mut *self.tx, self.actor, assignment, &input).await?;
            self.outcome.ratings += 1;
        }
        Ok(())
    }
}

impl Store {
    /// Imports the lines of a matrix workbook in one transaction. `Ok(Err(problems))` when a
    /// name cannot be resolved: then nothing was written. With `commit = false` it is a dry
    /// run: everything is done and rolled back, so the outcome says what an import would do.
    /// A line naming an account the importer does not see (`seen`) is a problem.
    pub async fn import_matrix(
        &self,
        actor: &Actor,
        lines: &[MatrixLine],
        commit: bool,
        seen: &Visibility,
    ) -> Result<std::result::Result<MatrixImportOutcome, Vec<MatrixProblem>>> {
        let mut tx = self.write().await?;
        let today = crate::now().date_naive();
        let outcome = import_on(&mut tx, (actor, seen), lines, today).await?;
        if commit && outcome.is_ok() {
            crate::jobs::enqueue_on(
                &mut tx,
                crate::jobs::Job::MirrorScores(crate::jobs::Accounts::All),
            )
            .await?;
            tx.commit().await?;
        }
        // Otherwise the transaction is dropped: rolled back.
        Ok(outcome)
    }
}

#[cfg(test)]
mod tests {
    use super::split_name;

    #[test]
    fn names_split_into_title_given_and_family() {
        assert_eq!(
            split_name("Dr. Ulrike Wößner"),
            (Some("Dr.".into()), Some("Ulrike".into()), "Wößner".into())
        );
        assert_eq!(
            split_name("Prof. Dr. Heinrich Brandt").0.as_deref(),
            Some("Prof. Dr.")
        );
        assert_eq!(split_name("Dr. Constanze von Lüttichau").2, "von Lüttichau");
        assert_eq!(split_name("Müller"), (None, None, "Müller".into()));
    }
}
