//! Store contract tests: every test runs against SQLite and against PostgreSQL.

use chrono::{Duration, NaiveDate};
use counterpart_core::audit::{AuditAction, EntityKind};
use counterpart_core::exchange::read::Limits;
use counterpart_core::ids::{OrganizationId, PersonId};
use counterpart_core::ladder::{LadderNames, Move};
use counterpart_core::org::{OrganizationInput, OrganizationKind, UnitInput, UnitKind};
use counterpart_core::person::{PersonFields, PersonInput, PositionChange};
use counterpart_core::user::{Role, UserInput, Username};
use counterpart_core::validate::Problem;
use counterpart_store::testing::TestDb;
use counterpart_store::{
    Actor, AuditFilter, ImportTarget, LoginAttempt, LoginOutcome, LoginSuccess, NewUser,
    OrganizationFilter, Store, StoreError,
};

/// Declares a test that runs once per backend.
macro_rules! contract {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                let db = counterpart_store::testing::TestDb::sqlite().await;
                super::$name(&db.store).await;
                db.cleanup().await;
            }

            #[tokio::test]
            async fn postgres() {
                let Some(db) = counterpart_store::testing::TestDb::postgres().await else {
                    return;
                };
                super::$name(&db.store).await;
                db.cleanup().await;
            }
        }
    )*};
}

contract!(
    seek_pages_read_every_row_once,
    account_pages_and_attention_agree_with_the_whole_list,
    organizations_round_trip,
    optimistic_concurrency_names_who_changed,
    versioned_records_change_by_compare_and_set,
    removing_and_ending_at_once_lets_one_writer_win,
    the_data_stamp_moves_with_every_write_and_job,
    unique_names_and_one_own_organization,
    unit_trees_refuse_loops_and_foreign_parents,
    units_are_found_by_folded_name_with_their_parent,
    people_with_links_and_audit,
    reports_to_cycles_are_refused,
    search_folds_umlauts,
    change_of_employer_keeps_one_record,
    ladder_is_seeded_renamed_and_reordered,
    users_sessions_and_throttling,
    parallel_guesses_cannot_pass_the_throttle,
    failed_writes_leave_no_trace,
    demo_loads_into_empty_database_only,
    accounts_key_contacts_and_counterparts,
    importance_scores_and_tiers,
    generated_datasets_load_in_bulk,
    imports_are_all_or_nothing_and_reimports_match,
    exports_import_back_unchanged,
    matrix_workbooks_round_trip_and_move_teams_in,
    mirror_suggestions_are_accepted_and_scored,
    two_records_of_one_human_are_merged,
    confidential_insights_reach_their_unit_and_those_above_only,
    contacts_move_a_pair_forward_and_my_day_reads_what_is_new,
    findings_open_and_close_and_the_new_ones_reach_the_digest,
    the_mirror_brief_follows_every_change_that_moves_it,
    outside_jobs_are_done_by_one_worker_at_a_time,
);

#[path = "store/api_pages.rs"]
mod api_pages;
#[path = "store/users.rs"]
mod users;

#[path = "store/internal.rs"]
mod internal;

#[path = "store/erasure.rs"]
mod erasure;
#[path = "store/guiding.rs"]
mod guiding;
#[path = "store/jour_fixe.rs"]
mod jour_fixe;
#[path = "store/privacy.rs"]
mod privacy;
#[path = "store/restricted.rs"]
mod restricted;
#[path = "store/security.rs"]
mod security;
#[path = "store/tokens.rs"]
mod tokens;

fn new_user(username: &Username, name: &str, password: &str, role: Role) -> NewUser {
    NewUser {
        username: username.clone(),
        details: UserInput {
            display_name: name.to_owned(),
            email: None,
            role,
            person_id: None,
        },
        password: password.to_owned(),
    }
}

/// A new editor with a password nobody types: their user id.
async fn editor(store: &Store, login: &str, name: &str) -> counterpart_core::ids::UserId {
    store
        .create_user(
            &actor("Test"),
            &new_user(
                &Username::parse(login).unwrap(),
                name,
                "correct horse battery",
                Role::Editor,
            ),
        )
        .await
        .unwrap()
        .id
}

fn actor(name: &str) -> Actor {
    Actor {
        user_id: None,
        name: name.to_owned(),
    }
}

fn org_input(name: &str, kind: OrganizationKind) -> OrganizationInput {
    OrganizationInput {
        name: name.to_owned(),
        kind,
        notes: None,
    }
}

fn person_input(given: &str, family: &str) -> PersonInput {
    PersonInput::parse(&PersonFields {
        given_name: given.into(),
        family_name: family.into(),
        ..Default::default()
    })
    .unwrap()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn field_problem(err: StoreError, field: &str) -> Problem {
    match err {
        StoreError::Invalid(errors) => errors
            .get(field)
            .cloned()
            .unwrap_or_else(|| panic!("no error for {field}: {errors:?}")),
        other => panic!("expected a field error for {field}, got {other:?}"),
    }
}

async fn organizations_round_trip(store: &Store) {
    let a = actor("Anna");
    let own = store
        .create_organization(&a, &org_input("Nordlicht", OrganizationKind::Own))
        .await
        .unwrap();
    let customer = store
        .create_organization(&a, &org_input("Brandt & Söhne", OrganizationKind::External))
        .await
        .unwrap();
    store
        .create_organization(&a, &org_input("Konzern-IT", OrganizationKind::Internal))
        .await
        .unwrap();
    let all = store
        .organizations(&OrganizationFilter::default())
        .await
        .unwrap();
    let names: Vec<&str> = all.iter().map(|o| o.organization.name.as_str()).collect();
    assert_eq!(
        names,
        ["Nordlicht", "Brandt & Söhne", "Konzern-IT"],
        "own first, then by name"
    );

    let internal = OrganizationFilter {
        kind: Some(OrganizationKind::Internal),
        ..Default::default()
    };
    assert_eq!(store.organizations(&internal).await.unwrap().len(), 1);
    assert_eq!(store.own_organization().await.unwrap().unwrap().id, own.id);

    let gone = store
        .set_organization_active(&a, customer.id, customer.version, false)
        .await
        .unwrap();
    assert!(!gone.active);
    assert_eq!(
        store
            .organizations(&OrganizationFilter::default())
            .await
            .unwrap()
            .len(),
        2
    );
    let with_inactive = OrganizationFilter {
        include_inactive: true,
        ..Default::default()
    };
    assert_eq!(store.organizations(&with_inactive).await.unwrap().len(), 3);
    assert!(matches!(
        store
            .set_organization_active(&a, own.id, own.version, false)
            .await,
        Err(StoreError::Refused(_))
    ));
    assert!(matches!(
        store.organization(OrganizationId::new(9999)).await,
        Err(StoreError::NotFound { .. })
    ));
}

async fn optimistic_concurrency_names_who_changed(store: &Store) {
    let org = store
        .create_organization(
            &actor("Anna"),
            &org_input("Brandt", OrganizationKind::External),
        )
        .await
        .unwrap();
    let first = store
        .update_organization(
            &actor("Berta"),
            org.id,
            org.version,
            &org_input("Brandt AG", OrganizationKind::External),
        )
        .await
        .unwrap();
    assert_eq!(first.version, org.version + 1);
    // Carl still holds the old version: his update must be refused, naming Berta.
    let lost = store
        .update_organization(
            &actor("Carl"),
            org.id,
            org.version,
            &org_input("Brandt GmbH", OrganizationKind::External),
        )
        .await
        .unwrap_err();
    match lost {
        StoreError::Conflict {
            changed_by,
            changed_at,
            ..
        } => {
            assert_eq!(changed_by.as_deref(), Some("Berta"));
            assert!(changed_at.is_some());
        }
        other => panic!("expected conflict, got {other:?}"),
    }
    assert_eq!(store.organization(org.id).await.unwrap().name, "Brandt AG");
}

/// The conflict's entity and who changed the record meanwhile.
fn conflict_of(err: StoreError) -> (EntityKind, Option<String>) {
    match err {
        StoreError::Conflict {
            entity, changed_by, ..
        } => (entity, changed_by),
        other => panic!("expected conflict, got {other:?}"),
    }
}

/// Eight writers remove the same key contact, and eight end the same assignment, each with
/// the version they read, all at once (on PostgreSQL in transactions that really overlap):
/// one of each wins, the others are told someone else changed it (or that it is gone), and
/// the audit log holds the one change.
async fn removing_and_ending_at_once_lets_one_writer_win(store: &Store) {
    use counterpart_core::account::{
        AccountFields, AccountInput, AssignmentInput, KeyContactInput,
    };
    let (_, customer, ours, theirs) = two_sides(store).await;
    let a = actor("Anna");
    let account = store
        .create_account(
            &a,
            &AccountInput::parse(&AccountFields {
                organization_id: customer.to_string(),
                relation: "customer".into(),
                mode: "hierarchical".into(),
                ..Default::default()
            })
            .unwrap(),
        )
        .await
        .unwrap();
    let contact = store
        .add_key_contact(
            &a,
            account.id,
            &KeyContactInput::parse(&theirs[0].to_string(), "decision_maker", "positive", "5")
                .unwrap(),
        )
        .await
        .unwrap();
    let pair = store
        .assign(
            &a,
            &AssignmentInput::parse(
                &theirs[1].to_string(),
                &ours[0].to_string(),
                "primary",
                "2024-01-01",
            )
            .unwrap(),
        )
        .await
        .unwrap();

    let mut removals = tokio::task::JoinSet::new();
    let mut endings = tokio::task::JoinSet::new();
    for i in 0..8 {
        let (one, writer) = (store.clone(), actor(&format!("Writer {i}")));
        removals.spawn(async move {
            one.remove_key_contact(&writer, contact.id, contact.version)
                .await
        });
        let (one, writer) = (store.clone(), actor(&format!("Writer {i}")));
        endings.spawn(async move {
            one.end_assignment(&writer, pair.id, pair.version, day(2026, 6, 30))
                .await
                .map(|_| ())
        });
    }
    let removals = removals.join_all().await;
    let endings = endings.join_all().await;

    for (what, outcomes) in [("removal", removals), ("ending", endings)] {
        let won = outcomes.iter().filter(|o| o.is_ok()).count();
        assert_eq!(won, 1, "one {what} wins: {outcomes:?}");
        for lost in outcomes.into_iter().filter_map(Result::err) {
            assert!(
                matches!(
                    lost,
                    StoreError::Conflict { .. } | StoreError::NotFound { .. }
                ),
                "a lost {what} is a conflict or finds nothing: {lost:?}"
            );
        }
    }
    let removed = audit_trail(store, EntityKind::KeyContact, contact.id.get()).await;
    assert_eq!(
        removed
            .iter()
            .filter(|(action, ..)| *action == AuditAction::Delete)
            .count(),
        1,
        "{removed:?}"
    );
    let ended = audit_trail(store, EntityKind::Assignment, pair.id.get()).await;
    assert_eq!(
        ended
            .iter()
            .filter(|(action, ..)| *action == AuditAction::Update)
            .count(),
        1,
        "{ended:?}"
    );
    let now = store.assignment(pair.id).await.unwrap();
    assert_eq!(now.valid_to, Some(day(2026, 6, 30)));
    assert_eq!(now.version, pair.version + 1);
}

/// The stamp whole-portfolio results are kept by: unchanged while nothing is written, moved
/// by a write (its audit row and the job it queues) and again when the job is done.
async fn the_data_stamp_moves_with_every_write_and_job(store: &Store) {
    let (_, customer, _, theirs) = two_sides(store).await;
    store.run_jobs("test").await.unwrap();
    let quiet = store.data_stamp().await.unwrap();
    assert_eq!(store.data_stamp().await.unwrap(), quiet, "nothing written");
    let account = store
        .create_account(
            &actor("Anna"),
            &counterpart_core::account::AccountInput::parse(
                &counterpart_core::account::AccountFields {
                    organization_id: customer.to_string(),
                    relation: "customer".into(),
                    mode: "hierarchical".into(),
                    ..Default::default()
                },
            )
            .unwrap(),
        )
        .await
        .unwrap();
    let created = store.data_stamp().await.unwrap();
    assert_ne!(created, quiet, "an account was created");
    // A key contact queues the account's mirror scores: the stamp moves with the write and
    // again when the job is done (the scores are data too).
    store
        .add_key_contact(
            &actor("Anna"),
            account.id,
            &counterpart_core::account::KeyContactInput::parse(
                &theirs[0].to_string(),
                "decision_maker",
                "positive",
                "5",
            )
            .unwrap(),
        )
        .await
        .unwrap();
    let queued = store.data_stamp().await.unwrap();
    assert_ne!(queued, created, "a key contact was added");
    store.run_jobs("test").await.unwrap();
    let done = store.data_stamp().await.unwrap();
    assert_ne!(done, queued, "the scores were worked out");
    assert_eq!(store.data_stamp().await.unwrap(), done);
}

/// The audit entries of one record, newest first: action, actor, label.
async fn audit_trail(
    store: &Store,
    entity: EntityKind,
    id: i64,
) -> Vec<(AuditAction, String, String)> {
    let filter = AuditFilter {
        entity: Some(entity),
        entity_id: Some(id),
        before_id: None,
        limit: 50,
    };
    store
        .audit_entries(&filter)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.action, e.actor_name, e.label))
        .collect()
}

async fn versioned_records_change_by_compare_and_set(store: &Store) {
    use counterpart_core::account::{AccountFields, AccountInput};
    let (_, customer, _, _) = two_sides(store).await;
    let (anna, berta) = (actor("Anna"), actor("Berta"));
    let input = AccountInput::parse(&AccountFields {
        organization_id: customer.to_string(),
        relation: "customer".into(),
        mode: "hierarchical".into(),
        ..Default::default()
    })
    .unwrap();
    let account = store.create_account(&anna, &input).await.unwrap();
    let named = |name: &str| AccountInput {
        name: Some(name.into()),
        ..input.clone()
    };
    store
        .create_account(&anna, &named("Brandt Sued"))
        .await
        .unwrap();

    let renamed = store
        .update_account(&berta, account.id, account.version, &named("Brandt Nord"))
        .await
        .unwrap();
    assert_eq!(renamed.name, "Brandt Nord");
    assert_eq!(renamed.version, account.version + 1);
    let stale = store
        .update_account(&anna, account.id, account.version, &input)
        .await
        .unwrap_err();
    assert_eq!(
        conflict_of(stale),
        (EntityKind::Account, Some("Berta".to_owned()))
    );
    let off = store
        .set_account_active(&anna, account.id, renamed.version, false)
        .await
        .unwrap();
    assert!(!off.active);
    assert_eq!(off.version, renamed.version + 1);
    let on = store
        .set_account_active(&berta, account.id, off.version, true)
        .await
        .unwrap();
    assert!(on.active);
    let stale = store
        .set_account_active(&anna, account.id, off.version, false)
        .await
        .unwrap_err();
    assert_eq!(
        conflict_of(stale),
        (EntityKind::Account, Some("Berta".to_owned()))
    );
    assert_eq!(store.account(account.id).await.unwrap(), on);
    let trail = audit_trail(store, EntityKind::Account, account.id.get()).await;
    let step = |action, who: &str, label: &str| (action, who.to_owned(), label.to_owned());
    assert_eq!(
        trail,
        [
            step(AuditAction::Reactivate, "Berta", "Brandt Nord"),
            step(AuditAction::Deactivate, "Anna", "Brandt Nord"),
            step(AuditAction::Update, "Berta", "Brandt Nord"),
            step(AuditAction::Create, "Anna", "Brandt"),
        ]
    );

    let unit = store
        .create_unit(
            &anna,
            customer,
            &UnitInput {
                name: "Einkauf".into(),
                kind: UnitKind::Department,
                parent_id: None,
            },
        )
        .await
        .unwrap();
    let off = store
        .set_unit_active(&berta, unit.id, unit.version, false)
        .await
        .unwrap();
    assert!(!off.active);
    assert_eq!(off.version, unit.version + 1);
    let stale = store
        .set_unit_active(&anna, unit.id, unit.version, true)
        .await
        .unwrap_err();
    assert_eq!(
        conflict_of(stale),
        (EntityKind::Unit, Some("Berta".to_owned()))
    );
    assert_eq!(
        audit_trail(store, EntityKind::Unit, unit.id.get()).await,
        [
            step(AuditAction::Deactivate, "Berta", "Einkauf"),
            step(AuditAction::Create, "Anna", "Einkauf"),
        ]
    );
    // Last, because nothing may write after it: on SQLite a refused statement's transaction is
    // rolled back only after it was dropped, and a write transaction that reads before it
    // writes can meet that lock ("database is locked") instead of waiting for it.
    let clash = store
        .update_account(&anna, account.id, on.version, &named("BRANDT SUED"))
        .await
        .unwrap_err();
    assert_eq!(field_problem(clash, "name"), Problem::Taken);
}

async fn unique_names_and_one_own_organization(store: &Store) {
    let a = actor("Anna");
    store
        .create_organization(&a, &org_input("Nordlicht", OrganizationKind::Own))
        .await
        .unwrap();
    let second_own = store
        .create_organization(&a, &org_input("Andere", OrganizationKind::Own))
        .await
        .unwrap_err();
    assert!(
        matches!(second_own, StoreError::Refused(_)),
        "{second_own:?}"
    );
    let taken = store
        .create_organization(&a, &org_input("NORDLICHT", OrganizationKind::External))
        .await
        .unwrap_err();
    assert_eq!(field_problem(taken, "name"), Problem::Taken);
}

async fn unit_trees_refuse_loops_and_foreign_parents(store: &Store) {
    let a = actor("Anna");
    let org = store
        .create_organization(&a, &org_input("Brandt", OrganizationKind::External))
        .await
        .unwrap();
    let other = store
        .create_organization(&a, &org_input("Hansa", OrganizationKind::External))
        .await
        .unwrap();
    let unit = |name: &str, parent| UnitInput {
        name: name.into(),
        kind: UnitKind::Department,
        parent_id: parent,
    };
    let top = store
        .create_unit(&a, org.id, &unit("Vorstand", None))
        .await
        .unwrap();
    let child = store
        .create_unit(&a, org.id, &unit("Einkauf", Some(top.id)))
        .await
        .unwrap();
    let foreign = store
        .create_unit(&a, other.id, &unit("Fremd", None))
        .await
        .unwrap();

    let looped = store
        .update_unit(&a, top.id, top.version, &unit("Vorstand", Some(child.id)))
        .await
        .unwrap_err();
    assert_eq!(field_problem(looped, "parent_id"), Problem::Cycle);
    let own_parent = store
        .update_unit(&a, top.id, top.version, &unit("Vorstand", Some(top.id)))
        .await
        .unwrap_err();
    assert_eq!(
        field_problem(own_parent, "parent_id"),
        Problem::SelfReference
    );
    let cross = store
        .create_unit(&a, org.id, &unit("X", Some(foreign.id)))
        .await
        .unwrap_err();
    assert_eq!(
        field_problem(cross, "parent_id"),
        Problem::OtherOrganization
    );
    assert_eq!(store.units(org.id).await.unwrap().len(), 2);
}

async fn units_are_found_by_folded_name_with_their_parent(store: &Store) {
    use counterpart_core::text::fold;
    let a = actor("Anna");
    let org = store
        .create_organization(&a, &org_input("Brandt", OrganizationKind::External))
        .await
        .unwrap();
    let unit = |name: &str, parent| UnitInput {
        name: name.into(),
        kind: UnitKind::Team,
        parent_id: parent,
    };
    let top = store
        .create_unit(&a, org.id, &unit("Vertrieb", None))
        .await
        .unwrap();
    let south = store
        .create_unit(&a, org.id, &unit("Team Süd", Some(top.id)))
        .await
        .unwrap();
    let north = store
        .create_unit(&a, org.id, &unit("Team Nord", Some(top.id)))
        .await
        .unwrap();
    assert_eq!(store.unit_count(org.id).await.unwrap(), 3);

    // Folded as people's names are (Süd = Sued = Sud), each with the unit above it.
    for query in ["Süd", "sued", "SUD"] {
        let found = store.search_units(org.id, &fold(query), 20).await.unwrap();
        assert_eq!(found.len(), 1, "{query}");
        assert_eq!(found[0].0.id, south.id);
        assert_eq!(found[0].1.as_deref(), Some("Vertrieb"));
    }
    let teams = store.search_units(org.id, &fold("team"), 20).await.unwrap();
    let names: Vec<&str> = teams.iter().map(|(u, _)| u.name.as_str()).collect();
    assert_eq!(names, ["Team Nord", "Team Süd"], "by name");
    assert_eq!(
        store
            .search_units(org.id, &fold("team"), 1)
            .await
            .unwrap()
            .len(),
        1
    );
    // A renamed unit is found by its new name; an inactive one, another organization's or
    // an empty search finds none; `%` is no wildcard.
    let renamed = store
        .update_unit(
            &a,
            north.id,
            north.version,
            &unit("Team Nordost", Some(top.id)),
        )
        .await
        .unwrap();
    assert_eq!(
        store
            .search_units(org.id, &fold("nordost"), 20)
            .await
            .unwrap()[0]
            .0
            .id,
        renamed.id
    );
    store
        .set_unit_active(&a, south.id, south.version, false)
        .await
        .unwrap();
    assert!(
        store
            .search_units(org.id, &fold("sud"), 20)
            .await
            .unwrap()
            .is_empty()
    );
    let other = store
        .create_organization(&a, &org_input("Hansa", OrganizationKind::External))
        .await
        .unwrap();
    assert!(
        store
            .search_units(other.id, &fold("team"), 20)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(store.search_units(org.id, "", 20).await.unwrap().is_empty());
    assert!(
        store
            .search_units(org.id, "%", 20)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(store.unit_count(other.id).await.unwrap(), 0);
}

async fn people_with_links_and_audit(store: &Store) {
    store.seed_defaults().await.unwrap();
    let a = actor("Anna");
    let org = store
        .create_organization(&a, &org_input("Brandt", OrganizationKind::External))
        .await
        .unwrap();
    let levels = store.levels().await.unwrap();
    let boss = store
        .create_person(
            &a,
            org.id,
            &person_input("Heinrich", "Brandt"),
            day(2020, 1, 1),
        )
        .await
        .unwrap();
    let mut input = person_input("Gabriele", "Schmitz");
    input.reports_to_id = Some(boss.id);
    input.assistant_of_id = Some(boss.id);
    input.level_id = Some(levels[4].id);
    let assistant = store
        .create_person(&a, org.id, &input, day(2021, 5, 1))
        .await
        .unwrap();

    let detail = store.person_detail(boss.id).await.unwrap();
    assert_eq!(detail.reports.len(), 1);
    assert_eq!(detail.assistants[0].person.family_name, "Schmitz");
    assert_eq!(detail.positions.len(), 1);
    assert_eq!(detail.positions[0].position.valid_from, day(2020, 1, 1));

    // Berta promotes the assistant: the audit log records her, the before and the after.
    let mut change = input.clone();
    change.job_title = Some("Leiterin Vorstandssekretariat".into());
    change.level_id = Some(levels[3].id);
    let updated = store
        .update_person(&actor("Berta"), assistant.id, assistant.version, &change)
        .await
        .unwrap();
    assert_eq!(updated.level_id, Some(levels[3].id));
    let entries = store
        .audit_entries(&AuditFilter {
            entity: Some(EntityKind::Person),
            entity_id: Some(assistant.id.get()),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0].actor_name, "Berta");
    assert_eq!(entries[0].action, AuditAction::Update);
    let changed: Vec<String> = entries[0].changes().into_iter().map(|c| c.0).collect();
    assert_eq!(changed, ["job_title", "level_id"]);
    // The current position follows the correction.
    let detail = store.person_detail(assistant.id).await.unwrap();
    assert_eq!(
        detail.positions[0].position.job_title.as_deref(),
        Some("Leiterin Vorstandssekretariat")
    );

    // Links must stay inside the organization.
    let other = store
        .create_organization(&a, &org_input("Hansa", OrganizationKind::External))
        .await
        .unwrap();
    let stranger = store
        .create_person(
            &a,
            other.id,
            &person_input("Björn", "Petersen"),
            day(2020, 1, 1),
        )
        .await
        .unwrap();
    let mut bad = person_input("X", "Y");
    bad.reports_to_id = Some(stranger.id);
    bad.level_id = Some(counterpart_core::ids::LevelId::new(999));
    let err = store
        .create_person(&a, org.id, &bad, day(2020, 1, 1))
        .await
        .unwrap_err();
    let StoreError::Invalid(errors) = err else {
        panic!("expected field errors")
    };
    assert_eq!(
        errors.get("reports_to_id"),
        Some(&Problem::OtherOrganization)
    );
    assert_eq!(errors.get("level_id"), Some(&Problem::NotFound));
}

async fn reports_to_cycles_are_refused(store: &Store) {
    let a = actor("Anna");
    let org = store
        .create_organization(&a, &org_input("Brandt", OrganizationKind::External))
        .await
        .unwrap();
    let top = store
        .create_person(&a, org.id, &person_input("A", "Oben"), day(2020, 1, 1))
        .await
        .unwrap();
    let mut mid_input = person_input("B", "Mitte");
    mid_input.reports_to_id = Some(top.id);
    let mid = store
        .create_person(&a, org.id, &mid_input, day(2020, 1, 1))
        .await
        .unwrap();
    let mut low_input = person_input("C", "Unten");
    low_input.reports_to_id = Some(mid.id);
    let low = store
        .create_person(&a, org.id, &low_input, day(2020, 1, 1))
        .await
        .unwrap();

    let mut top_under_low = person_input("A", "Oben");
    top_under_low.reports_to_id = Some(low.id);
    let err = store
        .update_person(&a, top.id, top.version, &top_under_low)
        .await
        .unwrap_err();
    assert_eq!(field_problem(err, "reports_to_id"), Problem::Cycle);
    let mut own_boss = person_input("A", "Oben");
    own_boss.reports_to_id = Some(top.id);
    let err = store
        .update_person(&a, top.id, top.version, &own_boss)
        .await
        .unwrap_err();
    assert_eq!(field_problem(err, "reports_to_id"), Problem::SelfReference);
    assert_eq!(store.person(top.id).await.unwrap().reports_to_id, None);
}

async fn search_folds_umlauts(store: &Store) {
    let a = actor("Anna");
    let org = store
        .create_organization(&a, &org_input("Brandt", OrganizationKind::External))
        .await
        .unwrap();
    for (given, family) in [("Jürgen", "Müller"), ("Käthe", "Weiß"), ("Hans", "Mahler")] {
        store
            .create_person(&a, org.id, &person_input(given, family), day(2020, 1, 1))
            .await
            .unwrap();
    }
    for query in [
        "Müller",
        "mueller",
        "muller",
        "MUELL",
        "jurgen mul",
        "mu jurgen",
    ] {
        let found = store.search_people(query, None, 10).await.unwrap();
        let names: Vec<&str> = found
            .iter()
            .map(|p| p.person.family_name.as_str())
            .collect();
        assert_eq!(names, ["Müller"], "query {query:?}");
    }
    assert_eq!(
        store.search_people("weiss", None, 10).await.unwrap().len(),
        1
    );
    assert_eq!(
        store.search_people("%", None, 10).await.unwrap().len(),
        0,
        "no wildcards"
    );
    assert_eq!(store.search_people("  ", None, 10).await.unwrap().len(), 0);
    // Words shorter than the index's three letters still find their people.
    let short: Vec<String> = store
        .search_people("ma", None, 10)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.person.family_name)
        .collect();
    assert_eq!(short, ["Mahler"]);
    // The index follows renames: the new name is found, the old one no longer.
    let found = store.search_people("mahler", None, 10).await.unwrap();
    let mahler = &found[0].person;
    let mut renamed = person_input("Hans", "Öztürk");
    renamed.level_id = mahler.level_id;
    store
        .update_person(&a, mahler.id, mahler.version, &renamed)
        .await
        .unwrap();
    assert!(
        store
            .search_people("mahler", None, 10)
            .await
            .unwrap()
            .is_empty()
    );
    let found = store.search_people("ozturk hans", None, 10).await.unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].person.family_name, "Öztürk");
    // People who left are not found.
    let person = store.person(found[0].person.id).await.unwrap();
    store
        .set_person_active(&a, person.id, person.version, false)
        .await
        .unwrap();
    assert!(
        store
            .search_people("ozturk", None, 10)
            .await
            .unwrap()
            .is_empty()
    );

    // Organizations and accounts are found by their folded name too, also after a rename.
    use counterpart_core::account::{AccountFields, AccountInput};
    use counterpart_core::text::fold;
    let orgs = async |query: &str| -> Vec<String> {
        let found = store.search_organizations(&fold(query), 10).await.unwrap();
        found.into_iter().map(|(_, name, _)| name).collect()
    };
    let accounts = async |query: &str| -> Vec<String> {
        let found = store
            .search_accounts(
                &fold(query),
                10,
                &counterpart_store::Visibility::everything(),
            )
            .await
            .unwrap();
        found.into_iter().map(|(_, name)| name).collect()
    };
    let strasse = store
        .create_organization(
            &a,
            &org_input("Großhandel Müller-Straße", OrganizationKind::External),
        )
        .await
        .unwrap();
    for query in ["grosshandel", "Mueller Strasse", "MULLER STRAßE", "handel"] {
        assert_eq!(
            orgs(query).await,
            ["Großhandel Müller-Straße"],
            "query {query:?}"
        );
    }
    let named = |name: &str| AccountInput {
        name: Some(name.into()),
        ..AccountInput::parse(&AccountFields {
            organization_id: strasse.id.to_string(),
            relation: "customer".into(),
            mode: "hierarchical".into(),
            ..Default::default()
        })
        .unwrap()
    };
    let account = store
        .create_account(&a, &named("Zoë Łódź Ørsted"))
        .await
        .unwrap();
    assert_eq!(accounts("zoe lodz orsted").await, ["Zoë Łódź Ørsted"]);
    // Nothing to look for finds nothing, not everything ("%" folds to nothing).
    assert!(accounts("%").await.is_empty());
    assert!(store.search_organizations("", 10).await.unwrap().is_empty());
    store
        .update_organization(
            &a,
            strasse.id,
            strasse.version,
            &org_input("Brandt Einkauf", OrganizationKind::External),
        )
        .await
        .unwrap();
    assert!(orgs("grosshandel").await.is_empty());
    assert_eq!(
        orgs("brandt").await,
        ["Brandt", "Brandt Einkauf"],
        "by name"
    );
    store
        .update_account(&a, account.id, account.version, &named("Brandt Ost"))
        .await
        .unwrap();
    assert_eq!(accounts("brandt ost").await, ["Brandt Ost"]);
    assert!(accounts("zoe").await.is_empty());
}

async fn change_of_employer_keeps_one_record(store: &Store) {
    let a = actor("Anna");
    let old = store
        .create_organization(&a, &org_input("Isar", OrganizationKind::External))
        .await
        .unwrap();
    let new = store
        .create_organization(&a, &org_input("Brandt", OrganizationKind::External))
        .await
        .unwrap();
    let boss = store
        .create_person(&a, old.id, &person_input("M", "Huber"), day(2015, 1, 1))
        .await
        .unwrap();
    let mut mover_input = person_input("Susanne", "Kießling");
    mover_input.reports_to_id = Some(boss.id);
    let mover = store
        .create_person(&a, old.id, &mover_input, day(2016, 4, 1))
        .await
        .unwrap();
    let mut report_input = person_input("Tim", "Klein");
    report_input.reports_to_id = Some(mover.id);
    let report = store
        .create_person(&a, old.id, &report_input, day(2018, 1, 1))
        .await
        .unwrap();

    let change = PositionChange {
        organization_id: new.id,
        unit_id: None,
        job_title: Some("Leiterin Einkauf".into()),
        level_id: None,
        valid_from: day(2023, 7, 1),
    };
    let moved = store
        .change_position(&a, mover.id, mover.version, &change)
        .await
        .unwrap();
    assert_eq!(moved.id, mover.id, "still the same person");
    assert_eq!(moved.organization_id, new.id);
    assert_eq!(
        moved.reports_to_id, None,
        "the old boss is in the old company"
    );
    assert_eq!(store.person(report.id).await.unwrap().reports_to_id, None);

    let detail = store.person_detail(mover.id).await.unwrap();
    let history: Vec<(&str, NaiveDate, Option<NaiveDate>)> = detail
        .positions
        .iter()
        .map(|p| {
            (
                p.organization_name.as_str(),
                p.position.valid_from,
                p.position.valid_to,
            )
        })
        .collect();
    assert_eq!(
        history,
        [
            ("Brandt", day(2023, 7, 1), None),
            ("Isar", day(2016, 4, 1), Some(day(2023, 6, 30))),
        ]
    );

    // A new position cannot start before the current one.
    let too_early = PositionChange {
        valid_from: day(2023, 7, 1),
        ..change
    };
    let err = store
        .change_position(&a, mover.id, moved.version, &too_early)
        .await
        .unwrap_err();
    assert_eq!(field_problem(err, "valid_from"), Problem::EndBeforeStart);
}

async fn ladder_is_seeded_renamed_and_reordered(store: &Store) {
    store.seed_defaults().await.unwrap();
    store.seed_defaults().await.unwrap();
    let levels = store.levels().await.unwrap();
    assert_eq!(levels.len(), 5, "seeding twice adds nothing");
    assert_eq!(levels[0].name_de, "Vorstand/Geschäftsführung");
    assert_eq!(
        store
            .functions()
            .await
            .unwrap()
            .iter()
            .filter(|f| f.is_assistant)
            .count(),
        1
    );

    let a = actor("Admin");
    let names = LadderNames::parse("Gruppenleitung", "Group lead").unwrap();
    let added = store.create_level(&a, names).await.unwrap();
    assert_eq!(added.rank, 6);
    store.move_level(&a, added.id, Move::Up).await.unwrap();
    let ranks: Vec<(String, i64)> = store
        .levels()
        .await
        .unwrap()
        .into_iter()
        .map(|l| (l.name_de, l.rank))
        .collect();
    assert_eq!(ranks[4], ("Gruppenleitung".to_owned(), 5));
    assert_eq!(ranks[5], ("Sachbearbeitung".to_owned(), 6));

    let renamed = store
        .rename_level(
            &a,
            levels[0].id,
            levels[0].version,
            LadderNames::parse("Vorstand", "Board").unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(renamed.name_en, "Board");
    let stale = store
        .rename_level(
            &a,
            levels[0].id,
            levels[0].version,
            LadderNames::parse("X", "Y").unwrap(),
        )
        .await;
    assert!(matches!(stale, Err(StoreError::Conflict { .. })));

    let duplicate = store
        .create_function(
            &a,
            "assistant".into(),
            LadderNames::parse("A", "A").unwrap(),
            true,
        )
        .await
        .unwrap_err();
    assert_eq!(field_problem(duplicate, "key"), Problem::Taken);
}

async fn users_sessions_and_throttling(store: &Store) {
    let a = Actor::system();
    let name = Username::parse("k.schneider").unwrap();
    let user = store
        .create_user(
            &a,
            &new_user(
                &name,
                "Katharina Schneider",
                "correct horse battery",
                Role::Admin,
            ),
        )
        .await
        .unwrap();
    let weak = store
        .create_user(
            &a,
            &new_user(
                &Username::parse("weak").unwrap(),
                "W",
                "short",
                Role::Viewer,
            ),
        )
        .await
        .unwrap_err();
    assert_eq!(
        field_problem(weak, "password"),
        Problem::TooShort { min: 10 }
    );
    let taken = store
        .create_user(
            &a,
            &new_user(&name, "Again", "correct horse battery", Role::Viewer),
        )
        .await
        .unwrap_err();
    assert_eq!(field_problem(taken, "username"), Problem::Taken);

    let LoginOutcome::Success(login) =
        try_login(store, "K.Schneider", "correct horse battery").await
    else {
        panic!("the right password logs in");
    };
    assert_eq!(login.user.id, user.id);
    assert_eq!(login.failed_before, 0);
    assert!(matches!(
        try_login(store, "k.schneider", "wrong").await,
        LoginOutcome::BadCredentials
    ));
    assert!(matches!(
        try_login(store, "nobody", "wrong").await,
        LoginOutcome::BadCredentials
    ));

    let ttl = Duration::hours(12);
    // The failed attempt above is told once, on the first request of the next session.
    let login = logged_in(store, "k.schneider", "correct horse battery").await;
    assert_eq!(login.failed_before, 1);
    let session = store.create_session(&login, ttl, None, "").await.unwrap();
    let found = store.session(&session.token, ttl).await.unwrap().unwrap();
    assert_eq!(found.user.id, user.id);
    assert_eq!(found.csrf_token, session.csrf_token);
    assert_eq!(found.login_notice.map(|n| n.failed), Some(1));
    let again = store.session(&session.token, ttl).await.unwrap().unwrap();
    assert_eq!(again.login_notice, None, "the notice is shown once");
    assert!(store.session("forged", ttl).await.unwrap().is_none());
    // Logging in again from the same browser ends the session it had.
    let rotated = store
        .create_session(&login, ttl, Some(&session.token), "")
        .await
        .unwrap();
    assert!(store.session(&session.token, ttl).await.unwrap().is_none());
    assert!(store.session(&rotated.token, ttl).await.unwrap().is_some());

    // A new password ends every session.
    store
        .set_password(&a, user.id, "another long password")
        .await
        .unwrap();
    assert!(store.session(&rotated.token, ttl).await.unwrap().is_none());
    // A disabled user cannot log in, and their sessions end.
    let login = logged_in(store, "k.schneider", "another long password").await;
    let second = store.create_session(&login, ttl, None, "").await.unwrap();
    // (Another administrator first: the last one cannot be disabled.)
    store
        .create_user(
            &a,
            &new_user(
                &Username::parse("deputy").unwrap(),
                "Deputy",
                "correct horse battery",
                Role::Admin,
            ),
        )
        .await
        .unwrap();
    store.set_user_active(&a, user.id, false).await.unwrap();
    assert!(store.session(&second.token, ttl).await.unwrap().is_none());
    assert!(matches!(
        try_login(store, "k.schneider", "another long password").await,
        LoginOutcome::BadCredentials
    ));
    store.set_user_active(&a, user.id, true).await.unwrap();
    let login = logged_in(store, "k.schneider", "another long password").await;
    let third = store.create_session(&login, ttl, None, "").await.unwrap();
    store.delete_session(&third.token).await.unwrap();
    assert!(store.session(&third.token, ttl).await.unwrap().is_none());

    // Ten failures make the name wait, even for the right password...
    for _ in 0..10 {
        try_login(store, "k.schneider", "guess").await;
    }
    assert!(matches!(
        try_login(store, "k.schneider", "another long password").await,
        LoginOutcome::Throttled(_)
    ));
    // ...but not from a browser the owner logged in from before.
    let owner = store
        .login(LoginAttempt {
            username: "k.schneider",
            password: "another long password",
            client: Some("192.0.2.1"),
            device: Some(&login.device_token),
        })
        .await
        .unwrap();
    assert!(matches!(owner, LoginOutcome::Success(_)), "{owner:?}");
}

/// `sslmode` in the PostgreSQL URL is honoured: `require` encrypts (the test server has a
/// self-signed certificate, which `require` accepts and `verify-full` would not), `disable`
/// does not.
#[tokio::test]
async fn postgres_connections_use_tls_when_asked() {
    let url = std::env::var("COUNTERPART_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| counterpart_store::testing::DEFAULT_POSTGRES_URL.to_owned());
    let separator = if url.contains('?') { '&' } else { '?' };
    let connect =
        async |mode: &str| Store::connect(&format!("{url}{separator}sslmode={mode}")).await;
    let plain = match connect("disable").await {
        Ok(store) => store,
        Err(e) if std::env::var("CI").is_err() => {
            eprintln!("skipping: no PostgreSQL at {url}: {e}");
            return;
        }
        Err(e) => panic!("CI requires PostgreSQL at {url}: {e}"),
    };
    assert!(!plain.encrypted().await.unwrap());
    let tls = connect("require").await.expect("a TLS connection");
    assert!(tls.encrypted().await.unwrap());
    assert!(
        connect("verify-full").await.is_err(),
        "a self-signed certificate must not pass verify-full"
    );
}

/// Parallel guesses are counted before any password is checked: of 40 guesses at once, no more
/// than the free ten are evaluated, on either backend.
async fn parallel_guesses_cannot_pass_the_throttle(store: &Store) {
    for name in ["target", "admin"] {
        store
            .create_user(
                &actor("Admin"),
                &new_user(
                    &Username::parse(name).unwrap(),
                    "Target",
                    "correct horse battery",
                    Role::Admin,
                ),
            )
            .await
            .unwrap();
    }
    let guesses = (0..40).map(|i| {
        let store = store.clone();
        tokio::spawn(async move {
            store
                .login(LoginAttempt {
                    username: "target",
                    password: &format!("guess {i}"),
                    client: Some("198.51.100.7"),
                    device: None,
                })
                .await
                .unwrap()
        })
    });
    let mut evaluated = 0;
    for guess in guesses.collect::<Vec<_>>() {
        match guess.await.unwrap() {
            LoginOutcome::BadCredentials => evaluated += 1,
            LoginOutcome::Throttled(_) | LoginOutcome::Busy => {}
            LoginOutcome::Success(_) | LoginOutcome::SecondFactor(_) => {
                panic!("a guess succeeded")
            }
        }
    }
    assert!(
        (1..=10).contains(&evaluated),
        "{evaluated} passwords evaluated"
    );
    // An address that must wait stores nothing more, whatever names it tries next.
    let attempt = |i: usize| {
        let name = format!("name{i}");
        async move {
            store
                .login(LoginAttempt {
                    username: &name,
                    password: "x",
                    client: Some("198.51.100.7"),
                    device: None,
                })
                .await
                .unwrap()
        }
    };
    let mut used = 0;
    while !matches!(attempt(used).await, LoginOutcome::Throttled(_)) {
        used += 1;
        assert!(used <= 30, "the address has 30 free attempts");
    }
    let rows = counterpart_store::testing::count_rows(store, "login_throttle").await;
    for i in 100..150 {
        assert!(matches!(attempt(i).await, LoginOutcome::Throttled(_)));
    }
    assert_eq!(
        counterpart_store::testing::count_rows(store, "login_throttle").await,
        rows
    );
    // Right passwords at once, from one address, while others fail: every one gets in (the
    // counting of one attempt never blocks or breaks another's).
    let logins = (0..12).map(|i| {
        let store = store.clone();
        tokio::spawn(async move {
            let (name, password) = if i % 3 == 2 {
                ("nobody", "wrong")
            } else {
                ("admin", "correct horse battery")
            };
            (
                i,
                store
                    .login(LoginAttempt {
                        username: name,
                        password,
                        client: Some("203.0.113.5"),
                        device: None,
                    })
                    .await,
            )
        })
    });
    for login in logins.collect::<Vec<_>>() {
        let (i, outcome) = login.await.unwrap();
        let outcome = outcome.expect("no database error under parallel logins");
        if i % 3 != 2 {
            assert!(
                matches!(outcome, LoginOutcome::Success(_)),
                "{i}: {outcome:?}"
            );
        }
    }
}

/// Does the derived work the writes so far made stale, as the server's worker would.
async fn settle(store: &Store) {
    store.run_jobs("test").await.unwrap();
}

async fn try_login(store: &Store, username: &str, password: &str) -> LoginOutcome {
    store
        .login(LoginAttempt {
            username,
            password,
            client: None,
            device: None,
        })
        .await
        .unwrap()
}

async fn logged_in(store: &Store, username: &str, password: &str) -> LoginSuccess {
    match try_login(store, username, password).await {
        LoginOutcome::Success(login) => *login,
        other => panic!("login as {username}: {other:?}"),
    }
}

async fn failed_writes_leave_no_trace(store: &Store) {
    let a = actor("Anna");
    let org = store
        .create_organization(&a, &org_input("Brandt", OrganizationKind::External))
        .await
        .unwrap();
    let before = store
        .audit_entries(&AuditFilter {
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap()
        .len();
    let mut bad = person_input("X", "Y");
    bad.reports_to_id = Some(PersonId::new(424242));
    assert!(
        store
            .create_person(&a, org.id, &bad, day(2020, 1, 1))
            .await
            .is_err()
    );
    assert!(
        store
            .update_organization(
                &a,
                org.id,
                org.version + 7,
                &org_input("Z", OrganizationKind::External)
            )
            .await
            .is_err()
    );
    let after = store
        .audit_entries(&AuditFilter {
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap()
        .len();
    assert_eq!(before, after);
    assert!(
        store
            .people(org.id, None, true, 100, 0)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(store.organization(org.id).await.unwrap().name, "Brandt");
}

/// Seek pagination (the API's lists): pages after an id, by id, hold every row that passes
/// the filter exactly once, and a filter holds on every page.
/// The account list's pages (names and counts read for the page's accounts alone) and the
/// start page's counts say what the whole list says.
async fn account_pages_and_attention_agree_with_the_whole_list(store: &Store) {
    use counterpart_store::{AccountFilter, AccountSummary, AttentionCounts, Visibility};
    store.load_demo().await.unwrap();
    store.refresh_mirror_scores(None).await.unwrap();
    let everything = Visibility::everything();
    let shown = |list: &[AccountSummary]| -> Vec<(i64, i64, i64)> {
        list.iter()
            .map(|a| (a.account.id.get(), a.contacts, a.gaps))
            .collect()
    };
    let customers = AccountFilter {
        relation: Some(counterpart_core::account::Relation::Customer),
        ..AccountFilter::default()
    };
    for filter in [AccountFilter::default(), customers] {
        let whole = store.accounts(&filter, &everything).await.unwrap();
        assert!(whole.len() > 3, "the demo has enough accounts to page");
        let mut paged = Vec::new();
        for page in 0.. {
            let read = store
                .accounts_page(&filter, &everything, page, 3)
                .await
                .unwrap();
            assert_eq!(read.total, whole.len());
            assert_eq!(read.first, (page * 3).min(whole.len()));
            if read.accounts.is_empty() {
                break;
            }
            assert!(read.accounts.len() <= 3);
            paged.extend(read.accounts);
        }
        assert_eq!(
            shown(&paged),
            shown(&whole),
            "same accounts, order and counts"
        );
    }
    // A page far beyond the end is empty, not an error.
    let beyond = store
        .accounts_page(&AccountFilter::default(), &everything, usize::MAX, 100)
        .await
        .unwrap();
    assert!(beyond.accounts.is_empty());
    assert_eq!(beyond.first, beyond.total);

    // What needs attention: a gap or a weak mirror, in the list's order.
    let whole = store
        .accounts(&AccountFilter::default(), &everything)
        .await
        .unwrap();
    let weak = |a: &AccountSummary| a.mirror_score.is_some_and(|m| m < 80.0);
    let needing: Vec<i64> = whole
        .iter()
        .filter(|a| a.gaps > 0 || weak(a))
        .map(|a| a.account.id.get())
        .collect();
    assert!(!needing.is_empty() && needing.len() < whole.len());
    let attention = AccountFilter {
        attention_below: Some(80.0),
        ..AccountFilter::default()
    };
    let read = store
        .accounts_page(&attention, &everything, 0, 100)
        .await
        .unwrap();
    let read: Vec<i64> = read.accounts.iter().map(|a| a.account.id.get()).collect();
    assert_eq!(read, needing);
    let first = store
        .accounts_first(&attention, &everything, 2)
        .await
        .unwrap();
    let first: Vec<i64> = first.iter().map(|a| a.account.id.get()).collect();
    assert_eq!(first, needing[..2.min(needing.len())]);
    let counts = store.attention_counts(&everything, 80.0).await.unwrap();
    assert_eq!(
        counts,
        AttentionCounts {
            gaps: whole.iter().map(|a| a.gaps).sum(),
            accounts_with_gaps: whole.iter().filter(|a| a.gaps > 0).count() as i64,
            weak_mirrors: whole.iter().filter(|a| weak(a)).count() as i64,
        }
    );
    assert!(counts.gaps > 0, "the demo has gaps to count");
}

async fn seek_pages_read_every_row_once(store: &Store) {
    use counterpart_core::ids::AccountId;
    use counterpart_store::AccountFilter;
    store.load_demo().await.unwrap();
    let filter = OrganizationFilter::default();
    let all: Vec<i64> = store
        .organizations(&filter)
        .await
        .unwrap()
        .iter()
        .map(|s| s.organization.id.get())
        .collect();
    let mut read = Vec::new();
    let mut after = None;
    loop {
        let page = store.organizations_after(&filter, after, 2).await.unwrap();
        assert!(page.len() <= 2);
        read.extend(page.iter().map(|s| s.organization.id.get()));
        match page.last() {
            Some(last) if page.len() == 2 => after = Some(last.organization.id),
            _ => break,
        }
    }
    let mut sorted = all.clone();
    sorted.sort_unstable();
    assert_eq!(read, sorted, "each once, by id");
    // The counts are those of the ordered list.
    let first = &store.organizations_after(&filter, None, 1).await.unwrap()[0];
    let same = store
        .organizations(&filter)
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.organization.id == first.organization.id)
        .unwrap();
    assert_eq!((first.units, first.people), (same.units, same.people));
    // A filter holds, and `after` counts from any id (not only one in the list).
    let external = OrganizationFilter {
        kind: Some(OrganizationKind::External),
        ..OrganizationFilter::default()
    };
    let beyond = store
        .organizations_after(&external, Some(OrganizationId::new(0)), 100)
        .await
        .unwrap();
    assert!(!beyond.is_empty());
    assert!(
        beyond
            .iter()
            .all(|s| s.organization.kind == OrganizationKind::External)
    );
    let last = beyond.last().unwrap().organization.id;
    assert!(
        store
            .organizations_after(&external, Some(last), 100)
            .await
            .unwrap()
            .is_empty()
    );

    let filter = AccountFilter::default();
    let mut all: Vec<i64> = store
        .accounts(&filter, &counterpart_store::Visibility::everything())
        .await
        .unwrap()
        .iter()
        .map(|s| s.account.id.get())
        .collect();
    all.sort_unstable();
    let mut read = Vec::new();
    let mut after: Option<AccountId> = None;
    loop {
        let page = store
            .accounts_after(
                &filter,
                after,
                3,
                &counterpart_store::Visibility::everything(),
            )
            .await
            .unwrap();
        read.extend(page.iter().map(|s| s.account.id.get()));
        match page.last() {
            Some(last) if page.len() == 3 => after = Some(last.account.id),
            _ => break,
        }
    }
    assert_eq!(read, all, "each account once, by id");
    // The unit list's placeholders follow `after`'s.
    let some = store
        .accounts(&filter, &counterpart_store::Visibility::everything())
        .await
        .unwrap();
    let unit = some
        .iter()
        .find_map(|s| s.account.responsible_unit_id)
        .expect("an account with a responsible unit");
    let of_unit = AccountFilter {
        responsible_unit_ids: vec![unit],
        ..AccountFilter::default()
    };
    let expected = store
        .accounts(&of_unit, &counterpart_store::Visibility::everything())
        .await
        .unwrap()
        .len();
    assert!(expected > 0);
    assert_eq!(
        store
            .accounts_after(
                &of_unit,
                Some(AccountId::new(0)),
                200,
                &counterpart_store::Visibility::everything()
            )
            .await
            .unwrap()
            .len(),
        expected
    );
}

async fn demo_loads_into_empty_database_only(store: &Store) {
    let report = store.load_demo().await.unwrap();
    assert_eq!(report.organizations, 6);
    assert!(report.people >= 140, "{}", report.people);
    assert!(store.is_demo().await.unwrap());
    let own = store.own_organization().await.unwrap().unwrap();
    assert_eq!(own.name, "Nordlicht Facility Services GmbH");
    let users = store.users().await.unwrap();
    assert_eq!(users.len(), 4);
    assert!(matches!(
        try_login(store, "schneider", "demo").await,
        LoginOutcome::Success(_)
    ));
    // Umlauts survive the round trip.
    let found = store
        .search_people("weissenfels", Some(own.id), 5)
        .await
        .unwrap();
    assert_eq!(found[0].person.family_name, "Weißenfels");
    // Every account has its mirror score, and the history goes back with its counterparts.
    let accounts = store
        .accounts(
            &Default::default(),
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap();
    assert!(accounts.iter().all(|a| a.mirror_score.is_some()));
    let mut longest = 0;
    for a in &accounts {
        let history = store.mirror_history(a.account.id).await.unwrap();
        assert_eq!(history.last().map(|h| h.1), a.mirror_score);
        longest = longest.max(history.len());
    }
    assert!(longest >= 2, "some account's score moved over the months");
    assert!(matches!(
        store.load_demo().await,
        Err(StoreError::Refused(_))
    ));
}

/// Our house with two people, a customer with two people; returns (own, customer, ours, theirs).
/// The ladder's ranks in display order, as the matrix takes them.
async fn ranks(store: &Store) -> Vec<i64> {
    store
        .levels()
        .await
        .unwrap()
        .iter()
        .map(|l| l.rank)
        .collect()
}

async fn two_sides(
    store: &Store,
) -> (OrganizationId, OrganizationId, Vec<PersonId>, Vec<PersonId>) {
    store.seed_defaults().await.unwrap();
    let a = actor("Anna");
    let own = store
        .create_organization(&a, &org_input("Nordlicht", OrganizationKind::Own))
        .await
        .unwrap();
    let customer = store
        .create_organization(&a, &org_input("Brandt", OrganizationKind::External))
        .await
        .unwrap();
    let levels = store.levels().await.unwrap();
    let people = |org, names: &'static [(&'static str, usize)]| {
        let store = store.clone();
        let levels = levels.clone();
        let a = a.clone();
        async move {
            let mut ids = Vec::new();
            for (name, level) in names {
                let mut input = person_input("", name);
                input.level_id = Some(levels[*level].id);
                ids.push(
                    store
                        .create_person(&a, org, &input, day(2020, 1, 1))
                        .await
                        .unwrap()
                        .id,
                );
            }
            ids
        }
    };
    let ours = people(own.id, &[("Schneider", 0), ("Krüger", 2)]).await;
    let theirs = people(customer.id, &[("Brandt", 0), ("Kießling", 2)]).await;
    (own.id, customer.id, ours, theirs)
}

async fn accounts_key_contacts_and_counterparts(store: &Store) {
    use counterpart_core::account::*;
    use counterpart_core::matrix::build;
    let (own, customer, ours, theirs) = two_sides(store).await;
    let a = actor("Anna");
    let input = AccountInput::parse(&AccountFields {
        organization_id: customer.to_string(),
        relation: "customer".into(),
        mode: "hierarchical".into(),
        ..Default::default()
    })
    .unwrap();
    let account = store.create_account(&a, &input).await.unwrap();
    assert_eq!(
        account.name, "Brandt",
        "the name defaults to the organization's"
    );
    let mut own_account = input.clone();
    own_account.organization_id = own;
    own_account.name = Some("Selbst".into());
    let err = store.create_account(&a, &own_account).await.unwrap_err();
    assert_eq!(
        field_problem(err, "unit_id"),
        Problem::PartnerUnitRequired,
        "our own house is a partner only through one of its units"
    );
    assert_eq!(
        field_problem(store.create_account(&a, &input).await.unwrap_err(), "name"),
        Problem::Taken
    );

    for person in &theirs {
        let kc =
            KeyContactInput::parse(&person.to_string(), "decision_maker", "positive", "5").unwrap();
        store.add_key_contact(&a, account.id, &kc).await.unwrap();
    }
    let duplicate = KeyContactInput::parse(&theirs[0].to_string(), "user", "neutral", "2").unwrap();
    assert_eq!(
        field_problem(
            store
                .add_key_contact(&a, account.id, &duplicate)
                .await
                .unwrap_err(),
            "person_id"
        ),
        Problem::Taken
    );
    let foreign = KeyContactInput::parse(&ours[0].to_string(), "user", "neutral", "2").unwrap();
    assert_eq!(
        field_problem(
            store
                .add_key_contact(&a, account.id, &foreign)
                .await
                .unwrap_err(),
            "person_id"
        ),
        Problem::OtherOrganization
    );

    // The clerk first holds the board member (a mismatch), then the managing director takes over.
    let assign = |partner: PersonId, our: PersonId, kind: &str, from: &str| {
        AssignmentInput::parse(&partner.to_string(), &our.to_string(), kind, from).unwrap()
    };
    let first = store
        .assign(&a, &assign(theirs[0], ours[1], "primary", "2024-01-01"))
        .await
        .unwrap();
    let second = store
        .assign(&a, &assign(theirs[0], ours[0], "primary", "2025-03-01"))
        .await
        .unwrap();
    let ended = store.assignment(first.id).await.unwrap();
    assert_eq!(
        ended.valid_to,
        Some(day(2025, 2, 28)),
        "the old primary ends the day before"
    );
    assert_eq!(
        field_problem(
            store
                .assign(&a, &assign(theirs[0], ours[0], "deputy", "2025-04-01"))
                .await
                .unwrap_err(),
            "our_id"
        ),
        Problem::Taken
    );
    assert_eq!(
        field_problem(
            store
                .assign(&a, &assign(ours[0], ours[1], "primary", "2025-04-01"))
                .await
                .unwrap_err(),
            "partner_id"
        ),
        Problem::OutsidePartnerUnit
    );
    let rating = RatingInput::parse("2025-06-01", "4", "3", "5", "gutes Gespräch").unwrap();
    store.rate(&a, second.id, &rating).await.unwrap();
    let older = RatingInput::parse("2025-05-01", "2", "2", "2", "").unwrap();
    store.rate(&a, second.id, &older).await.unwrap();
    let current = store
        .counterparts_of(
            theirs[0],
            false,
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap();
    assert_eq!(current.len(), 1);
    assert_eq!(current[0].person.person.family_name, "Schneider");
    assert_eq!(
        current[0].relationship,
        Some(4),
        "an older rating entered later does not replace the latest"
    );
    assert_eq!(
        store
            .counterparts_of(
                theirs[0],
                true,
                &counterpart_store::Visibility::everything()
            )
            .await
            .unwrap()
            .len(),
        2,
        "history stays"
    );
    let held = store
        .counterparts_held_by(ours[0], false, &counterpart_store::Visibility::everything())
        .await
        .unwrap();
    assert_eq!(held[0].person.person.family_name, "Brandt");
    assert_eq!(
        store
            .counterparts_held_count(ours[0], &counterpart_store::Visibility::everything())
            .await
            .unwrap(),
        held.len() as u64,
        "ended pairs are not counted"
    );
    let ratings = store.ratings(second.id).await.unwrap();
    assert_eq!(
        ratings.iter().map(|r| r.relationship).collect::<Vec<_>>(),
        [2, 4],
        "oldest first"
    );
    assert_eq!(ratings[1].comment.as_deref(), Some("gutes Gespräch"));

    let summary = store
        .accounts(
            &Default::default(),
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap();
    assert_eq!((summary[0].contacts, summary[0].gaps), (2, 1));
    // The matrix writes names in SQL: with a title and a given name they read as on every page.
    let before = store.person(theirs[1]).await.unwrap();
    let mut titled = person_input("Susanne", "Kießling");
    titled.academic_title = Some("Dr.".into());
    titled.level_id = before.level_id;
    store
        .update_person(&a, theirs[1], before.version, &titled)
        .await
        .unwrap();
    let data = store
        .matrix_data(
            &Default::default(),
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap();
    for contact in &data.contacts {
        let person = store.person(contact.person_id).await.unwrap();
        assert_eq!(contact.name, person.display_name());
    }
    for counterpart in &data.counterparts {
        let person = store.person(counterpart.our_id).await.unwrap();
        assert_eq!(&*counterpart.our_name, person.display_name());
    }
    assert!(
        data.contacts
            .iter()
            .any(|c| c.name == "Dr. Susanne Kießling"),
        "{:?}",
        data.contacts
    );
    let ranks = ranks(store).await;
    // An account page reads its key contacts' people, counterparts and trends in batches;
    // they match what the one-at-a-time reads give.
    let people: Vec<PersonId> = data.contacts.iter().map(|c| c.person_id).collect();
    let persons = store.persons(&people).await.unwrap();
    assert_eq!(persons.len(), people.len());
    let each = store
        .counterparts_of_each(&people, &counterpart_store::Visibility::everything())
        .await
        .unwrap();
    for id in &people {
        assert_eq!(persons[id], store.person(*id).await.unwrap());
        let one: Vec<_> = store
            .counterparts_of(*id, false, &counterpart_store::Visibility::everything())
            .await
            .unwrap()
            .into_iter()
            .map(|v| v.assignment)
            .collect();
        let batch: Vec<_> = each
            .iter()
            .filter(|v| v.assignment.partner_id == *id)
            .map(|v| v.assignment.clone())
            .collect();
        assert_eq!(batch, one);
    }
    let ids: Vec<_> = each.iter().map(|v| v.assignment.id).collect();
    let series = store.relationship_series(&ids).await.unwrap();
    assert!(!series.is_empty(), "the rated relationship has a series");
    for &id in &ids {
        let ratings: Vec<i64> = store
            .ratings(id)
            .await
            .unwrap()
            .iter()
            .map(|r| r.relationship)
            .collect();
        assert_eq!(series.get(&id).cloned().unwrap_or_default(), ratings);
    }
    for last in [1, 2, 5] {
        let recent = store.recent_relationship_series(&ids, last).await.unwrap();
        for (id, all) in &series {
            let tail = all[all.len().saturating_sub(last)..].to_vec();
            assert_eq!(recent.get(id), Some(&tail), "the last {last} ratings");
        }
        assert_eq!(recent.len(), series.len());
    }
    let rows = build(&ranks, data.accounts, data.contacts, data.counterparts);
    assert_eq!(rows[0].gaps, 1);
    assert_eq!(rows[0].cells[0][0].counterparts[0].name, "Schneider".into());
    assert_eq!(rows[0].cells[0][0].counterparts[0].relationship, Some(4));
    assert!(rows[0].cells[2][0].is_gap(), "Kießling has nobody");
    let suppliers = store
        .accounts(
            &counterpart_store::AccountFilter {
                relation: Some(Relation::Supplier),
                ..Default::default()
            },
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap();
    assert!(suppliers.is_empty());
}

async fn mirror_suggestions_are_accepted_and_scored(store: &Store) {
    use counterpart_core::account::*;
    use counterpart_core::mirror::Settings;
    use counterpart_core::mirror::analysis::{FindingKind, analyze_portfolio};
    use counterpart_core::mirror::suggest::{Change, Scope, SuggestOptions, suggest};
    use counterpart_store::Accepted;
    let (_, customer, ours, theirs) = two_sides(store).await;
    let (schneider, krueger) = (ours[0], ours[1]);
    let (brandt, kiessling) = (theirs[0], theirs[1]);
    let a = actor("Anna");
    let input = AccountInput::parse(&AccountFields {
        organization_id: customer.to_string(),
        relation: "customer".into(),
        mode: "hierarchical".into(),
        ..Default::default()
    })
    .unwrap();
    let account = store.create_account(&a, &input).await.unwrap();
    for person in &theirs {
        let kc =
            KeyContactInput::parse(&person.to_string(), "decision_maker", "positive", "5").unwrap();
        store.add_key_contact(&a, account.id, &kc).await.unwrap();
    }
    // Key contacts without any counterpart: a score of 0 in every part is recorded, but it
    // measured nothing, so the history and the trend do not start there.
    settle(store).await;
    assert_eq!(
        store
            .accounts(
                &Default::default(),
                &counterpart_store::Visibility::everything()
            )
            .await
            .unwrap()[0]
            .mirror_score,
        Some(0.0)
    );
    assert!(store.mirror_history(account.id).await.unwrap().is_empty());
    assert!(store.mirror_trend(2, None).await.unwrap().is_empty());
    // The clerk holds the board member; the head of department has nobody.
    let bad = AssignmentInput::parse(
        &brandt.to_string(),
        &krueger.to_string(),
        "primary",
        "2024-01-01",
    )
    .unwrap();
    store.assign(&a, &bad).await.unwrap();

    let mirror = store.mirror_input(Some(account.id)).await.unwrap();
    assert_eq!(mirror.accounts.len(), 1);
    assert_eq!(mirror.accounts[0].contacts.len(), 2);
    assert_eq!(mirror.accounts[0].assignments.len(), 1);
    assert_eq!(mirror.accounts[0].assignments[0].our_id, krueger);
    assert_eq!(
        mirror
            .people
            .iter()
            .map(|p| p.person_id)
            .collect::<Vec<_>>(),
        [krueger],
        "one account comes with its holders"
    );
    assert_eq!(
        store.mirror_input(None).await.unwrap().people.len(),
        2,
        "the portfolio comes with every candidate"
    );
    assert_eq!(
        mirror
            .people
            .iter()
            .find(|p| p.person_id == krueger)
            .unwrap()
            .load,
        1
    );
    let settings = Settings::new(counterpart_store::now().date_naive());
    let analysis = analyze_portfolio(&mirror, &settings);
    let kinds: Vec<FindingKind> = analysis.accounts[0]
        .findings
        .iter()
        .map(|f| f.kind())
        .collect();
    assert!(kinds.contains(&FindingKind::Uncovered), "{kinds:?}");
    assert!(kinds.contains(&FindingKind::TheirsAbove), "{kinds:?}");
    let before = analysis.accounts[0].score.value;

    // Assigning records the work; the worker's next round the new score.
    settle(store).await;
    let listed = store
        .accounts(
            &Default::default(),
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap();
    assert_eq!(
        listed[0].mirror_score,
        Some((before * 10.0).round() / 10.0),
        "assigning recorded the new score"
    );
    let recorded = store.mirror_history(account.id).await.unwrap().len();
    store
        .refresh_mirror_scores(Some(&[account.id]))
        .await
        .unwrap();
    store.refresh_mirror_scores(None).await.unwrap();
    assert_eq!(
        store.mirror_history(account.id).await.unwrap().len(),
        recorded,
        "an unchanged score adds no history"
    );

    // "never" keeps Krüger away from Kießling; the suggestion honours it.
    store
        .set_lock(&a, kiessling, krueger, Some(false))
        .await
        .unwrap();
    let mut options = SuggestOptions::new(Scope::Account(account.id));
    options.locks = store.suggestion_locks().await.unwrap();
    let locked = suggest(
        &store.mirror_input(None).await.unwrap(),
        &options,
        &settings,
    )
    .unwrap();
    assert!(
        !locked
            .proposals
            .iter()
            .any(|p| p.partner_id == kiessling && p.ours == krueger),
        "{:?}",
        locked.proposals
    );
    store.set_lock(&a, kiessling, krueger, None).await.unwrap();
    assert!(store.locks().await.unwrap().is_empty());

    // A lock changed only as its changer saw it: made where none was, removed while it is
    // still the rule seen; otherwise refused, and nothing changes.
    store
        .change_lock(&a, kiessling, krueger, None, Some(true))
        .await
        .unwrap();
    let made = store.lock(kiessling, krueger).await.unwrap().unwrap();
    assert!(made.keep);
    assert_eq!(made.by, a.name);
    let twice = store
        .change_lock(&a, kiessling, krueger, None, Some(false))
        .await
        .unwrap_err();
    assert!(
        matches!(&twice, StoreError::Invalid(e) if e.0[0].field == "our_id"),
        "{twice:?}"
    );
    let stale = store
        .change_lock(&a, kiessling, krueger, Some(false), None)
        .await
        .unwrap_err();
    assert!(
        matches!(&stale, StoreError::Conflict { changed_by: Some(by), .. } if *by == a.name),
        "{stale:?}"
    );
    assert!(store.lock(kiessling, krueger).await.unwrap().unwrap().keep);
    store
        .change_lock(&a, kiessling, krueger, Some(true), None)
        .await
        .unwrap();
    assert_eq!(store.lock(kiessling, krueger).await.unwrap(), None);
    let gone = store
        .change_lock(&a, kiessling, krueger, Some(true), None)
        .await
        .unwrap_err();
    assert!(matches!(gone, StoreError::NotFound { .. }), "{gone:?}");

    let options = SuggestOptions::new(Scope::Account(account.id));
    let input = store.suggestion_input(account.id).await.unwrap();
    assert_eq!(input.accounts.len(), 1);
    assert_eq!(input.people.len(), 2, "every one of ours is a candidate");
    let run = suggest(&input, &options, &settings).unwrap();
    let pairs: Vec<(PersonId, PersonId, Change)> = run
        .proposals
        .iter()
        .map(|p| (p.partner_id, p.ours, p.change))
        .collect();
    assert!(
        pairs.contains(&(brandt, schneider, Change::Replace)),
        "{pairs:?}"
    );
    assert!(
        pairs.contains(&(kiessling, krueger, Change::New)),
        "{pairs:?}"
    );
    let accepted: Vec<Accepted> = run
        .proposals
        .iter()
        .map(|p| Accepted {
            partner_id: p.partner_id,
            our_id: p.ours,
            kind: p.kind,
        })
        .collect();
    let from = counterpart_store::now().date_naive();
    assert_eq!(
        store.accept_suggestions(&a, &accepted, from).await.unwrap(),
        2
    );
    assert_eq!(
        store.accept_suggestions(&a, &accepted, from).await.unwrap(),
        0,
        "accepting again changes nothing"
    );
    settle(store).await;
    let now = store
        .counterparts_of(brandt, false, &counterpart_store::Visibility::everything())
        .await
        .unwrap();
    assert_eq!(now.len(), 1);
    assert_eq!(
        now[0].person.person.id, schneider,
        "the managing director took over"
    );
    let after = store
        .accounts(
            &Default::default(),
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap()[0]
        .mirror_score
        .unwrap();
    assert!(after > before, "the score rose from {before} to {after}");
    assert_eq!(after, 100.0, "both contacts mirrored level to level");
    let history = store.mirror_history(account.id).await.unwrap();
    assert_eq!(history.len(), recorded + 1);
    assert_eq!(history.last().unwrap().1, after);
    let trend = store.mirror_trend(2, None).await.unwrap();
    let today = trend.last().unwrap();
    assert_eq!(
        (today.mean, today.accounts),
        (after, 1),
        "today's point is the latest score"
    );
    let nobody = std::collections::HashSet::new();
    assert!(
        store
            .mirror_trend(2, Some(&nobody))
            .await
            .unwrap()
            .is_empty(),
        "a unit without accounts has no trend"
    );
    let audit = store
        .audit_entries(&AuditFilter {
            entity: Some(EntityKind::Assignment),
            limit: 50,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        audit
            .iter()
            .filter(|e| e.action == AuditAction::Create)
            .count(),
        3,
        "the first assignment and both accepted ones"
    );

    store.set_capacity(&a, krueger, Some(3)).await.unwrap();
    assert_eq!(store.capacity(krueger).await.unwrap(), Some(3));
    let people = store.mirror_input(None).await.unwrap().people;
    assert_eq!(
        people
            .iter()
            .find(|p| p.person_id == krueger)
            .unwrap()
            .capacity,
        Some(3)
    );
    assert!(matches!(
        store.capacity(PersonId::new(999_999)).await,
        Err(StoreError::NotFound { .. })
    ));
}

async fn importance_scores_and_tiers(store: &Store) {
    use counterpart_core::account::*;
    use counterpart_core::importance::*;
    let (_, customer, _, _) = two_sides(store).await;
    let a = actor("Anna");
    let input = AccountInput::parse(&AccountFields {
        organization_id: customer.to_string(),
        relation: "customer".into(),
        mode: "jour_fixe".into(),
        ..Default::default()
    })
    .unwrap();
    let account = store.create_account(&a, &input).await.unwrap();
    let revenue = store
        .create_criterion(
            &a,
            &CriterionInput::parse("Umsatzanteil", "Revenue share", "", "", "customer", "30")
                .unwrap(),
        )
        .await
        .unwrap();
    let strategy = store
        .create_criterion(
            &a,
            &CriterionInput::parse(
                "Strategische Bedeutung",
                "Strategic relevance",
                "",
                "",
                "all",
                "10",
            )
            .unwrap(),
        )
        .await
        .unwrap();
    let u1 = store
        .create_user(
            &Actor::system(),
            &new_user(
                &Username::parse("berta").unwrap(),
                "Berta",
                "long enough pw",
                Role::Editor,
            ),
        )
        .await
        .unwrap();
    let u2 = store
        .create_user(
            &Actor::system(),
            &new_user(
                &Username::parse("carl").unwrap(),
                "Carl",
                "long enough pw",
                Role::Editor,
            ),
        )
        .await
        .unwrap();
    // Each rating is followed by the work it makes stale: the score, recomputed by a job.
    store
        .rate_importance(&a, u1.id, account.id, &[(revenue.id, Some(5))])
        .await
        .unwrap();
    settle(store).await;
    store
        .rate_importance(&a, u2.id, account.id, &[(revenue.id, Some(3))])
        .await
        .unwrap();
    settle(store).await;
    store
        .rate_importance(&a, u1.id, account.id, &[(strategy.id, Some(1))])
        .await
        .unwrap();
    settle(store).await;
    let score = store.account_score(account.id).await.unwrap().unwrap();
    // revenue mean 4 → 0.75 × 30; strategy 1 → 0; (22.5 / 40) × 100 = 56.25 → tier B.
    assert!((score.value - 56.25).abs() < 1e-9, "{}", score.value);
    assert_eq!(score.tier, Tier::B);
    let listed = store
        .accounts(
            &Default::default(),
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap();
    assert_eq!(listed[0].tier, Some(Tier::B));
    assert!(
        (listed[0].score.unwrap() - 56.3).abs() < 1e-9,
        "stored rounded to one decimal"
    );

    store
        .set_tiers(&a, Tiers { a: 50.0, b: 20.0 })
        .await
        .unwrap();
    settle(store).await;
    assert_eq!(
        store
            .accounts(
                &Default::default(),
                &counterpart_store::Visibility::everything()
            )
            .await
            .unwrap()[0]
            .tier,
        Some(Tier::A)
    );
    assert_eq!(store.tiers().await.unwrap(), Tiers { a: 50.0, b: 20.0 });
    let history = store.score_history(account.id).await.unwrap();
    // 5 alone → 100; with 3 → mean 4 → 75; strategy rated 1 → 56.25; new thresholds → A.
    let steps: Vec<(f64, &str)> = history.iter().map(|h| (h.1, h.2.as_str())).collect();
    assert_eq!(steps, [(100.0, "A"), (75.0, "A"), (56.3, "B"), (56.3, "A")]);

    // Withdrawing a rating rescores; weights proposals are kept per member.
    store
        .rate_importance(&a, u1.id, account.id, &[(strategy.id, None)])
        .await
        .unwrap();
    settle(store).await;
    let now = store.account_score(account.id).await.unwrap().unwrap();
    assert!((now.value - 75.0).abs() < 1e-9);

    // A member's ratings changed only from those they saw: another member's do not count.
    let berta = Actor {
        user_id: Some(u1.id),
        name: "Berta".into(),
    };
    store
        .rate_importance(&a, u2.id, account.id, &[(strategy.id, Some(2))])
        .await
        .unwrap();
    let mine = store.member_ratings(u1.id, account.id).await.unwrap();
    assert_eq!(mine, [(revenue.id, 5)]);
    let seen = counterpart_core::importance::ratings_tag(&mine);
    store
        .rate_importance_seen(&berta, u1.id, account.id, &seen, &[(revenue.id, Some(4))])
        .await
        .unwrap();
    let stale = store
        .rate_importance_seen(&a, u1.id, account.id, &seen, &[(revenue.id, Some(2))])
        .await
        .unwrap_err();
    assert!(
        matches!(&stale, StoreError::Conflict { changed_by: Some(by), changed_at: Some(_), .. } if by == "Berta"),
        "{stale:?}"
    );
    assert_eq!(
        store.member_ratings(u1.id, account.id).await.unwrap(),
        [(revenue.id, 4)],
        "nothing written"
    );
    store
        .rate_importance_seen(
            &berta,
            u1.id,
            account.id,
            &counterpart_core::importance::ratings_tag(&[(revenue.id, 4)]),
            &[(revenue.id, Some(5))],
        )
        .await
        .unwrap();
    store
        .rate_importance(&a, u2.id, account.id, &[(strategy.id, None)])
        .await
        .unwrap();
    settle(store).await;
    store
        .propose_weights(&a, u1.id, &[(revenue.id, Some(50.0))])
        .await
        .unwrap();
    store
        .propose_weights(&a, u2.id, &[(revenue.id, Some(10.0))])
        .await
        .unwrap();
    store
        .propose_weights(&a, u2.id, &[(revenue.id, Some(20.0))])
        .await
        .unwrap();
    let proposals = store.weight_proposals().await.unwrap();
    let weights: Vec<f64> = proposals.iter().map(|p| p.weight).collect();
    assert_eq!(weights, [50.0, 20.0]);
    let spread = Spread::of(weights).unwrap();
    assert!(spread.disputed(WEIGHT_DISPUTE));
    let criteria = store.criterion_ratings(Some(account.id)).await.unwrap();
    assert_eq!(criteria.len(), 2);
}

async fn generated_datasets_load_in_bulk(store: &Store) {
    use counterpart_core::generate::{Scale, generate};
    use counterpart_core::matrix::{build, sort_by_importance};
    let data = generate(Scale::SMALL, 5, day(2026, 11, 27));
    let report = store.load_generated(&data, "small (seed 5)").await.unwrap();
    let rows: std::collections::HashMap<&str, usize> = report.rows.iter().copied().collect();
    assert_eq!(rows["persons"], data.people.len());
    assert_eq!(rows["ratings"], data.ratings.len());
    assert_eq!(rows["accounts"], Scale::SMALL.partners);
    assert!(store.is_demo().await.unwrap());
    assert!(matches!(
        store.load_generated(&data, "again").await,
        Err(StoreError::Refused(_))
    ));
    // Everything the pages read works on the loaded data.
    let accounts = store
        .accounts(
            &Default::default(),
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap();
    assert_eq!(accounts.len(), Scale::SMALL.partners);
    assert!(
        accounts.iter().all(|a| a.score.is_some()),
        "scored like interactive ratings"
    );
    let matrix = store
        .matrix_data(
            &Default::default(),
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap();
    assert_eq!(matrix.contacts.len(), data.key_contacts.len());
    // The matrix page by page reads what the whole matrix holds, row for row.
    let ranks = ranks(store).await;
    let whole = build(
        &ranks,
        matrix.accounts,
        matrix.contacts,
        matrix.counterparts,
    );
    let mut ordered = store
        .matrix_accounts(
            &Default::default(),
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap();
    sort_by_importance(&mut ordered, |a| a);
    let mut paged = Vec::new();
    for page in ordered.chunks(7) {
        let data = store.matrix_data_of(page.to_vec()).await.unwrap();
        paged.extend(build(
            &ranks,
            data.accounts,
            data.contacts,
            data.counterparts,
        ));
    }
    assert_eq!(paged.len(), whole.len());
    assert!(paged == whole, "a page differs from the whole matrix");
    assert!(
        whole.iter().any(|r| r.gaps < r.contacts),
        "counterparts shown"
    );
    assert!(
        !store
            .search_people(data.people[10].family_name, None, 5)
            .await
            .unwrap()
            .is_empty()
    );
    // Organizations and accounts loaded in bulk are found by name like those made one by one.
    let account = &data.accounts[7];
    let fold = counterpart_core::text::fold;
    assert!(
        store
            .search_accounts(
                &fold(&account.name),
                50,
                &counterpart_store::Visibility::everything()
            )
            .await
            .unwrap()
            .iter()
            .any(|(id, _)| id.get() == account.id)
    );
    let organization = &data.organizations[3];
    assert!(
        store
            .search_organizations(&fold(&organization.name), 50)
            .await
            .unwrap()
            .iter()
            .any(|(id, _, _)| id.get() == organization.id)
    );
    assert!(matches!(
        try_login(store, "schneider", "demo").await,
        LoginOutcome::Success(_)
    ));
    // The generated users who write the insights and contacts log in like the demo logins.
    assert_eq!(rows["users"], data.users.len());
    let generated = data.users.last().unwrap();
    assert!(generated.person_id.is_some());
    assert!(matches!(
        try_login(store, &generated.username, "demo").await,
        LoginOutcome::Success(_)
    ));
    // Insights and the contact log arrive, searchable with umlauts folded.
    assert_eq!(rows["insights"], Scale::SMALL.insights);
    assert_eq!(rows["interactions"], Scale::SMALL.interactions);
    let everything = counterpart_store::Visibility::everything();
    let word = counterpart_core::text::fold("Gebaeudetechnik");
    let expected = data
        .insights()
        .filter(|i| counterpart_core::text::fold(&i.text.to_string()).contains(&word))
        .count();
    let found = store
        .search_insights(&word, &everything, 1_000_000)
        .await
        .unwrap();
    assert!(expected > 0);
    assert_eq!(found.len(), expected);
    assert!(
        found
            .iter()
            .all(|i| i.insight.text.contains("Gebäudetechnik"))
    );
    let word = counterpart_core::text::fold("Begehung am Standort Koeln");
    let expected = data
        .interactions()
        .filter(|c| c.summary.to_string() == "Begehung am Standort Köln")
        .count();
    let found = store
        .search_interactions(
            &word,
            1_000_000,
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap();
    assert!(expected > 0);
    assert_eq!(found.len(), expected);
    // Each pair's last contact: its latest rating or its newest contact logged, as generated.
    let mut by_contact = 0;
    for partner in data.key_contacts.iter().take(40).map(|k| k.person_id) {
        let stored = store
            .counterparts_of(
                PersonId::new(partner),
                true,
                &counterpart_store::Visibility::everything(),
            )
            .await
            .unwrap();
        for view in stored {
            let generated = data
                .assignments
                .iter()
                .find(|a| a.id == view.assignment.id.get())
                .unwrap();
            assert_eq!(view.last_contact, generated.last_contact_on);
            by_contact +=
                usize::from(view.last_contact.is_some() && view.last_contact > view.rated_on);
        }
    }
    assert!(by_contact > 0, "some pairs met after their latest rating");
    // New rows get fresh ids after the bulk load (PostgreSQL's identity moved past them).
    let own = store.own_organization().await.unwrap().unwrap();
    let created = store
        .create_person(
            &actor("Anna"),
            own.id,
            &person_input("Neu", "Person"),
            day(2026, 1, 1),
        )
        .await
        .unwrap();
    assert!(created.id.get() > data.people.len() as i64);
}

async fn imports_are_all_or_nothing_and_reimports_match(store: &Store) {
    use counterpart_core::exchange::mapping::detect;
    use counterpart_core::exchange::read::read_csv;
    store.seed_defaults().await.unwrap();
    let a = actor("Anna");
    let org = store
        .create_organization(
            &a,
            &org_input("Rheinland Kliniken", OrganizationKind::External),
        )
        .await
        .unwrap();
    let quiet = |_| {};
    // As German Excel writes it: semicolons, Windows-1252, managers by e-mail and by name,
    // the assistant before her boss in the file.
    let csv = "Vorname;Nachname;Position;Ebene;Abteilung;Vorgesetzte(r);Assistenz von;E-Mail\r\n\
               Jutta;Weiß;Assistentin;Sachbearbeitung;Vorstand;m.joens@rk.example;Margarete Jöns;j.weiss@rk.example\r\n\
               Margarete;Jöns;Vorstandsvorsitzende;1;Vorstand;;;m.joens@rk.example\r\n\
               Björn;Groß;Leiter Einkauf;3;Einkauf;Margarete Jöns;;b.gross@rk.example\r\n";
    let bytes: Vec<u8> = csv
        .chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
        .collect();
    let table = read_csv(&bytes, &Limits::default()).unwrap();
    let mapping = detect(&table.headers);
    let preview = store.plan_import(org.id, &table, &mapping).await.unwrap();
    assert!(preview.problems.is_empty(), "{:?}", preview.problems);
    assert_eq!((preview.created, preview.new_units.len()), (3, 2));
    let done = store
        .apply_import(
            &a,
            ImportTarget::Existing(org.id),
            &table,
            &mapping,
            Some((3, 0, 0)),
            &quiet,
        )
        .await
        .unwrap();
    assert_eq!(
        (done.created, done.updated, done.unchanged, done.new_units),
        (3, 0, 0, 2)
    );
    let people = store.people(org.id, None, true, 10, 0).await.unwrap();
    let by_name = |n: &str| {
        people
            .iter()
            .find(|p| p.person.family_name == n)
            .unwrap()
            .person
            .clone()
    };
    let (boss, assistant, head) = (by_name("Jöns"), by_name("Weiß"), by_name("Groß"));
    assert_eq!(assistant.assistant_of_id, Some(boss.id));
    assert_eq!(assistant.reports_to_id, Some(boss.id));
    assert_eq!(head.reports_to_id, Some(boss.id));
    assert_eq!(store.levels().await.unwrap()[0].id, boss.level_id.unwrap());
    assert_eq!(
        store.person_detail(head.id).await.unwrap().positions.len(),
        1
    );
    assert_eq!(
        store
            .search_people("gross einkauf", Some(org.id), 5)
            .await
            .unwrap()
            .len(),
        1
    );

    // The same file again: nothing new, nothing changed.
    let again = store
        .apply_import(
            &a,
            ImportTarget::Existing(org.id),
            &table,
            &mapping,
            None,
            &quiet,
        )
        .await
        .unwrap();
    assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 3));
    assert_eq!(
        store.people(org.id, None, true, 10, 0).await.unwrap().len(),
        3
    );

    // A promotion and a newcomer: one update (audited with before and after), one create.
    let changed = csv.replace("Leiter Einkauf;3", "Bereichsleiter Einkauf;2")
        + "Tim;Klein;Einkäufer;5;Einkauf;b.gross@rk.example;;t.klein@rk.example\r\n";
    let table = read_csv(changed.as_bytes(), &Limits::default()).unwrap();
    let done = store
        .apply_import(
            &a,
            ImportTarget::Existing(org.id),
            &table,
            &mapping,
            None,
            &quiet,
        )
        .await
        .unwrap();
    assert_eq!((done.created, done.updated, done.unchanged), (1, 1, 2));
    let entries = store
        .audit_entries(&AuditFilter {
            entity: Some(EntityKind::Person),
            entity_id: Some(head.id.get()),
            limit: 5,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(
        entries[0]
            .changes()
            .iter()
            .any(|c| c.0 == "job_title" && c.2 == "Bereichsleiter Einkauf")
    );

    // Problems anywhere: nothing is written, each problem names row and column.
    let broken = "Vorname;Nachname;Ebene;Vorgesetzte(r)\nAnna;Neu;Praktikantin;\nBert;;1;\nCarl;Kreis;2;Dora Kreis\nDora;Kreis;2;Carl Kreis\n";
    let table = read_csv(broken.as_bytes(), &Limits::default()).unwrap();
    let mapping = detect(&table.headers);
    let before = store
        .people(org.id, None, true, 100, 0)
        .await
        .unwrap()
        .len();
    let err = store
        .apply_import(
            &a,
            ImportTarget::Existing(org.id),
            &table,
            &mapping,
            None,
            &quiet,
        )
        .await
        .unwrap_err();
    let StoreError::ImportProblems(plan) = err else {
        panic!("expected problems, got {err:?}")
    };
    let rows: Vec<usize> = plan.problems.iter().map(|p| p.row).collect();
    assert!(
        rows.contains(&2) && rows.contains(&3) && rows.contains(&4) && rows.contains(&5),
        "{rows:?}"
    );
    assert_eq!(
        store
            .people(org.id, None, true, 100, 0)
            .await
            .unwrap()
            .len(),
        before
    );

    // Uploads wait in the database for confirmation, for their owner only.
    let user = store
        .create_user(
            &Actor::system(),
            &new_user(
                &Username::parse("imp").unwrap(),
                "Imp",
                "long enough pw",
                Role::Editor,
            ),
        )
        .await
        .unwrap();
    let bytes = vec![0u8, 1, 2, 255, b'a'];
    let id = store
        .save_upload(&a, user.id, org.id, "hr.xlsx", Some("Blatt 1"), &bytes)
        .await
        .unwrap();
    let upload = store.upload(id, user.id).await.unwrap().unwrap();
    assert_eq!(
        (upload.content, upload.sheet.as_deref()),
        (bytes, Some("Blatt 1"))
    );
    assert!(
        store
            .upload(id, counterpart_core::ids::UserId::new(999))
            .await
            .unwrap()
            .is_none()
    );
    store.delete_upload(&a, id).await.unwrap();
    assert!(store.upload(id, user.id).await.unwrap().is_none());

    // The data changed since the preview: refused.
    let table = read_csv(
        "Nachname;E-Mail\nNeumann;n@rk.example\n".as_bytes(),
        &Limits::default(),
    )
    .unwrap();
    let mapping = detect(&table.headers);
    assert!(matches!(
        store
            .apply_import(
                &a,
                ImportTarget::Existing(org.id),
                &table,
                &mapping,
                Some((5, 0, 0)),
                &quiet
            )
            .await,
        Err(StoreError::ImportChanged)
    ));
}

async fn exports_import_back_unchanged(store: &Store) {
    use counterpart_core::exchange::export::{people_table, people_vcards};
    use counterpart_core::exchange::mapping::detect;
    use counterpart_core::exchange::read::{read_csv, read_vcards, read_xlsx, vcards_to_table};
    use counterpart_core::exchange::write::{write_csv, write_vcards, write_xlsx};
    use counterpart_core::user::Language;
    store.load_demo().await.unwrap();
    let own = store.own_organization().await.unwrap().unwrap();
    let quiet = |_| {};
    let exported = store.export_people(own.id, Language::De).await.unwrap();
    assert_eq!(
        exported.len(),
        store
            .people(own.id, None, false, 1000, 0)
            .await
            .unwrap()
            .len()
    );
    let table = people_table(&exported, Language::De);
    // Shape of a person's relations, independent of ids: (name, title, level, manager's name).
    async fn shape(
        store: &Store,
        org: OrganizationId,
    ) -> Vec<(String, String, Option<i64>, String)> {
        let levels = store.levels().await.unwrap();
        let people = store.people(org, None, false, 1000, 0).await.unwrap();
        let name = |id: Option<PersonId>| {
            people
                .iter()
                .find(|p| Some(p.person.id) == id)
                .map(|p| p.person.display_name())
                .unwrap_or_default()
        };
        let mut out: Vec<_> = people
            .iter()
            .map(|p| {
                let rank = levels
                    .iter()
                    .find(|l| Some(l.id) == p.person.level_id)
                    .map(|l| l.rank);
                (
                    p.person.display_name(),
                    p.person.job_title.clone().unwrap_or_default(),
                    rank,
                    name(p.person.reports_to_id),
                )
            })
            .collect();
        out.sort();
        out
    }
    let original = shape(store, own.id).await;
    for (format, bytes) in [
        ("xlsx", write_xlsx(&[("Personen", &table)]).unwrap()),
        ("csv", write_csv(&table)),
    ] {
        let read = if format == "xlsx" {
            read_xlsx(&bytes, None, &Limits::default()).unwrap()
        } else {
            read_csv(&bytes, &Limits::default()).unwrap()
        };
        assert_eq!(read, table, "{format} reads back as written");
        let copy = store
            .create_organization(
                &actor("Anna"),
                &org_input(&format!("Kopie {format}"), OrganizationKind::External),
            )
            .await
            .unwrap();
        let mapping = detect(&read.headers);
        let done = store
            .apply_import(
                &actor("Anna"),
                ImportTarget::Existing(copy.id),
                &read,
                &mapping,
                None,
                &quiet,
            )
            .await
            .unwrap();
        assert_eq!(done.created, exported.len(), "{format}");
        assert_eq!(
            shape(store, copy.id).await,
            original,
            "{format}: the same people, titles, levels, managers"
        );
        // Importing the export of the copy into the copy changes nothing.
        let again = people_table(
            &store.export_people(copy.id, Language::De).await.unwrap(),
            Language::De,
        );
        let redo = store
            .apply_import(
                &actor("Anna"),
                ImportTarget::Existing(copy.id),
                &again,
                &detect(&again.headers),
                None,
                &quiet,
            )
            .await
            .unwrap();
        assert_eq!(
            (redo.created, redo.updated, redo.unchanged),
            (0, 0, exported.len()),
            "{format}"
        );
    }
    let cards = read_vcards(
        write_vcards(&people_vcards(&exported, &own.name, &[], Language::De)).as_bytes(),
        &Limits::default(),
    )
    .unwrap();
    assert_eq!(cards.len(), exported.len());
    let table = vcards_to_table(&cards);
    assert!(
        table
            .rows
            .iter()
            .any(|r| r.iter().any(|(_, c)| c == "Weißenfels"))
    );
}

async fn matrix_workbooks_round_trip_and_move_teams_in(store: &Store) {
    use counterpart_core::account::AssignmentKind;
    use counterpart_core::matrix::build;
    use counterpart_core::matrix_xlsx::{CellCounterpart, MatrixLine, read_matrix, write_matrix};
    use counterpart_core::user::Language;
    use counterpart_store::MatrixProblemKind;
    store.load_demo().await.unwrap();
    let levels = store.levels().await.unwrap();
    let ranks: Vec<i64> = levels.iter().map(|l| l.rank).collect();
    let data = store
        .matrix_data(
            &Default::default(),
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap();
    let rows = build(&ranks, data.accounts, data.contacts, data.counterparts);
    let names: Vec<(i64, String)> = levels.iter().map(|l| (l.rank, l.name_de.clone())).collect();
    let bytes = write_matrix(&[("Alle".to_owned(), rows.clone())], &names, Language::De).unwrap();
    let lines = read_matrix(&bytes, None, &Limits::default()).unwrap();
    assert_eq!(lines.len(), rows.iter().map(|r| r.contacts).sum::<usize>());
    // The exported matrix imported into the same data changes nothing.
    let same = store
        .import_matrix(
            &actor("Anna"),
            &lines,
            true,
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(same, Default::default(), "{same:?}");

    // A team moves in a new customer from its own sheet.
    let mut edited = lines.clone();
    edited.push(MatrixLine {
        row: 99,
        cell: "B99".into(),
        account: "Rheinland Kliniken gGmbH".into(),
        level_rank: Some(1),
        person: "Dr. Eva Neu".into(),
        role: None,
        counterparts: vec![CellCounterpart {
            name: "Katharina Schneider".into(),
            kind: AssignmentKind::Primary,
            rating: Some(4),
        }],
    });
    let dry = store
        .import_matrix(
            &actor("Anna"),
            &edited,
            false,
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(dry.accounts, 1, "a dry run tells what would happen");
    assert!(
        !store
            .accounts(
                &Default::default(),
                &counterpart_store::Visibility::everything()
            )
            .await
            .unwrap()
            .iter()
            .any(|a| a.account.name == "Rheinland Kliniken gGmbH"),
        "and writes nothing"
    );
    let moved = store
        .import_matrix(
            &actor("Anna"),
            &edited,
            true,
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            moved.accounts,
            moved.people,
            moved.key_contacts,
            moved.assignments,
            moved.ratings
        ),
        (1, 1, 1, 1, 1)
    );
    let account = store
        .accounts(
            &Default::default(),
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.account.name == "Rheinland Kliniken gGmbH")
        .unwrap();
    assert_eq!((account.contacts, account.gaps), (1, 0));
    let eva = store
        .search_people("eva neu", None, 1)
        .await
        .unwrap()
        .remove(0)
        .person;
    assert_eq!(eva.academic_title.as_deref(), Some("Dr."));
    assert_eq!(
        eva.level_id,
        Some(levels[0].id),
        "created at the column's level"
    );

    // Unknown people of ours are named with their cell; nothing is written.
    edited.push(MatrixLine {
        row: 100,
        cell: "C100".into(),
        account: "Noch ein Kunde".into(),
        level_rank: Some(2),
        person: "Max Muster".into(),
        role: None,
        counterparts: vec![CellCounterpart {
            name: "Niemand Unbekannt".into(),
            kind: AssignmentKind::Primary,
            rating: None,
        }],
    });
    let problems = store
        .import_matrix(
            &actor("Anna"),
            &edited,
            true,
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(problems.len(), 1);
    assert_eq!(
        (problems[0].cell.as_str(), problems[0].kind),
        ("C100", MatrixProblemKind::OursNotFound)
    );
    assert!(
        !store
            .accounts(
                &Default::default(),
                &counterpart_store::Visibility::everything()
            )
            .await
            .unwrap()
            .iter()
            .any(|a| a.account.name == "Noch ein Kunde")
    );
}

/// Dump → restore into an empty database → dump gives the same bytes, on each backend and
/// across backends.
#[tokio::test]
async fn dumps_restore_losslessly_on_both_backends() {
    let source = TestDb::sqlite().await;
    source.store.load_demo().await.unwrap();
    // A manager with a higher id than their report exercises the deferred self-references.
    let own = source.store.own_organization().await.unwrap().unwrap();
    let boss = source
        .store
        .create_person(
            &actor("Anna"),
            own.id,
            &person_input("Neue", "Chefin"),
            day(2026, 1, 1),
        )
        .await
        .unwrap();
    let hit = source
        .store
        .search_people("yilmaz", None, 1)
        .await
        .unwrap()
        .remove(0)
        .person;
    let mut input = PersonInput::parse(&PersonFields {
        given_name: "Ayşe".into(),
        family_name: "Yılmaz".into(),
        ..Default::default()
    })
    .unwrap();
    input.reports_to_id = Some(boss.id);
    source
        .store
        .update_person(&actor("Anna"), hit.id, hit.version, &input)
        .await
        .unwrap();
    let mut first = Vec::new();
    source.store.dump(&mut first).await.unwrap();
    assert!(first.starts_with(br#"{"format":"counterpart-dump","version":1"#));

    for target in TestDb::both().await {
        target.store.seed_defaults().await.unwrap();
        let counts = target.store.restore(&first).await.unwrap();
        assert!(
            counts.iter().any(|(t, n)| t == "persons" && *n > 150),
            "{counts:?}"
        );
        let mut second = Vec::new();
        target.store.dump(&mut second).await.unwrap();
        assert!(
            first == second,
            "dump differs after restore on {:?}",
            target.store.backend()
        );
        // The restored database works: logins, search, new ids.
        assert!(matches!(
            try_login(&target.store, "schneider", "demo").await,
            LoginOutcome::Success(_)
        ));
        let created = target
            .store
            .create_person(
                &actor("Anna"),
                own.id,
                &person_input("Noch", "Jemand"),
                day(2026, 1, 1),
            )
            .await
            .unwrap();
        assert!(created.id > boss.id);
        // Restoring twice is refused; nothing is written.
        assert!(matches!(
            target.store.restore(&first).await,
            Err(StoreError::Refused(_))
        ));
        target.cleanup().await;
    }

    // Bad dumps name what is wrong and write nothing.
    let empty = TestDb::sqlite().await;
    let schema = serde_json::from_slice::<serde_json::Value>(&first).unwrap()["schema"]
        .as_i64()
        .unwrap();
    let bad = |text: &str| text.replace("SCHEMA", &schema.to_string()).into_bytes();
    for (dump, expected) in [
        (bad("not json"), "not a Counterpart dump"),
        (
            bad(r#"{"format":"other","version":1,"schema":SCHEMA,"tables":{}}"#),
            "unsupported dump",
        ),
        (
            bad(r#"{"format":"counterpart-dump","version":1,"schema":99,"tables":{}}"#),
            "schema version 99",
        ),
        (
            bad(
                r#"{"format":"counterpart-dump","version":1,"schema":SCHEMA,"tables":{"secrets":{"columns":[],"rows":[]}}}"#,
            ),
            "no such table",
        ),
        (
            bad(
                r#"{"format":"counterpart-dump","version":1,"schema":SCHEMA,"tables":{"organizations":{"columns":["id","name"],"rows":[["x","A"]]}}}"#,
            ),
            "row 1, column id: expected integer",
        ),
        (
            bad(
                r#"{"format":"counterpart-dump","version":1,"schema":SCHEMA,"tables":{"organizations":{"columns":["id","name","kind","notes","active","version","created_at","updated_at"],"rows":[[1,"Gut","own","Zeile\n\tEinzug",1,1,"2026-01-01T00:00:00Z","2026-01-01T00:00:00Z"],[2,"Bö\u0000se","external",null,1,1,"2026-01-01T00:00:00Z","2026-01-01T00:00:00Z"]]}}}"#,
            ),
            "table organizations: row 2, column name: control character U+0000",
        ),
    ] {
        let err = empty.store.restore(&dump).await.unwrap_err().to_string();
        assert!(err.contains(expected), "{err}");
    }
    assert!(empty.store.is_empty().await.unwrap());
    empty.cleanup().await;
    source.cleanup().await;
}

/// Every dataset the product makes goes through dump and restore in both directions between
/// the backends, with NULLs and values mixed in every nullable column (a NULL after values in
/// one multi-row insert, or the reverse, once broke PostgreSQL's prepared statements).
#[tokio::test]
async fn generated_data_with_mixed_nulls_moves_between_backends() {
    use counterpart_core::generate::{Scale, generate};
    let Some(postgres) = TestDb::postgres().await else {
        return;
    };
    let sqlite = TestDb::sqlite().await;
    let data = generate(Scale::SMALL, 9, day(2026, 11, 27));
    sqlite
        .store
        .load_generated(&data, "small (seed 9)")
        .await
        .unwrap();
    // A few changes, so that the audit log has rows of every shape.
    for name in ["Eins", "Zwei", "Drei", "Vier"] {
        sqlite
            .store
            .create_organization(&actor(name), &org_input(name, OrganizationKind::External))
            .await
            .unwrap();
    }
    // Insights with every optional reference set once and left empty once.
    {
        use counterpart_core::insight::{InsightFields, InsightInput};
        let store = &sqlite.store;
        let account = store
            .accounts(
                &Default::default(),
                &counterpart_store::Visibility::everything(),
            )
            .await
            .unwrap()[0]
            .account
            .id;
        let contacts = store.key_contacts(account).await.unwrap();
        let own = store.own_organization().await.unwrap().unwrap();
        let ours = store.people(own.id, None, true, 50, 0).await.unwrap();
        let ours = ours
            .iter()
            .find(|p| p.person.unit_id.is_some())
            .unwrap()
            .person
            .id;
        let author = store
            .create_user(
                &actor("Anna"),
                &new_user(
                    &Username::parse("insights").unwrap(),
                    "Ina Sicht",
                    "correct horse battery",
                    Role::Editor,
                ),
            )
            .await
            .unwrap()
            .id;
        let input = |source: String, until: &str| {
            InsightInput::parse(
                &InsightFields {
                    category: "needs".into(),
                    text: "Braucht Berichte.".into(),
                    source_id: source,
                    valid_until: until.into(),
                    ..Default::default()
                },
                day(2026, 11, 27),
            )
            .unwrap()
        };
        let about = |partner, account, author_person| counterpart_store::InsightAbout {
            partner,
            account,
            author,
            author_person,
        };
        store
            .create_insight(
                &actor("Ina"),
                about(Some(contacts[0].person_id), None, Some(ours)),
                &input(contacts[1].person_id.to_string(), "2027-06-30"),
            )
            .await
            .unwrap();
        store
            .create_insight(
                &actor("Ina"),
                about(None, Some(account), None),
                &input(String::new(), ""),
            )
            .await
            .unwrap();
        let call = counterpart_core::interaction::InteractionInput::parse(
            &counterpart_core::interaction::InteractionFields {
                kind: "call".into(),
                summary: "Kurz telefoniert.".into(),
                happened_on: String::new(),
            },
            day(2026, 11, 27),
        )
        .unwrap();
        let who = (author, Some(ours));
        store
            .log_interaction(
                &actor("Ina"),
                contacts[0].person_id,
                Some(account),
                who,
                &call,
                &[],
            )
            .await
            .unwrap();
        store
            .log_interaction(
                &actor("Ina"),
                contacts[1].person_id,
                None,
                (author, None),
                &call,
                &[],
            )
            .await
            .unwrap();
        // A pair with its own contact interval; two feed addresses, one read and revoked;
        // a user who has seen My day twice.
        let pair = store
            .counterparts_of(
                contacts[0].person_id,
                false,
                &counterpart_store::Visibility::everything(),
            )
            .await
            .unwrap()[0]
            .assignment
            .clone();
        store
            .set_contact_interval(&actor("Ina"), pair.id, pair.version, Some(30))
            .await
            .unwrap();
        let unit = store.person(ours).await.unwrap().unit_id.unwrap();
        let (used, token) = store
            .create_token(
                &actor("Ina"),
                author,
                &counterpart_store::testing::digest_feed(unit),
            )
            .await
            .unwrap();
        store
            .create_token(
                &actor("Ina"),
                author,
                &counterpart_store::testing::digest_feed(unit),
            )
            .await
            .unwrap();
        assert!(
            store
                .use_token(&token, counterpart_core::user::TokenKind::Digest)
                .await
                .unwrap()
                .is_some()
        );
        store
            .revoke_token(&actor("Ina"), used.id, Some(author))
            .await
            .unwrap();
        let now = counterpart_store::now();
        store.visit_my_day(author, now).await.unwrap();
        store
            .visit_my_day(author, now + chrono::TimeDelta::hours(2))
            .await
            .unwrap();
        // Answers to the guiding questions, by a user and by the command line.
        let today = now.date_naive();
        let facts = store
            .guiding_input(account, today, &counterpart_store::Visibility::everything())
            .await
            .unwrap();
        for (questionnaire, by) in [
            (
                counterpart_core::guiding::Questionnaire::Supplier,
                Some(author),
            ),
            (counterpart_core::guiding::Questionnaire::Partner, None),
        ] {
            let mut form = std::collections::HashMap::new();
            form.insert("unit_id".to_owned(), unit.to_string());
            for (i, q) in questionnaire.questions().iter().enumerate() {
                form.insert(q.as_str().to_owned(), "partly".to_owned());
                let comment = if i % 2 == 0 { "Zum Teil." } else { "" };
                form.insert(q.comment_field().to_owned(), comment.to_owned());
            }
            let pre = counterpart_core::guiding::pre_answers(
                questionnaire,
                &facts,
                &counterpart_core::mirror::Settings::new(today),
            );
            store
                .record_answer_set(
                    &actor("Ina"),
                    &counterpart_store::Answering {
                        questionnaire,
                        account,
                        answered_on: today,
                        author: by,
                    },
                    &counterpart_core::guiding::AnswerSetInput::parse(questionnaire, &form)
                        .unwrap(),
                    &pre,
                )
                .await
                .unwrap();
        }
    }
    // The jour fixe: two series (one with a place and a rule, then cancelled), meetings
    // prepared and not, items of accounts and added ones, contributions and decisions,
    // actions in and out of meetings, open and done, calendar addresses used and revoked.
    {
        use counterpart_core::jour_fixe::{ActionInput, CoverageRule, SeriesInput};
        let store = &sqlite.store;
        let own = store.own_organization().await.unwrap().unwrap();
        let unit = store.units(own.id).await.unwrap()[0].id;
        let ours = store.people(own.id, None, true, 3, 0).await.unwrap();
        let accounts = store
            .accounts(
                &Default::default(),
                &counterpart_store::Visibility::everything(),
            )
            .await
            .unwrap();
        let author = store.user_named("insights").await.unwrap().id;
        let ina = counterpart_store::Actor {
            user_id: Some(author),
            name: "Ina".into(),
        };
        let mut series = Vec::new();
        for (i, (place, rule)) in [
            (None, None),
            (
                Some("Raum 1".to_owned()),
                Some(CoverageRule {
                    internal: Some(false),
                    tier: Some(counterpart_core::importance::Tier::A),
                    unit_id: Some(unit),
                }),
            ),
        ]
        .into_iter()
        .enumerate()
        {
            let input = SeriesInput {
                name: format!("Jour fixe {i}"),
                unit_id: unit,
                first_start: day(2026, 9, 1).and_hms_opt(9, 0, 0).unwrap(),
                time_zone: "Europe/Berlin".into(),
                rrule: "FREQ=WEEKLY".into(),
                duration_minutes: 60,
                place,
                rule,
            };
            let created = store
                .create_series(&ina, ours[0].person.id, &input)
                .await
                .unwrap();
            store
                .add_participant(&ina, created.id, ours[1].person.id)
                .await
                .unwrap();
            for a in accounts.iter().take(2) {
                store
                    .cover_account(&ina, created.id, a.account.id)
                    .await
                    .unwrap();
            }
            series.push(created);
        }
        let starts = series[0].schedule().unwrap().between(
            counterpart_store::now() - chrono::Duration::days(21),
            counterpart_store::now() + chrono::Duration::days(14),
            6,
        );
        let today = counterpart_store::now().date_naive();
        for (i, at) in starts.iter().enumerate() {
            let meeting = store.meeting_at(&ina, series[0].id, *at).await.unwrap();
            if i % 2 == 1 {
                continue;
            }
            store.prepare_agenda(&ina, meeting.id, today).await.unwrap();
            let added = store
                .add_agenda_item(&ina, meeting.id, "Budget")
                .await
                .unwrap();
            let agenda = store.agenda(meeting.id).await.unwrap();
            let first = agenda[0].id;
            let insight = counterpart_core::insight::InsightInput {
                category: counterpart_core::insight::Category::Needs,
                text: "Braucht ein Budget.".into(),
                learned_on: today,
                source_id: None,
                certainty: counterpart_core::insight::Certainty::Heard,
                valid_until: None,
                confidential: false,
            };
            store
                .contribute(&ina, (meeting.id, first), (author, None), &insight)
                .await
                .unwrap();
            store
                .decide(&ina, (meeting.id, added), "Im Januar.")
                .await
                .unwrap();
            let action = store
                .create_action(
                    &ina,
                    Some((meeting.id, first)),
                    &ActionInput {
                        title: "Budget vorlegen".into(),
                        owner_id: ours[1].person.id,
                        due_on: today,
                    },
                )
                .await
                .unwrap();
            store
                .finish_action(&ina, action.id, action.version, Some(today))
                .await
                .unwrap();
        }
        store
            .create_action(
                &ina,
                None,
                &ActionInput {
                    title: "Ohne Termin".into(),
                    owner_id: ours[0].person.id,
                    due_on: today,
                },
            )
            .await
            .unwrap();
        let cancelled = store.series(series[1].id).await.unwrap();
        store
            .cancel_series(&ina, cancelled.id, cancelled.version)
            .await
            .unwrap();
        let calendar = counterpart_store::testing::calendar_feed();
        let (used, secret) = store.create_token(&ina, author, &calendar).await.unwrap();
        store.create_token(&ina, author, &calendar).await.unwrap();
        store
            .use_token(&secret, counterpart_core::user::TokenKind::Calendar)
            .await
            .unwrap();
        store
            .revoke_token(&ina, used.id, Some(author))
            .await
            .unwrap();
        // A second factor, one of its recovery codes used at a login.
        let secret = counterpart_core::second_factor::TotpSecret::from_bytes([4; 20]);
        let now = chrono::Utc::now().timestamp();
        let codes = store
            .enable_second_factor(&ina, author, &secret, &secret.code_at(now))
            .await
            .unwrap();
        let LoginOutcome::SecondFactor(challenge) =
            try_login(store, "insights", "correct horse battery").await
        else {
            panic!("the password asks for the code");
        };
        let used = store
            .login_code(counterpart_store::CodeAttempt {
                challenge: &challenge,
                code: &codes[0],
                client: None,
                device: None,
            })
            .await
            .unwrap();
        assert!(matches!(used, counterpart_store::CodeOutcome::Success(_)));
    }
    // What the mirror finds, recorded.
    sqlite.store.refresh_mirror_scores(None).await.unwrap();
    let left = counterpart_store::testing::mix_nulls(&sqlite.store).await;
    assert!(
        left.is_empty(),
        "columns without both NULLs and values: {left:#?}"
    );
    let mut from_sqlite = Vec::new();
    sqlite.store.dump(&mut from_sqlite).await.unwrap();

    postgres.store.seed_defaults().await.unwrap();
    postgres.store.restore(&from_sqlite).await.unwrap();
    let mut from_postgres = Vec::new();
    postgres.store.dump(&mut from_postgres).await.unwrap();
    assert!(
        from_sqlite == from_postgres,
        "SQLite → PostgreSQL changed the data"
    );

    let back = TestDb::sqlite().await;
    back.store.seed_defaults().await.unwrap();
    back.store.restore(&from_postgres).await.unwrap();
    let mut again = Vec::new();
    back.store.dump(&mut again).await.unwrap();
    assert!(
        from_postgres == again,
        "PostgreSQL → SQLite changed the data"
    );
    for db in [sqlite, postgres, back] {
        db.cleanup().await;
    }
}

/// The table registry names every table of the live schema, parents before children, with its
/// self-references: a table forgotten there would be silently left out of every backup.
#[tokio::test]
async fn the_table_registry_matches_the_schema_on_both_backends() {
    for db in TestDb::both().await {
        let problems = counterpart_store::testing::registry_problems(&db.store).await;
        assert!(
            problems.is_empty(),
            "{:?}: {problems:#?}",
            db.store.backend()
        );
        db.cleanup().await;
    }
}

/// The two backends' schemas must stay in step: same tables, columns, types and nullability.
#[tokio::test]
async fn schemas_are_in_step() {
    let sqlite = TestDb::sqlite().await;
    let Some(postgres) = TestDb::postgres().await else {
        sqlite.cleanup().await;
        return;
    };
    let left = sqlite.store.schema_columns().await.unwrap();
    let right = postgres.store.schema_columns().await.unwrap();
    assert!(
        left.len() > 50,
        "introspection found {} columns",
        left.len()
    );
    assert_eq!(left, right);
    // Migrating again changes nothing.
    assert_eq!(sqlite.store.migrate().await.unwrap(), 0);
    assert_eq!(postgres.store.migrate().await.unwrap(), 0);
    sqlite.cleanup().await;
    postgres.cleanup().await;
}

async fn two_records_of_one_human_are_merged(store: &Store) {
    use counterpart_core::account::*;
    let (own, customer, ours, theirs) = two_sides(store).await;
    let a = actor("Anna");
    let brandt = theirs[0];
    // An import under a new e-mail address made Brandt twice; the double has the e-mail, a
    // key-contact role, a counterpart with a rating, a "never" lock and someone reporting to it.
    let double = PersonInput::parse(&PersonFields {
        given_name: "Heinrich".into(),
        family_name: "Brandt".into(),
        email: "h.brandt@brandt.example".into(),
        ..Default::default()
    })
    .unwrap();
    let double = store
        .create_person(&a, customer, &double, day(2024, 1, 1))
        .await
        .unwrap()
        .id;
    let mut assistant = person_input("Ida", "Vogt");
    assistant.reports_to_id = Some(double);
    let assistant = store
        .create_person(&a, customer, &assistant, day(2024, 1, 1))
        .await
        .unwrap()
        .id;
    let account = store
        .create_account(
            &a,
            &AccountInput::parse(&AccountFields {
                organization_id: customer.to_string(),
                relation: "customer".into(),
                mode: "hierarchical".into(),
                ..Default::default()
            })
            .unwrap(),
        )
        .await
        .unwrap();
    for person in [brandt, double] {
        let kc =
            KeyContactInput::parse(&person.to_string(), "decision_maker", "positive", "4").unwrap();
        store.add_key_contact(&a, account.id, &kc).await.unwrap();
    }
    let held = store
        .assign(
            &a,
            &AssignmentInput::parse(
                &double.to_string(),
                &ours[0].to_string(),
                "primary",
                "2024-02-01",
            )
            .unwrap(),
        )
        .await
        .unwrap();
    store
        .rate(
            &a,
            held.id,
            &RatingInput::parse("2025-06-01", "4", "3", "5", "").unwrap(),
        )
        .await
        .unwrap();
    store
        .set_lock(&a, double, ours[1], Some(false))
        .await
        .unwrap();

    // The double was there when Kießling called, and the mirror has found things about it.
    let author = editor(store, "anna", "Anna").await;
    let call = counterpart_core::interaction::InteractionInput::parse(
        &counterpart_core::interaction::InteractionFields {
            kind: "call".into(),
            summary: "Telefonat zu dritt.".into(),
            happened_on: "2025-06-02".into(),
        },
        day(2026, 12, 6),
    )
    .unwrap();
    store
        .log_interaction(&a, theirs[1], None, (author, None), &call, &[double])
        .await
        .unwrap();
    store
        .refresh_mirror_scores(Some(&[account.id]))
        .await
        .unwrap();

    // Refused: one with itself, across organizations, on a stale version.
    let version = store.person(brandt).await.unwrap().version;
    let invalid = |r: counterpart_store::Result<_>| {
        matches!(r, Err(counterpart_store::StoreError::Invalid(_)))
    };
    assert!(invalid(
        store.merge_people(&a, brandt, version, brandt).await
    ));
    assert!(invalid(
        store.merge_people(&a, brandt, version, ours[0]).await
    ));
    assert!(matches!(
        store.merge_people(&a, brandt, version - 1, double).await,
        Err(counterpart_store::StoreError::Conflict { .. })
    ));
    assert!(store.person(double).await.is_ok(), "nothing changed");

    let merged = store
        .merge_people(&a, brandt, version, double)
        .await
        .unwrap();
    assert_eq!(merged.email.as_deref(), Some("h.brandt@brandt.example"));
    assert!(store.person(double).await.is_err(), "the double is gone");
    // Brandt was on the call now.
    let calls = store
        .interactions_with_person(theirs[1], &counterpart_store::Visibility::everything())
        .await
        .unwrap();
    assert_eq!(calls[0].also.0, ["Heinrich Brandt"], "{:?}", calls[0].also);
    // One key-contact role on the account, Brandt's.
    let contacts = store.key_contacts(account.id).await.unwrap();
    assert_eq!(
        contacts.iter().map(|k| k.person_id).collect::<Vec<_>>(),
        [brandt]
    );
    // The counterpart and its rating came along.
    let now = store
        .counterparts_of(brandt, true, &counterpart_store::Visibility::everything())
        .await
        .unwrap();
    assert_eq!(now.len(), 1);
    assert_eq!(now[0].assignment.our_id, ours[0]);
    assert_eq!(store.ratings(now[0].assignment.id).await.unwrap().len(), 1);
    // So did the lock and the report.
    let locks = store.locks().await.unwrap();
    assert!(
        locks
            .iter()
            .any(|l| l.partner_id == brandt && l.our_id == ours[1])
    );
    assert_eq!(
        store.person(assistant).await.unwrap().reports_to_id,
        Some(brandt)
    );
    // Both records are in the audit log.
    let gone = store
        .audit_entries(&counterpart_store::AuditFilter {
            entity: Some(counterpart_core::audit::EntityKind::Person),
            entity_id: Some(double.get()),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(gone[0].action, counterpart_core::audit::AuditAction::Delete);
    assert!(gone[0].label.contains('→'), "{}", gone[0].label);
    let _ = own;
}

async fn confidential_insights_reach_their_unit_and_those_above_only(store: &Store) {
    use counterpart_core::ids::{UnitId, UserId};
    use counterpart_core::insight::{InsightFields, InsightInput};
    use counterpart_store::{InsightAbout, Visibility};
    let (own, customer, _ours, theirs) = two_sides(store).await;
    let a = actor("Anna");
    let unit = |name: &str, parent| UnitInput {
        name: name.into(),
        kind: UnitKind::Department,
        parent_id: parent,
    };
    // Geschäftsführung → Vertrieb → Team Nord; Einkauf beside Vertrieb.
    let top = store
        .create_unit(&a, own, &unit("Geschäftsführung", None))
        .await
        .unwrap()
        .id;
    let sales = store
        .create_unit(&a, own, &unit("Vertrieb", Some(top)))
        .await
        .unwrap()
        .id;
    let north = store
        .create_unit(&a, own, &unit("Team Nord", Some(sales)))
        .await
        .unwrap()
        .id;
    let buying = store
        .create_unit(&a, own, &unit("Einkauf", Some(top)))
        .await
        .unwrap()
        .id;
    let mut clerk = person_input("Lea", "Nord");
    clerk.unit_id = Some(north);
    let clerk = store
        .create_person(&a, own, &clerk, day(2024, 1, 1))
        .await
        .unwrap()
        .id;
    let author = editor(store, "lea", "Lea Nord").await;
    let input = |confidential: &str, text: &str| {
        InsightInput::parse(
            &InsightFields {
                category: "satisfaction".into(),
                text: text.into(),
                confidential: confidential.into(),
                ..Default::default()
            },
            day(2026, 12, 6),
        )
        .unwrap()
    };
    let about = InsightAbout {
        partner: Some(theirs[0]),
        account: None,
        author,
        author_person: Some(clerk),
    };
    let open = store
        .create_insight(&a, about, &input("", "Zufrieden mit dem Service."))
        .await
        .unwrap();
    let secret = store
        .create_insight(&a, about, &input("1", "Denkt über einen Wechsel nach."))
        .await
        .unwrap();
    assert_eq!(
        secret.author_unit_id,
        Some(north),
        "the author's unit, kept"
    );
    let reader = |user: i64, units: &[UnitId]| Visibility {
        all: false,
        user: Some(UserId::new(user)),
        units: units.to_vec(),
        ..Visibility::default()
    };
    let partner = theirs[0];
    let sees = |v: Visibility| async move {
        store
            .insights_about_person(partner, &v)
            .await
            .unwrap()
            .iter()
            .map(|i| i.insight.id)
            .collect::<Vec<_>>()
    };
    let both = vec![secret.id, open.id];
    assert_eq!(
        sees(reader(author.get(), &[north])).await,
        both,
        "the author"
    );
    assert_eq!(
        sees(reader(999, &[sales, north])).await,
        both,
        "the unit above"
    );
    assert_eq!(
        sees(reader(999, &[top, sales, north, buying])).await,
        both,
        "the top"
    );
    assert_eq!(
        sees(reader(999, &[buying])).await,
        [open.id],
        "a sibling unit"
    );
    assert_eq!(
        sees(reader(999, &[])).await,
        [open.id],
        "a user without a person"
    );
    assert_eq!(
        sees(Visibility::everything()).await,
        both,
        "an administrator"
    );
    // The search folds the text like names ("ueber" finds "über") and keeps the same rule.
    let found = |v: Visibility| async move {
        store
            .search_insights(&counterpart_core::text::fold("ueber einen Wechsel"), &v, 20)
            .await
            .unwrap()
            .len()
    };
    assert_eq!(found(reader(author.get(), &[north])).await, 1);
    assert_eq!(found(reader(999, &[buying])).await, 0, "a sibling unit");
    let views = store
        .insights_about_person(theirs[0], &Visibility::everything())
        .await
        .unwrap();
    assert_eq!(views[0].author_name, "Lea Nord");
    // On the account page too, through the key contact; a withdrawn one is gone for all.
    let account = store
        .create_account(
            &a,
            &counterpart_core::account::AccountInput::parse(
                &counterpart_core::account::AccountFields {
                    organization_id: customer.to_string(),
                    relation: "customer".into(),
                    mode: "hierarchical".into(),
                    ..Default::default()
                },
            )
            .unwrap(),
        )
        .await
        .unwrap();
    let kc = counterpart_core::account::KeyContactInput::parse(
        &theirs[0].to_string(),
        "decision_maker",
        "positive",
        "4",
    )
    .unwrap();
    store.add_key_contact(&a, account.id, &kc).await.unwrap();
    let on_account = store
        .insights_about_account(account.id, &reader(999, &[buying]))
        .await
        .unwrap();
    assert_eq!(
        on_account.iter().map(|i| i.insight.id).collect::<Vec<_>>(),
        [open.id]
    );
    // The contact log: a call with the key contact, about the account, newest first.
    let call = counterpart_core::interaction::InteractionInput::parse(
        &counterpart_core::interaction::InteractionFields {
            kind: "call".into(),
            summary: "Rückruf wegen der Rechnung.".into(),
            happened_on: "2026-12-01".into(),
        },
        day(2026, 12, 6),
    )
    .unwrap();
    let logged = store
        .log_interaction(
            &a,
            theirs[0],
            Some(account.id),
            (author, Some(clerk)),
            &call,
            &[],
        )
        .await
        .unwrap();
    let with = store
        .interactions_with_person(theirs[0], &counterpart_store::Visibility::everything())
        .await
        .unwrap();
    assert_eq!(with.len(), 1);
    assert_eq!(with[0].interaction.id, logged.id);
    assert_eq!(with[0].author_name, "Lea Nord");
    assert_eq!(
        store
            .interactions_on_account(account.id, &counterpart_store::Visibility::everything())
            .await
            .unwrap()
            .len(),
        1
    );
    store
        .withdraw_insight(&a, secret.id, secret.version)
        .await
        .unwrap();
    assert_eq!(sees(Visibility::everything()).await, [open.id]);
    assert!(matches!(
        store.withdraw_insight(&a, secret.id, secret.version).await,
        Err(counterpart_store::StoreError::Conflict { .. })
    ));
}

async fn contacts_move_a_pair_forward_and_my_day_reads_what_is_new(store: &Store) {
    use counterpart_core::account::{AssignmentInput, RatingInput};
    use counterpart_core::insight::{InsightFields, InsightInput};
    use counterpart_core::interaction::{InteractionFields, InteractionInput};
    use counterpart_store::{InsightAbout, Visibility};
    let (_own, _customer, ours, theirs) = two_sides(store).await;
    let a = actor("Anna");
    let user = |name: &'static str, person| {
        let a = a.clone();
        async move {
            let mut new = new_user(
                &Username::parse(name).unwrap(),
                name,
                "correct horse battery",
                Role::Editor,
            );
            new.details.person_id = Some(person);
            store.create_user(&a, &new).await.unwrap().id
        }
    };
    let (schneider, krueger) = (
        user("schneider", ours[0]).await,
        user("krueger", ours[1]).await,
    );
    let pair = store
        .assign(
            &a,
            &AssignmentInput::parse(
                &theirs[0].to_string(),
                &ours[0].to_string(),
                "primary",
                "2026-01-01",
            )
            .unwrap(),
        )
        .await
        .unwrap();
    let last_contact = || async {
        let views = store
            .counterparts_of_each(&[theirs[0]], &counterpart_store::Visibility::everything())
            .await
            .unwrap();
        (views[0].last_contact, views[0].contact_every_days)
    };
    assert_eq!(last_contact().await, (None, None), "never in contact yet");
    // A rating is a contact; an older one does not move the pair back.
    let rating = |on: &str| RatingInput::parse(on, "4", "4", "4", "").unwrap();
    store
        .rate(&a, pair.id, &rating("2026-06-01"))
        .await
        .unwrap();
    store
        .rate(&a, pair.id, &rating("2026-03-01"))
        .await
        .unwrap();
    assert_eq!(last_contact().await.0, Some(day(2026, 6, 1)));
    // A logged contact of the pair moves it forward; a colleague's contact with the same
    // partner person is not this pair's.
    let contact = |on: &str, summary: &str| {
        InteractionInput::parse(
            &InteractionFields {
                kind: "call".into(),
                happened_on: on.into(),
                summary: summary.into(),
            },
            day(2026, 12, 6),
        )
        .unwrap()
    };
    store
        .log_interaction(
            &a,
            theirs[0],
            None,
            (krueger, Some(ours[1])),
            &contact("2026-11-30", "Kurz gesprochen."),
            &[],
        )
        .await
        .unwrap();
    assert_eq!(last_contact().await.0, Some(day(2026, 6, 1)));
    store
        .log_interaction(
            &a,
            theirs[0],
            None,
            (schneider, Some(ours[0])),
            &contact("2026-11-20", "Rückruf wegen der Straßensperrung."),
            &[],
        )
        .await
        .unwrap();
    assert_eq!(last_contact().await.0, Some(day(2026, 11, 20)));
    // A colleague's meeting at which she was there too counts for her pair.
    store
        .log_interaction(
            &a,
            theirs[0],
            None,
            (krueger, Some(ours[1])),
            &contact("2026-12-02", "Gemeinsamer Termin."),
            &[ours[0], theirs[1]],
        )
        .await
        .unwrap();
    assert_eq!(last_contact().await.0, Some(day(2026, 12, 2)));
    let newest = &store
        .interactions_with_person(theirs[0], &counterpart_store::Visibility::everything())
        .await
        .unwrap()[0];
    assert_eq!(newest.interaction.summary, "Gemeinsamer Termin.");
    assert_eq!(newest.also.0.len(), 1, "one more of theirs");
    assert_eq!(newest.also.1.len(), 1, "one more of ours");
    // The search folds the contact log like names: "Rueckruf … Strasse" finds "Rückruf … Straße".
    let found = store
        .search_interactions(
            &counterpart_core::text::fold("Rueckruf"),
            20,
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].author_name, "schneider");
    assert_eq!(
        store
            .search_interactions(
                &counterpart_core::text::fold("strassensperrung"),
                20,
                &counterpart_store::Visibility::everything()
            )
            .await
            .unwrap()
            .len(),
        1
    );

    // The pair's own interval: compare-and-set on the assignment's version, audited.
    let version = store.assignment(pair.id).await.unwrap().version;
    assert!(matches!(
        store
            .set_contact_interval(&a, pair.id, version - 1, Some(21))
            .await,
        Err(StoreError::Conflict { .. })
    ));
    assert_eq!(last_contact().await.1, None, "a lost race writes nothing");
    store
        .set_contact_interval(&a, pair.id, version, Some(21))
        .await
        .unwrap();
    assert_eq!(last_contact().await.1, Some(21));
    let audit = store
        .audit_entries(&AuditFilter {
            entity: Some(EntityKind::Assignment),
            entity_id: Some(pair.id.get()),
            before_id: None,
            limit: 50,
        })
        .await
        .unwrap();
    assert!(
        audit.iter().any(|e| e.action == AuditAction::Update
            && e.after.as_deref().is_some_and(|j| j.contains("21"))),
        "the change is in the audit log"
    );

    // My day: views within half an hour of each other are one visit; the next visit reads
    // from the last view of the one before.
    let t0 = counterpart_store::now();
    assert_eq!(store.visit_my_day(schneider, t0).await.unwrap(), None);
    assert_eq!(
        store
            .visit_my_day(schneider, t0 + chrono::TimeDelta::minutes(10))
            .await
            .unwrap(),
        None,
        "a reload is the same visit"
    );
    assert_eq!(
        store
            .visit_my_day(schneider, t0 + chrono::TimeDelta::seconds(620))
            .await
            .unwrap(),
        None,
        "a reload within a minute of the last view marked is not written down"
    );
    let previous = store
        .visit_my_day(schneider, t0 + chrono::TimeDelta::hours(3))
        .await
        .unwrap()
        .unwrap();
    let expected = t0 + chrono::TimeDelta::minutes(10);
    assert!(
        (previous - expected).num_milliseconds().abs() < 1,
        "{previous}"
    );

    // What colleagues recorded about the people I hold, not what I recorded myself.
    let insight = |text: &str, confidential: &str| {
        InsightInput::parse(
            &InsightFields {
                category: "needs".into(),
                text: text.into(),
                confidential: confidential.into(),
                ..Default::default()
            },
            day(2026, 12, 6),
        )
        .unwrap()
    };
    let by = |author, person| InsightAbout {
        partner: Some(theirs[0]),
        account: None,
        author,
        author_person: Some(person),
    };
    let since = counterpart_store::now() - chrono::TimeDelta::minutes(1);
    store
        .create_insight(&a, by(krueger, ours[1]), &insight("Braucht Berichte.", ""))
        .await
        .unwrap();
    store
        .create_insight(&a, by(schneider, ours[0]), &insight("Eigene Notiz.", ""))
        .await
        .unwrap();
    store
        .create_insight(&a, by(krueger, ours[1]), &insight("Vertraulich.", "1"))
        .await
        .unwrap();
    let holder = ours[0];
    let new_for = |v: Visibility| async move {
        store
            .insights_for_holder(holder, schneider, since, &v)
            .await
            .unwrap()
            .into_iter()
            .map(|i| i.insight.text)
            .collect::<Vec<_>>()
    };
    let plain_reader = Visibility {
        all: false,
        user: Some(schneider),
        units: Vec::new(),
        ..Visibility::default()
    };
    assert_eq!(new_for(plain_reader).await, ["Braucht Berichte."]);
    assert_eq!(
        new_for(Visibility::everything()).await,
        ["Vertraulich.", "Braucht Berichte."]
    );
    let later = counterpart_store::now() + chrono::TimeDelta::minutes(1);
    assert!(
        store
            .insights_for_holder(ours[0], schneider, later, &Visibility::everything())
            .await
            .unwrap()
            .is_empty(),
        "nothing is new after it was read"
    );
}

async fn findings_open_and_close_and_the_new_ones_reach_the_digest(store: &Store) {
    use counterpart_core::account::*;
    use counterpart_core::mirror::analysis::FindingKind;
    let (own, customer, ours, theirs) = two_sides(store).await;
    let a = actor("Anna");
    let sales = store
        .create_unit(
            &a,
            own,
            &UnitInput {
                name: "Vertrieb".into(),
                kind: UnitKind::Department,
                parent_id: None,
            },
        )
        .await
        .unwrap()
        .id;
    let account = store
        .create_account(
            &a,
            &AccountInput::parse(&AccountFields {
                organization_id: customer.to_string(),
                relation: "customer".into(),
                mode: "hierarchical".into(),
                responsible_unit_id: sales.to_string(),
                ..Default::default()
            })
            .unwrap(),
        )
        .await
        .unwrap();
    let kc =
        KeyContactInput::parse(&theirs[0].to_string(), "decision_maker", "positive", "5").unwrap();
    store.add_key_contact(&a, account.id, &kc).await.unwrap();
    // Two analyses at once (two instances' workers) record each finding once.
    let just_this = [account.id];
    let (one, other) = tokio::join!(
        store.refresh_mirror_scores(Some(&just_this)),
        store.refresh_mirror_scores(None)
    );
    one.unwrap();
    other.unwrap();
    let today = counterpart_store::now().date_naive();
    let new = store
        .new_findings_since(
            &[sales],
            today,
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap();
    let uncovered = |found: &[counterpart_store::NewFinding]| {
        found
            .iter()
            .filter(|f| {
                f.kind == FindingKind::Uncovered
                    && f.contact.as_ref().map(|c| c.0) == Some(theirs[0])
            })
            .count()
    };
    assert_eq!(uncovered(&new), 1, "Brandt has nobody of ours: {new:?}");
    let brandt = new
        .iter()
        .find(|f| f.kind == FindingKind::Uncovered)
        .unwrap();
    assert_eq!(brandt.account.0, account.id);
    assert_eq!(brandt.contact.as_ref().unwrap().1, "Brandt");
    // Seen again, it is the same finding, not a new one; nothing is new tomorrow, and other
    // units' digests do not list it.
    store.refresh_mirror_scores(None).await.unwrap();
    let again = store
        .new_findings_since(
            &[sales],
            today,
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap();
    assert_eq!(again, new);
    let tomorrow = today.succ_opt().unwrap();
    assert!(
        store
            .new_findings_since(
                &[sales],
                tomorrow,
                &counterpart_store::Visibility::everything()
            )
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        store
            .new_findings_since(&[], today, &counterpart_store::Visibility::everything())
            .await
            .unwrap()
            .is_empty()
    );
    // Schneider takes Brandt on: the finding closes with the next analysis.
    store
        .assign(
            &a,
            &AssignmentInput::parse(
                &theirs[0].to_string(),
                &ours[0].to_string(),
                "primary",
                &today.to_string(),
            )
            .unwrap(),
        )
        .await
        .unwrap();
    store
        .refresh_mirror_scores(Some(&[account.id]))
        .await
        .unwrap();
    let after = store
        .new_findings_since(
            &[sales],
            today,
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap();
    assert_eq!(uncovered(&after), 0, "{after:?}");
}

/// The kinds of findings in an account's stored mirror brief (all of them: none left over).
async fn brief_kinds(
    store: &Store,
    account: counterpart_core::ids::AccountId,
) -> Vec<counterpart_core::mirror::analysis::FindingKind> {
    let brief = store.mirror_brief(account).await.unwrap().expect("a brief");
    assert_eq!(brief.more, 0, "every finding among the top: {brief:?}");
    brief.top.iter().map(|f| f.detail.kind()).collect()
}

async fn the_mirror_brief_follows_every_change_that_moves_it(store: &Store) {
    use counterpart_core::account::*;
    use counterpart_core::interaction::{InteractionFields, InteractionInput};
    use counterpart_core::mirror::analysis::FindingKind::{NobodyResponsible, Stale, Uncovered};
    let (_, customer, ours, theirs) = two_sides(store).await;
    let a = actor("Anna");
    let fields = |mode: &str, manager: &str| AccountFields {
        organization_id: customer.to_string(),
        relation: "customer".into(),
        mode: mode.into(),
        manager_id: manager.into(),
        ..Default::default()
    };
    let account = store
        .create_account(
            &a,
            &AccountInput::parse(&fields("hierarchical", "")).unwrap(),
        )
        .await
        .unwrap();
    let kc =
        KeyContactInput::parse(&theirs[0].to_string(), "decision_maker", "positive", "5").unwrap();
    store.add_key_contact(&a, account.id, &kc).await.unwrap();
    store.run_jobs("test").await.unwrap();
    let kinds = brief_kinds(store, account.id).await;
    assert!(
        kinds.contains(&Uncovered) && kinds.contains(&NobodyResponsible),
        "{kinds:?}"
    );

    // A counterpart since two years without a contact: covered, somebody responsible, stale.
    let today = counterpart_store::now().date_naive();
    let long_ago = today - chrono::Days::new(730);
    store
        .assign(
            &a,
            &AssignmentInput::parse(
                &theirs[0].to_string(),
                &ours[0].to_string(),
                "primary",
                &long_ago.to_string(),
            )
            .unwrap(),
        )
        .await
        .unwrap();
    store.run_jobs("test").await.unwrap();
    let kinds = brief_kinds(store, account.id).await;
    assert!(
        !kinds.contains(&Uncovered) && !kinds.contains(&NobodyResponsible),
        "{kinds:?}"
    );
    assert!(kinds.contains(&Stale), "{kinds:?}");

    // A contact logged today: no longer stale.
    let contact = InteractionInput::parse(
        &InteractionFields {
            kind: "call".into(),
            happened_on: today.to_string(),
            summary: "Kurz telefoniert.".into(),
        },
        today,
    )
    .unwrap();
    store
        .log_interaction(
            &a,
            theirs[0],
            Some(account.id),
            (editor(store, "erna", "Erna").await, Some(ours[0])),
            &contact,
            &[],
        )
        .await
        .unwrap();
    store.run_jobs("test").await.unwrap();
    assert!(!brief_kinds(store, account.id).await.contains(&Stale));

    // One key account manager is asked for, and none is named: nobody responsible again; a
    // manager named: responsible.
    let account = store.account(account.id).await.unwrap();
    let account = store
        .update_account(
            &a,
            account.id,
            account.version,
            &AccountInput::parse(&fields("single_manager", "")).unwrap(),
        )
        .await
        .unwrap();
    store.run_jobs("test").await.unwrap();
    assert!(
        brief_kinds(store, account.id)
            .await
            .contains(&NobodyResponsible)
    );
    store
        .update_account(
            &a,
            account.id,
            account.version,
            &AccountInput::parse(&fields("single_manager", &ours[0].to_string())).unwrap(),
        )
        .await
        .unwrap();
    store.run_jobs("test").await.unwrap();
    assert!(
        !brief_kinds(store, account.id)
            .await
            .contains(&NobodyResponsible)
    );
}

async fn outside_jobs_are_done_by_one_worker_at_a_time(store: &Store) {
    use counterpart_store::jobs::OutsideJob::WeeklyDigests;
    store
        .enqueue_outside(WeeklyDigests, "2026-W49")
        .await
        .unwrap();
    store
        .enqueue_outside(WeeklyDigests, "2026-W49")
        .await
        .unwrap();
    // Two workers at once: one gets it.
    let (a, b) = tokio::join!(
        store.lease_outside("a", WeeklyDigests),
        store.lease_outside("b", WeeklyDigests)
    );
    let leases: Vec<_> = [a.unwrap(), b.unwrap()].into_iter().flatten().collect();
    assert_eq!(leases.len(), 1, "one row for the key, one holder");
    assert_eq!(leases[0].key, "2026-W49");
    // The store's own worker leaves it alone.
    store.run_jobs("store").await.unwrap();
    // Given back after a failure, it waits before anyone takes it again.
    store
        .give_back_outside(&leases[0], "the mail server refused for now")
        .await
        .unwrap();
    assert!(
        store
            .lease_outside("b", WeeklyDigests)
            .await
            .unwrap()
            .is_none()
    );
    // Done, it is gone; recorded again, it is there again.
    store
        .enqueue_outside(WeeklyDigests, "2026-W50")
        .await
        .unwrap();
    let next = store
        .lease_outside("b", WeeklyDigests)
        .await
        .unwrap()
        .expect("the next week is free");
    assert_eq!(next.key, "2026-W50");
    store.finish_outside(&next).await.unwrap();
    assert!(
        store
            .lease_outside("b", WeeklyDigests)
            .await
            .unwrap()
            .is_none()
    );
}
