//! Embedded migrations, one text for both backends, never edited once released.

use sqlx::Executor;

use crate::db::{Backend, Store};
use crate::dialect::{self, Serialized};
use crate::error::{Result, StoreError};

/// The migrations, in order: (version, name, SQL with dialect tokens).
const MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "foundation",
        include_str!("../migrations/0001_foundation.sql"),
    ),
    (
        2,
        "accounts",
        include_str!("../migrations/0002_accounts.sql"),
    ),
    (
        3,
        "import_uploads",
        include_str!("../migrations/0003_import_uploads.sql"),
    ),
    (4, "mirror", include_str!("../migrations/0004_mirror.sql")),
    (5, "search", include_str!("../migrations/0005_search.sql")),
    (
        6,
        "hardening",
        include_str!("../migrations/0006_hardening.sql"),
    ),
    (7, "jobs", include_str!("../migrations/0007_jobs.sql")),
    (8, "users", include_str!("../migrations/0008_users.sql")),
    (
        9,
        "insights",
        include_str!("../migrations/0009_insights.sql"),
    ),
    (
        10,
        "interactions",
        include_str!("../migrations/0010_interactions.sql"),
    ),
    (
        11,
        "contact_intervals",
        include_str!("../migrations/0011_contact_intervals.sql"),
    ),
    (
        12,
        "feed_tokens_and_digest_mails",
        include_str!("../migrations/0012_feed_tokens.sql"),
    ),
    (
        13,
        "contact_participants",
        include_str!("../migrations/0013_contact_participants.sql"),
    ),
    (
        14,
        "knowledge_search",
        include_str!("../migrations/0014_knowledge_search.sql"),
    ),
    (
        15,
        "findings",
        include_str!("../migrations/0015_findings.sql"),
    ),
    (
        16,
        "knowledge_indexes",
        include_str!("../migrations/0016_knowledge_indexes.sql"),
    ),
    (
        17,
        "name_search",
        include_str!("../migrations/0017_name_search.sql"),
    ),
    (
        18,
        "mirror_brief",
        include_str!("../migrations/0018_mirror_brief.sql"),
    ),
    (
        19,
        "jour_fixe",
        include_str!("../migrations/0019_jour_fixe.sql"),
    ),
    (
        20,
        "guiding_questions",
        include_str!("../migrations/0020_guiding_questions.sql"),
    ),
    (
        21,
        "access_tokens",
        include_str!("../migrations/0021_access_tokens.sql"),
    ),
    (
        22,
        "sessions_and_second_factor",
        include_str!("../migrations/0022_sessions_and_second_factor.sql"),
    ),
    (
        23,
        "restricted_accounts",
        include_str!("../migrations/0023_restricted_accounts.sql"),
    ),
    (
        24,
        "unit_search",
        include_str!("../migrations/0024_unit_search.sql"),
    ),
    (
        25,
        "person_indexes",
        include_str!("../migrations/0025_person_indexes.sql"),
    ),
    (
        26,
        "persons_created",
        include_str!("../migrations/0026_persons_created.sql"),
    ),
];

/// A stable checksum (FNV-1a, 64 bit) of a migration's text, to notice edits after release.
fn checksum(sql: &str) -> String {
    let hash = sql.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{hash:016x}")
}

/// Splits a migration into statements at semicolons that end a line, dropping comments.
fn statements(sql: &str) -> impl Iterator<Item = String> + '_ {
    sql.split(";\n")
        .map(|chunk| {
            chunk
                .lines()
                .filter(|l| !l.trim_start().starts_with("--"))
                .collect::<Vec<_>>()
                .join("\n")
                .trim()
                .trim_end_matches(';')
                .trim()
                .to_owned()
        })
        .filter(|s| !s.is_empty())
}

impl Store {
    /// Applies the migrations this database lacks, each in its own transaction, and returns how
    /// many were applied. Refuses to run on a database that was migrated by a newer version or
    /// whose applied migrations differ from the embedded ones.
    pub async fn migrate(&self) -> Result<usize> {
        let mut applied = 0;
        // The contact log's search text came with migration 11; older rows get it once, when
        // that migration is applied, not at every start.
        let mut contacts_to_fold = false;
        // The findings are recorded from migration 15 on; what is there then is not new.
        let mut findings_to_record = false;
        {
            let mut tx = self.write().await?;
            tx.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (\
                 version BIGINT PRIMARY KEY, name TEXT NOT NULL, \
                 checksum TEXT NOT NULL, applied_at TEXT NOT NULL)",
            )
            .await?;
            tx.commit().await?;
        }
        for &(version, name, sql) in MIGRATIONS {
            let mut tx = self.write().await?;
            if let Some(lock) = dialect::serialize(self.backend(), Serialized::Migrations) {
                tx.execute(lock.as_str()).await?;
            }
            let existing: Option<(String,)> =
                sqlx::query_as("SELECT checksum FROM schema_migrations WHERE version = $1")
                    .bind(version)
                    .fetch_optional(&mut *tx)
                    .await?;
            match existing {
                Some((sum,)) if sum == checksum(sql) => continue,
                Some(_) => {
                    return Err(StoreError::Migration(format!(
                        "migration {version} ({name}) differs from the one applied to this database"
                    )));
                }
                None => {}
            }
            for statement in statements(&dialect::render_schema(self.backend(), sql)) {
                if let Some(statement) = dialect::for_backend(self.backend(), &statement) {
                    tx.execute(statement).await?;
                }
            }
            sqlx::query(
                "INSERT INTO schema_migrations (version, name, checksum, applied_at) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(version)
            .bind(name)
            .bind(checksum(sql))
            .bind(crate::time::to_db(crate::now()))
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            applied += 1;
            contacts_to_fold |= version == 11;
            findings_to_record |= version == 15;
        }
        let (newest,): (Option<i64>,) =
            sqlx::query_as("SELECT MAX(version) FROM schema_migrations")
                .fetch_one(self.pool())
                .await?;
        let known = MIGRATIONS.last().map_or(0, |m| m.0);
        if newest.unwrap_or(0) > known {
            return Err(StoreError::Migration(format!(
                "the database has schema version {}, this program knows up to {known}; \
                 use a newer counterpart",
                newest.unwrap_or(0)
            )));
        }
        if applied > 0 {
            tracing::info!(migrations.applied = applied, "database migrated");
        }
        if contacts_to_fold {
            self.fold_unsearchable_contacts().await?;
        }
        if findings_to_record {
            self.record_findings_baseline().await?;
        }
        self.fold_unsearchable_names().await?;
        // Accounts from before the mirror (schema 4) or its brief (schema 18), or created
        // without key contacts since the last start, get their scores now rather than with
        // their next change.
        let (unscored,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM accounts WHERE active = 1 \
             AND (mirror_score IS NULL OR mirror_brief IS NULL)",
        )
        .fetch_one(self.pool())
        .await?;
        if unscored > 0 {
            let mut tx = self.write().await?;
            crate::jobs::enqueue_on(
                &mut tx,
                crate::jobs::Job::MirrorScores(crate::jobs::Accounts::All),
            )
            .await?;
            tx.commit().await?;
        }
        Ok(applied)
    }

    /// Every foreign key of the schema: (table, column, referenced table).
    pub async fn schema_references(&self) -> Result<Vec<(String, String, String)>> {
        let rows: Vec<(String, String, String)> = match self.backend() {
            Backend::Sqlite => {
                sqlx::query_as(
                    "SELECT m.name, f.\"from\", f.\"table\" \
                     FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f \
                     WHERE m.type = 'table' ORDER BY m.name, f.\"from\"",
                )
                .fetch_all(self.pool())
                .await?
            }
            Backend::Postgres => {
                sqlx::query_as(
                    "SELECT tc.table_name::text, kcu.column_name::text, ccu.table_name::text \
                     FROM information_schema.table_constraints tc \
                     JOIN information_schema.key_column_usage kcu \
                       ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema \
                     JOIN information_schema.constraint_column_usage ccu \
                       ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema \
                     WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = current_schema() \
                     ORDER BY 1, 2",
                )
                .fetch_all(self.pool())
                .await?
            }
        };
        Ok(rows)
    }

    /// The columns of every table, normalized so that both backends can be compared:
    /// `(table, column, type, not_null)`. Used by the test that keeps the schemas in step.
    pub async fn schema_columns(&self) -> Result<Vec<(String, String, String, bool)>> {
        let rows: Vec<(String, String, String, i64)> = match self.backend() {
            Backend::Sqlite => {
                sqlx::query_as(
                    "SELECT m.name, p.name, lower(p.type), p.\"notnull\" + p.pk \
                     FROM sqlite_master m JOIN pragma_table_info(m.name) p \
                     WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' \
                     AND m.name NOT LIKE 'person_search%' AND m.name NOT LIKE 'insight_search%' \
                     AND m.name NOT LIKE 'contact_search%' \
                     ORDER BY m.name, p.name",
                )
                .fetch_all(self.pool())
                .await?
            }
            Backend::Postgres => {
                sqlx::query_as(
                    "SELECT table_name::text, column_name::text, data_type::text, \
                     CASE WHEN is_nullable = 'NO' THEN 1 ELSE 0 END::bigint \
                     FROM information_schema.columns WHERE table_schema = current_schema() \
                     ORDER BY table_name, column_name",
                )
                .fetch_all(self.pool())
                .await?
            }
        };
        Ok(rows
            .into_iter()
            .map(|(table, column, ty, not_null)| {
                let ty = match ty.as_str() {
                    "integer" | "bigint" => "integer",
                    "text" => "text",
                    "double precision" | "real" => "real",
                    "bytea" | "blob" => "blob",
                    other => other,
                };
                (table, column, ty.to_owned(), not_null > 0)
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn accounts_without_a_mirror_score_get_one_after_migrating() {
        let db = crate::testing::TestDb::sqlite().await;
        let store = &db.store;
        store.load_demo().await.unwrap();
        let scores = async || {
            let mut list: Vec<(i64, Option<f64>)> = store
                .accounts(&Default::default(), &crate::Visibility::everything())
                .await
                .unwrap()
                .iter()
                .map(|a| (a.account.id.get(), a.mirror_score))
                .collect();
            list.sort_by_key(|(id, _)| *id);
            list
        };
        let scored = scores().await;
        assert!(scored.iter().all(|(_, s)| s.is_some()));
        // As a database from before the mirror looks once migration 4 has added the column.
        sqlx::query("UPDATE accounts SET mirror_score = NULL")
            .execute(store.pool())
            .await
            .unwrap();
        assert_eq!(store.migrate().await.unwrap(), 0, "nothing left to apply");
        // Migrating records the work; the next worker round does it.
        store.run_jobs("test").await.unwrap();
        assert_eq!(scores().await, scored);
        db.cleanup().await;
    }

    #[tokio::test]
    async fn names_written_before_schema_17_are_found_after_starting() {
        let db = crate::testing::TestDb::sqlite().await;
        let store = &db.store;
        store.load_demo().await.unwrap();
        let find = async || {
            let orgs = store.search_organizations("nordlicht", 10).await.unwrap();
            let accounts = store
                .search_accounts("isar", 10, &crate::Visibility::everything())
                .await
                .unwrap();
            (orgs.len(), accounts.len())
        };
        let found = find().await;
        assert!(found.0 > 0 && found.1 > 0, "the demo has both: {found:?}");
        // As a database from before schema 17 looks once migration 17 has added the column.
        for table in ["organizations", "accounts"] {
            sqlx::query(&format!("UPDATE {table} SET search_text = ''"))
                .execute(store.pool())
                .await
                .unwrap();
        }
        assert_eq!(find().await, (0, 0));
        assert_eq!(store.migrate().await.unwrap(), 0, "nothing left to apply");
        assert_eq!(find().await, found);
        db.cleanup().await;
    }

    #[tokio::test]
    async fn feed_and_calendar_addresses_keep_working_after_migration_21() {
        use counterpart_core::user::TokenKind;
        let db = crate::testing::TestDb::sqlite().await;
        let store = &db.store;
        store.load_demo().await.unwrap();
        let user = store.user_named("yilmaz").await.unwrap().id.get();
        let unit = store
            .units(store.own_organization().await.unwrap().unwrap().id)
            .await
            .unwrap()[0]
            .id
            .get();
        // As a database from before schema 21 looks: the two tables of addresses, one of each
        // handed out, one calendar address revoked.
        for sql in [
            "DROP TABLE access_tokens",
            "DELETE FROM schema_migrations WHERE version = 21",
            "CREATE TABLE feed_tokens (id INTEGER PRIMARY KEY AUTOINCREMENT, \
             user_id BIGINT NOT NULL REFERENCES users (id), unit_id BIGINT NOT NULL \
             REFERENCES units (id), token_hash TEXT NOT NULL, created_at TEXT NOT NULL, \
             last_used_at TEXT, revoked_at TEXT)",
            "CREATE TABLE calendar_tokens (id INTEGER PRIMARY KEY AUTOINCREMENT, \
             user_id BIGINT NOT NULL REFERENCES users (id), token_hash TEXT NOT NULL, \
             created_at TEXT NOT NULL, last_used_at TEXT, revoked_at TEXT)",
        ] {
            sqlx::query(sql).execute(store.pool()).await.unwrap();
        }
        let made = crate::time::to_db(crate::now());
        sqlx::query(
            "INSERT INTO feed_tokens (user_id, unit_id, token_hash, created_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(user)
        .bind(unit)
        .bind(crate::users::token_hash("feedsecret"))
        .bind(&made)
        .execute(store.pool())
        .await
        .unwrap();
        for (secret, revoked) in [("calendarsecret", None), ("oldsecret", Some(made.clone()))] {
            sqlx::query(
                "INSERT INTO calendar_tokens (user_id, token_hash, created_at, revoked_at) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(user)
            .bind(crate::users::token_hash(secret))
            .bind(&made)
            .bind(revoked)
            .execute(store.pool())
            .await
            .unwrap();
        }
        assert_eq!(store.migrate().await.unwrap(), 1);
        let feed = store
            .use_token("feedsecret", TokenKind::Digest)
            .await
            .unwrap()
            .expect("the feed address still opens the digest");
        assert_eq!(feed.unit_id.map(|u| u.get()), Some(unit));
        assert!(
            store
                .use_token("calendarsecret", TokenKind::Calendar)
                .await
                .unwrap()
                .is_some()
        );
        assert!(
            store
                .use_token("oldsecret", TokenKind::Calendar)
                .await
                .unwrap()
                .is_none(),
            "revoked stays revoked"
        );
        assert!(
            store
                .use_token("feedsecret", TokenKind::Calendar)
                .await
                .unwrap()
                .is_none(),
            "a feed address is no calendar address"
        );
        db.cleanup().await;
    }

    #[tokio::test]
    async fn sessions_stay_logged_in_after_migration_22() {
        let db = crate::testing::TestDb::sqlite().await;
        let store = &db.store;
        store.load_demo().await.unwrap();
        let user = store.user_named("krueger").await.unwrap().id;
        // As a database from before schema 22 looks, with a session of Krüger's.
        for sql in [
            "DROP TABLE sessions",
            "DROP TABLE second_factors",
            "DROP TABLE recovery_codes",
            "DROP TABLE login_challenges",
            "DELETE FROM schema_migrations WHERE version = 22",
            "CREATE TABLE sessions (token_hash TEXT PRIMARY KEY, user_id BIGINT NOT NULL \
             REFERENCES users (id), csrf_token TEXT NOT NULL, created_at TEXT NOT NULL, \
             expires_at TEXT NOT NULL, failed_logins BIGINT NOT NULL DEFAULT 0, \
             last_failed_login_at TEXT)",
        ] {
            sqlx::query(sql).execute(store.pool()).await.unwrap();
        }
        let now = crate::now();
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) \
             VALUES ($1, $2, 'csrf', $3, $4)",
        )
        .bind(crate::users::token_hash("oldsession"))
        .bind(user.get())
        .bind(crate::time::to_db(now))
        .bind(crate::time::to_db(now + chrono::Duration::hours(12)))
        .execute(store.pool())
        .await
        .unwrap();
        assert_eq!(store.migrate().await.unwrap(), 1);
        let ttl = chrono::Duration::hours(12);
        let session = store.session("oldsession", ttl).await.unwrap();
        assert_eq!(session.map(|s| s.user.id), Some(user), "still logged in");
        let listed = store.sessions_of(user, "oldsession").await.unwrap();
        assert_eq!(listed.len(), 1);
        assert!(listed[0].current && listed[0].device.is_empty());
        db.cleanup().await;
    }

    #[test]
    fn statements_split_at_line_ends_and_drop_comments() {
        let sql = "-- c\nCREATE TABLE a (x TEXT);\n\nCREATE INDEX b ON a (x);\n";
        let all: Vec<String> = statements(sql).collect();
        assert_eq!(all, ["CREATE TABLE a (x TEXT)", "CREATE INDEX b ON a (x)"]);
    }

    #[test]
    fn checksums_notice_edits() {
        assert_eq!(checksum("a"), checksum("a"));
        assert_ne!(checksum("a"), checksum("b"));
    }
}
