//! Loading a generated dataset (the "enterprise" benchmark data, the demo) into an empty
//! database.

use std::collections::HashMap;

use counterpart_core::account::Relation;
use counterpart_core::audit::{AuditAction, EntityKind};
use counterpart_core::generate::Dataset;
use counterpart_core::ids::{AccountId, CriterionId, UserId};
use counterpart_core::importance::{Criterion, CriterionRating, Scope, Tiers, score};
use counterpart_core::person::search_text;

use super::insert::{Value, insert_rows};
use crate::audit::{Change, record};
use crate::db::Store;
use crate::error::{Refusal, Result, StoreError};
use crate::time::{date_to_db, to_db};
use crate::{Actor, dialect};

/// What a bulk load wrote.
#[derive(Clone, Debug, Default)]
pub struct LoadReport {
    /// Rows per table, in load order.
    pub rows: Vec<(&'static str, usize)>,
}

impl LoadReport {
    /// All rows together.
    pub fn total(&self) -> usize {
        self.rows.iter().map(|(_, n)| n).sum()
    }
}

impl Store {
    /// Loads a generated dataset into an empty database in one transaction, with the demo
    /// logins (password "demo") linked to the top people of our house. Writes one audit entry
    /// for the whole load rather than one per row.
    pub async fn load_generated(&self, data: &Dataset, label: &str) -> Result<LoadReport> {
        if !self.is_empty().await? {
            return Err(StoreError::Refused(Refusal::DatabaseNotEmpty));
        }
        self.seed_defaults().await?;
        let levels: HashMap<i64, i64> = self
            .levels()
            .await?
            .into_iter()
            .map(|l| (l.rank, l.id.get()))
            .collect();
        let functions: HashMap<String, i64> = self
            .functions()
            .await?
            .into_iter()
            .map(|f| (f.key, f.id.get()))
            .collect();
        let hash = self.hash_password("demo").await?;
        let now = to_db(crate::now());
        let mut report = LoadReport::default();
        let mut tx = self.write().await?;

        let n = insert_rows(
            &mut tx,
            self.backend(),
            "organizations",
            &["id", "name", "kind", "created_at", "updated_at"],
            data.organizations.iter().map(|o| {
                vec![
                    o.id.into(),
                    o.name.as_str().into(),
                    o.kind.into(),
                    now.clone().into(),
                    now.clone().into(),
                ]
            }),
        )
        .await?;
        report.rows.push(("organizations", n));
        let n = insert_rows(
            &mut tx,
            self.backend(),
            "units",
            &[
                "id",
                "organization_id",
                "parent_id",
                "name",
                "kind",
                "created_at",
                "updated_at",
            ],
            data.units.iter().map(|u| {
                vec![
                    u.id.into(),
                    u.organization_id.into(),
                    u.parent_id.into(),
                    u.name.as_str().into(),
                    u.kind.into(),
                    now.clone().into(),
                    now.clone().into(),
                ]
            }),
        )
        .await?;
        report.rows.push(("units", n));
        let n = insert_rows(
            &mut tx,
            self.backend(),
            "persons",
            &[
                "id",
                "organization_id",
                "unit_id",
                "given_name",
                "family_name",
                "job_title",
                "level_id",
                "function_id",
                "reports_to_id",
                "assistant_of_id",
                "email",
                "search_text",
                "created_at",
                "updated_at",
            ],
            data.people.iter().map(|p| {
                vec![
                    p.id.into(),
                    p.organization_id.into(),
                    p.unit_id.into(),
                    p.given_name.into(),
                    p.family_name.into(),
                    p.job_title.as_str().into(),
                    levels.get(&p.level_rank).copied().into(),
                    functions.get(p.function).copied().into(),
                    p.reports_to.into(),
                    p.assistant_of.into(),
                    p.email.as_str().into(),
                    search_text(
                        p.family_name,
                        Some(p.given_name),
                        Some(&p.job_title),
                        Some(&p.email),
                    )
                    .into(),
                    now.clone().into(),
                    now.clone().into(),
                ]
            }),
        )
        .await?;
        report.rows.push(("persons", n));
        let n = insert_rows(
            &mut tx,
            self.backend(),
            "positions",
            &[
                "id",
                "person_id",
                "organization_id",
                "unit_id",
                "job_title",
                "level_id",
                "valid_from",
            ],
            data.people.iter().map(|p| {
                vec![
                    p.id.into(),
                    p.id.into(),
                    p.organization_id.into(),
                    p.unit_id.into(),
                    p.job_title.as_str().into(),
                    levels.get(&p.level_rank).copied().into(),
                    date_to_db(p.since).into(),
                ]
            }),
        )
        .await?;
        report.rows.push(("positions", n));

        // The demo logins, linked to the first people of our house by rank.
        let ours: Vec<&counterpart_core::generate::GenPerson> = data
            .people
            .iter()
            .filter(|p| p.organization_id == 1)
            .collect();
        let demo_users = counterpart_core::demo::users();
        let mut user_ids = Vec::new();
        for (i, user) in demo_users.iter().enumerate() {
            let rank = match i {
                0 => 1,
                1 => 3,
                _ => 5,
            };
            let person = ours
                .iter()
                .filter(|p| p.level_rank == rank)
                .nth(i.saturating_sub(2));
            let id = i as i64 + 1;
            insert_rows(
                &mut tx,
                self.backend(),
                "users",
                &[
                    "id",
                    "username",
                    "display_name",
                    "password_hash",
                    "role",
                    "person_id",
                    "created_at",
                ],
                [vec![
                    id.into(),
                    user.username.into(),
                    person
                        .map(|p| {
                            counterpart_core::person::display_name(
                                None,
                                Some(p.given_name),
                                p.family_name,
                            )
                        })
                        .unwrap_or_else(|| user.username.to_owned())
                        .into(),
                    hash.as_str().into(),
                    user.role.as_str().into(),
                    person.map(|p| p.id).into(),
                    now.clone().into(),
                ]],
            )
            .await?;
            user_ids.push(UserId::new(id));
        }

        // Criteria and importance, with scores computed the same way as interactive ratings.
        let mut criteria = Vec::new();
        for (i, (de, en, dde, den, scope, weight)) in
            counterpart_core::demo::criteria().into_iter().enumerate()
        {
            criteria.push(Criterion {
                id: CriterionId::new(i as i64 + 1),
                name_de: de.into(),
                name_en: en.into(),
                description_de: dde.into(),
                description_en: den.into(),
                scope: scope.parse().unwrap_or(Scope::All),
                weight,
                rank: i as i64 + 1,
                version: 1,
            });
        }
        insert_rows(
            &mut tx,
            self.backend(),
            "criteria",
            &[
                "id",
                "name_de",
                "name_en",
                "description_de",
                "description_en",
                "scope",
                "weight",
                "rank",
            ],
            criteria.iter().map(|c| {
                vec![
                    c.id.get().into(),
                    c.name_de.as_str().into(),
                    c.name_en.as_str().into(),
                    c.description_de.as_str().into(),
                    c.description_en.as_str().into(),
                    c.scope.as_str().into(),
                    Value::F(c.weight),
                    c.rank.into(),
                ]
            }),
        )
        .await?;
        let mut by_account: HashMap<i64, Vec<CriterionRating>> = HashMap::new();
        for &(account, criterion, member, value) in &data.importance {
            by_account
                .entry(account)
                .or_default()
                .push(CriterionRating {
                    account_id: AccountId::new(account),
                    criterion_id: criteria[criterion].id,
                    user_id: user_ids[member],
                    user_name: String::new(),
                    score: value,
                });
        }
        let kinds: HashMap<i64, &str> = data.organizations.iter().map(|o| (o.id, o.kind)).collect();
        let tiers = Tiers::default();
        let scores: HashMap<i64, (f64, &'static str)> = data
            .accounts
            .iter()
            .filter_map(|a| {
                let relation: Relation = a.relation.parse().ok()?;
                let internal = kinds.get(&a.organization_id) == Some(&"internal");
                let ratings = by_account.get(&a.id).map_or(&[][..], Vec::as_slice);
                let s = score(&criteria, ratings, relation, internal, &tiers)?;
                Some((a.id, ((s.value * 10.0).round() / 10.0, s.tier.as_str())))
            })
            .collect();
        let n = insert_rows(
            &mut tx,
            self.backend(),
            "accounts",
            &[
                "id",
                "organization_id",
                "name",
                "relation",
                "mode",
                "responsible_unit_id",
                "manager_id",
                "score",
                "tier",
                "created_at",
                "updated_at",
            ],
            data.accounts.iter().map(|a| {
                let (score, tier) = scores.get(&a.id).copied().unzip();
                vec![
                    a.id.into(),
                    a.organization_id.into(),
                    a.name.as_str().into(),
                    a.relation.into(),
                    a.mode.into(),
                    a.responsible_unit_id.into(),
                    a.manager_id.into(),
                    score.map_or(Value::NullF, Value::F),
                    tier.map(str::to_owned).into(),
                    now.clone().into(),
                    now.clone().into(),
                ]
            }),
        )
        .await?;
        report.rows.push(("accounts", n));
        insert_rows(
            &mut tx,
            self.backend(),
            "score_history",
            &["account_id", "at", "score", "tier"],
            data.accounts.iter().filter_map(|a| {
                let (score, tier) = scores.get(&a.id)?;
                Some(vec![
                    a.id.into(),
                    now.clone().into(),
                    Value::F(*score),
                    (*tier).into(),
                ])
            }),
        )
        .await?;
        let n = insert_rows(
            &mut tx,
            self.backend(),
            "criterion_ratings",
            &[
                "account_id",
                "criterion_id",
                "user_id",
                "score",
                "updated_at",
            ],
            by_account.values().flatten().map(|r| {
                vec![
                    r.account_id.get().into(),
                    r.criterion_id.get().into(),
                    r.user_id.get().into(),
                    r.score.into(),
                    now.clone().into(),
                ]
            }),
        )
        .await?;
        report.rows.push(("criterion_ratings", n));
        let n = insert_rows(
            &mut tx,
            self.backend(),
            "key_contacts",
            &[
                "id",
                "account_id",
                "person_id",
                "role",
                "stance",
                "influence",
            ],
            data.key_contacts.iter().map(|k| {
                vec![
                    k.id.into(),
                    k.account_id.into(),
                    k.person_id.into(),
                    k.role.into(),
                    k.stance.into(),
                    k.influence.into(),
                ]
            }),
        )
        .await?;
        report.rows.push(("key_contacts", n));
        let mut latest: HashMap<i64, (i64, chrono::NaiveDate)> = HashMap::new();
        for r in &data.ratings {
            latest.insert(r.assignment_id, (r.relationship, r.rated_on));
        }
        let n = insert_rows(
            &mut tx,
            self.backend(),
            "assignments",
            &[
                "id",
                "partner_id",
                "our_id",
                "kind",
                "valid_from",
                "valid_to",
                "latest_relationship",
                "latest_rated_on",
            ],
            data.assignments.iter().map(|a| {
                let (rating, on) = latest.get(&a.id).copied().unzip();
                vec![
                    a.id.into(),
                    a.partner_id.into(),
                    a.our_id.into(),
                    a.kind.into(),
                    date_to_db(a.valid_from).into(),
                    a.valid_to.map(date_to_db).into(),
                    rating.into(),
                    on.map(date_to_db).into(),
                ]
            }),
        )
        .await?;
        report.rows.push(("assignments", n));
        let n = insert_rows(
            &mut tx,
            self.backend(),
            "ratings",
            &[
                "id",
                "assignment_id",
                "rated_on",
                "relationship",
                "partnership",
                "satisfaction",
                "rated_by_name",
                "created_at",
            ],
            data.ratings.iter().map(|r| {
                vec![
                    r.id.into(),
                    r.assignment_id.into(),
                    date_to_db(r.rated_on).into(),
                    r.relationship.into(),
                    r.partnership.into(),
                    r.satisfaction.into(),
                    "Generator".into(),
                    now.clone().into(),
                ]
            }),
        )
        .await?;
        report.rows.push(("ratings", n));

        for table in crate::registry::dumped().filter(|t| t.has_identity()) {
            if let Some(sql) = dialect::reset_identity(self.backend(), table.name) {
                sqlx::query(&sql).execute(&mut *tx).await?;
            }
        }
        sqlx::query("INSERT INTO meta (key, value) VALUES ($1, $2)")
            .bind("demo_dataset")
            .bind(label)
            .execute(&mut *tx)
            .await?;
        let summary: HashMap<&str, usize> = report.rows.iter().copied().collect();
        let change = Change {
            entity: EntityKind::Organization,
            id: 1,
            action: AuditAction::Create,
            label,
        };
        record(&mut tx, &Actor::system(), change, None, Some(&summary)).await?;
        crate::jobs::enqueue_on(
            &mut tx,
            crate::jobs::Job::MirrorScores(crate::jobs::Accounts::All),
        )
        .await?;
        tx.commit().await?;
        Ok(report)
    }
}
