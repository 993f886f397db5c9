//! Data protection on both backends: the access report (Art. 15 DSGVO) holds one of each kind
//! of record about a person, of our house and of a partner, and nothing of anybody else's;
//! producing it is audited; every column pointing to a person is covered by the registry.

use std::collections::HashMap;

use chrono::NaiveDate;
use counterpart_core::account::{
    AccountInput, AssignmentInput, AssignmentKind, DecisionRole, KeyContactInput, ManagementMode,
    RatingInput, Relation, Stance,
};
use counterpart_core::audit::EntityKind;
use counterpart_core::guiding::{AnswerSetInput, Question, Questionnaire};
use counterpart_core::ids::{PersonId, UserId};
use counterpart_core::importance::{CriterionInput, Scope};
use counterpart_core::insight::{Category, Certainty, InsightInput};
use counterpart_core::interaction::{InteractionFields, InteractionInput};
use counterpart_core::jour_fixe::{ActionInput, SeriesInput};
use counterpart_core::org::OrganizationKind;
use counterpart_core::user::Role;
use counterpart_store::registry::Section;
use counterpart_store::testing::{TestDb, World};
use counterpart_store::{
    AccessReport, Actor, Answering, AuditFilter, InsightAbout, LoginAttempt, LoginOutcome, Store,
};
use serde_json::Value;

contract!(the_access_report_holds_everything_about_a_person_and_nothing_else);

fn day(d: &str) -> NaiveDate {
    NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap()
}

fn insight(text: &str, source: Option<PersonId>) -> InsightInput {
    InsightInput {
        category: Category::Needs,
        text: text.into(),
        learned_on: day("2026-11-02"),
        source_id: source,
        certainty: Certainty::Heard,
        valid_until: None,
        confidential: true,
    }
}

fn contact(summary: &str) -> InteractionInput {
    InteractionInput::parse(
        &InteractionFields {
            kind: "call".into(),
            happened_on: "2026-11-03".into(),
            summary: summary.into(),
        },
        day("2026-12-06"),
    )
    .unwrap()
}

/// The rows of each section, by section.
fn by_section(report: &AccessReport) -> HashMap<Section, Vec<String>> {
    report
        .sections
        .iter()
        .map(|s| {
            let rows = s
                .rows
                .iter()
                .map(|r| Value::Object(r.clone()).to_string())
                .collect();
            (s.section, rows)
        })
        .collect()
}

/// The sections that hold `text` somewhere in their rows, besides the audit entries of
/// changes the person made (whose labels name what they changed).
fn holding(sections: &HashMap<Section, Vec<String>>, text: &str) -> Vec<Section> {
    let mut found: Vec<Section> = sections
        .iter()
        .filter(|(s, _)| **s != Section::AuditByThem)
        .filter(|(_, rows)| rows.iter().any(|r| r.contains(text)))
        .map(|(s, _)| *s)
        .collect();
    found.sort_by_key(|s| format!("{s:?}"));
    found
}

async fn the_access_report_holds_everything_about_a_person_and_nothing_else(store: &Store) {
    store.seed_defaults().await.unwrap();
    let world = World::new(store);
    let admin = Actor {
        user_id: None,
        name: "Datenschutz".into(),
    };
    let own = world.organization("Nordlicht", OrganizationKind::Own).await;
    let unit = world.unit(own, "Key Account West", None).await;
    // Vera, ours, with Karl reporting to her; Karl is someone else.
    let ours = world
        .ladder_in(own, Some(unit), &["Vera Vogt", "Karl Kühn"])
        .await;
    let (vera, karl) = (ours[0], ours[1]);
    let isar = world.organization("Isar", OrganizationKind::External).await;
    // Anna, a partner; Paul is someone else.
    let theirs = world.ladder(isar, &["Anna Amann", "Paul Petz"]).await;
    let (anna, paul) = (theirs[0], theirs[1]);
    let vogt = world.user("vogt", Role::Editor, Some(vera)).await;
    let kuehn = world.user("kuehn", Role::Editor, Some(karl)).await;
    let as_vogt = Actor {
        user_id: Some(vogt),
        name: "Vera Vogt".into(),
    };
    let as_kuehn = Actor {
        user_id: Some(kuehn),
        name: "Karl Kühn".into(),
    };

    // Vera manages the account; Anna and Paul are its key contacts.
    let account = store
        .create_account(
            &admin,
            &AccountInput {
                name: None,
                organization_id: isar,
                unit_id: None,
                relation: Relation::Customer,
                mode: ManagementMode::Hierarchical,
                responsible_unit_id: Some(unit),
                manager_id: Some(vera),
                notes: None,
                restricted: false,
            },
        )
        .await
        .unwrap()
        .id;
    for person in [anna, paul] {
        store
            .add_key_contact(
                &admin,
                account,
                &KeyContactInput {
                    person_id: person,
                    role: DecisionRole::DecisionMaker,
                    stance: Stance::Supporter,
                    influence: 4,
                },
            )
            .await
            .unwrap();
    }
    // Vera is Anna's counterpart, rated by Vera; Karl is Paul's.
    let assign = |partner, our| AssignmentInput {
        partner_id: partner,
        our_id: our,
        kind: AssignmentKind::Primary,
        valid_from: day("2025-01-01"),
    };
    let pair = store.assign(&admin, &assign(anna, vera)).await.unwrap();
    let other_pair = store.assign(&admin, &assign(paul, karl)).await.unwrap();
    let rating = |comment: &str| RatingInput {
        rated_on: day("2026-10-01"),
        relationship: 4,
        partnership: 3,
        satisfaction: 2,
        comment: Some(comment.into()),
    };
    store
        .rate(&as_vogt, pair.id, &rating("Vertrauen wächst"))
        .await
        .unwrap();
    store
        .rate(&as_kuehn, other_pair.id, &rating("Pauls Bewertung"))
        .await
        .unwrap();
    store
        .set_lock(&admin, anna, vera, Some(true))
        .await
        .unwrap();
    store
        .set_lock(&admin, paul, karl, Some(false))
        .await
        .unwrap();

    // Importance: Vera's weight and rating.
    let criterion = store
        .create_criterion(
            &admin,
            &CriterionInput {
                name_de: "Umsatz".into(),
                name_en: "Revenue".into(),
                description_de: String::new(),
                description_en: String::new(),
                scope: Scope::All,
                weight: 50.0,
            },
        )
        .await
        .unwrap()
        .id;
    store
        .propose_weights(&as_vogt, vogt, &[(criterion, Some(70.0))])
        .await
        .unwrap();
    store
        .rate_importance(&as_vogt, vogt, account, &[(criterion, Some(4))])
        .await
        .unwrap();

    // Knowledge: Vera writes about Anna, Paul told it; Karl writes about Paul.
    let about = |partner, author, author_person| InsightAbout {
        partner: Some(partner),
        account: Some(account),
        author,
        author_person: Some(author_person),
    };
    store
        .create_insight(
            &as_vogt,
            about(anna, vogt, vera),
            &insight("Anna braucht einen zweiten Standort.", Some(paul)),
        )
        .await
        .unwrap();
    store
        .create_insight(
            &as_kuehn,
            about(paul, kuehn, karl),
            &insight("Paul plant den Wechsel.", None),
        )
        .await
        .unwrap();
    store
        .log_interaction(
            &as_vogt,
            anna,
            Some(account),
            (vogt, Some(vera)),
            &contact("Rückruf zu Annas Standort."),
            &[],
        )
        .await
        .unwrap();
    // Karl's call with Paul, at which Anna was there too.
    store
        .log_interaction(
            &as_kuehn,
            paul,
            Some(account),
            (kuehn, Some(karl)),
            &contact("Gemeinsamer Termin bei Isar."),
            &[anna],
        )
        .await
        .unwrap();
    store
        .log_interaction(
            &as_kuehn,
            paul,
            None,
            (kuehn, Some(karl)),
            &contact("Paul allein am Telefon."),
            &[],
        )
        .await
        .unwrap();

    // The jour fixe: Vera convenes, adds an item, contributes, decides; an action for her.
    let first = (chrono::Utc::now() - chrono::Duration::days(3))
        .with_timezone(&chrono_tz::Europe::Berlin)
        .format("%Y-%m-%d 09:00")
        .to_string();
    let series = store
        .create_series(
            &as_vogt,
            vera,
            &SeriesInput {
                name: "Jour fixe Isar".into(),
                unit_id: unit,
                first_start: chrono::NaiveDateTime::parse_from_str(&first, "%Y-%m-%d %H:%M")
                    .unwrap(),
                time_zone: "Europe/Berlin".into(),
                rrule: "FREQ=DAILY".into(),
                duration_minutes: 30,
                place: None,
                rule: None,
            },
        )
        .await
        .unwrap();
    store
        .add_participant(&as_vogt, series.id, karl)
        .await
        .unwrap();
    store
        .cover_account(&as_vogt, series.id, account)
        .await
        .unwrap();
    let occurrence = series.schedule().unwrap().between(
        chrono::Utc::now() - chrono::Duration::days(2),
        chrono::Utc::now(),
        1,
    )[0];
    let meeting = store
        .meeting_at(&as_vogt, series.id, occurrence)
        .await
        .unwrap();
    store
        .prepare_agenda(&as_vogt, meeting.id, occurrence.date_naive())
        .await
        .unwrap();
    let item = store.agenda(meeting.id).await.unwrap()[0].id;
    let added = store
        .add_agenda_item(&as_vogt, meeting.id, "Standortfrage")
        .await
        .unwrap();
    store
        .decide(&as_vogt, (meeting.id, item), "Vera klärt den Standort.")
        .await
        .unwrap();
    store
        .decide(&as_kuehn, (meeting.id, added), "Karls Beschluss.")
        .await
        .unwrap();
    store
        .create_action(
            &as_kuehn,
            Some((meeting.id, item)),
            &ActionInput {
                title: "Standortliste schicken".into(),
                owner_id: vera,
                due_on: day("2026-12-20"),
            },
        )
        .await
        .unwrap();
    store
        .create_action(
            &as_kuehn,
            None,
            &ActionInput {
                title: "Karls eigene Aufgabe".into(),
                owner_id: karl,
                due_on: day("2026-12-21"),
            },
        )
        .await
        .unwrap();

    // Vera answers the guiding questions.
    let mut form: HashMap<String, String> = HashMap::new();
    form.insert("unit_id".into(), unit.to_string());
    form.insert("counterpart".into(), "partly".into());
    form.insert("counterpart_comment".into(), "Nur auf GF-Ebene.".into());
    for question in ["hierarchy", "responsible", "exchange"] {
        form.insert(question.into(), "yes".into());
    }
    let questionnaire = Question::Counterpart.questionnaire();
    assert_eq!(questionnaire, Questionnaire::Partner);
    store
        .record_answer_set(
            &as_vogt,
            &Answering {
                questionnaire,
                account,
                answered_on: day("2026-11-05"),
                author: Some(vogt),
            },
            &AnswerSetInput::parse(questionnaire, &form).unwrap(),
            &[],
        )
        .await
        .unwrap();

    // Her access: a session, a feed and a calendar address, an upload waiting.
    let LoginOutcome::Success(login) = store
        .login(LoginAttempt {
            username: "vogt",
            password: counterpart_store::testing::WORLD_PASSWORD,
            client: None,
            device: None,
        })
        .await
        .unwrap()
    else {
        panic!("Vera logs in");
    };
    let session = store
        .create_session(&login, chrono::Duration::hours(8), None, "Firefox, Linux")
        .await
        .unwrap();
    store
        .create_token(
            &as_vogt,
            vogt,
            &counterpart_store::testing::digest_feed(unit),
        )
        .await
        .unwrap();
    store
        .create_token(&as_vogt, vogt, &counterpart_store::testing::calendar_feed())
        .await
        .unwrap();
    store
        .save_upload(
            &as_vogt,
            vogt,
            isar,
            "isar-organigramm.csv",
            None,
            b"a;b\n1;2\n",
        )
        .await
        .unwrap();

    // Vera's report.
    let report = store
        .access_report(&admin, vera)
        .await
        .unwrap()
        .expect("Vera exists");
    assert_eq!(report.person, vera);
    assert_eq!(report.user, Some(vogt));
    let sections = by_section(&report);
    let has = |section: Section| {
        assert!(
            !sections[&section].is_empty(),
            "Vera's report has no {section:?}"
        );
    };
    for section in [
        Section::MasterData,
        Section::DirectReports,
        Section::Positions,
        Section::UserAccount,
        Section::Sessions,
        Section::AccessTokens,
        Section::ImportUploads,
        Section::AuditAboutPerson,
        Section::AuditAboutUser,
        Section::AccessReports,
        Section::AuditByThem,
        Section::AccountsManaged,
        Section::CounterpartsOurs,
        Section::RatingsReceived,
        Section::RatingsGiven,
        Section::Locks,
        Section::WeightProposals,
        Section::ImportanceRatings,
        Section::InsightsBy,
        Section::ContactsBy,
        Section::SeriesConvened,
        Section::Participations,
        Section::AgendaItems,
        Section::Contributions,
        Section::Actions,
        Section::GuidingAnswerSets,
        Section::GuidingAnswers,
    ] {
        has(section);
    }
    assert!(holding(&sections, "Vogt").contains(&Section::MasterData));
    assert_eq!(
        holding(&sections, "Vertrauen wächst"),
        vec![Section::RatingsGiven, Section::RatingsReceived]
    );
    assert_eq!(
        holding(&sections, "Anna braucht einen zweiten Standort."),
        vec![Section::InsightsBy]
    );
    assert_eq!(
        holding(&sections, "Nur auf GF-Ebene."),
        vec![Section::GuidingAnswers]
    );
    assert_eq!(
        holding(&sections, "Vera klärt den Standort."),
        vec![Section::Contributions]
    );
    assert_eq!(
        holding(&sections, "Standortliste schicken"),
        vec![Section::Actions]
    );
    assert_eq!(
        holding(&sections, "isar-organigramm.csv"),
        vec![Section::ImportUploads]
    );
    // Nothing of Karl's: his insight, contacts, rating, decision, action, not even in the
    // audit entries of her changes.
    let everything = serde_json::to_string(&report).unwrap();
    for theirs in [
        "Paul plant den Wechsel.",
        "Gemeinsamer Termin bei Isar.",
        "Pauls Bewertung",
        "Karls Beschluss.",
        "Karls eigene Aufgabe",
    ] {
        assert!(!everything.contains(theirs), "{theirs}");
    }
    // Karl is named as her report, nothing more about him.
    let reports = &report
        .sections
        .iter()
        .find(|s| s.section == Section::DirectReports)
        .unwrap();
    assert_eq!(reports.columns, ["id", "given_name", "family_name"]);
    assert_eq!(reports.rows.len(), 1);
    // Never a secret: no password hash, no session or address token.
    let password_hash: String = sqlx_free_password_hash(store, vogt).await;
    assert!(!everything.contains(&password_hash));
    assert!(!everything.contains("password_hash"));
    assert!(!everything.contains("token_hash"));
    assert!(!everything.contains(&session.token));
    assert!(!everything.contains(&session.csrf_token));

    // Anna's report, a partner's.
    let report = store
        .access_report(&admin, anna)
        .await
        .unwrap()
        .expect("Anna exists");
    assert_eq!(report.user, None);
    let sections = by_section(&report);
    for section in [
        Section::MasterData,
        Section::Positions,
        Section::KeyContacts,
        Section::CounterpartsTheirs,
        Section::RatingsReceived,
        Section::Locks,
        Section::InsightsAbout,
        Section::ContactsWith,
        Section::ContactsAttended,
        Section::ContactPresence,
        Section::AuditAboutPerson,
        Section::AccessReports,
    ] {
        assert!(
            !sections[&section].is_empty(),
            "Anna's report has no {section:?}"
        );
    }
    for section in [
        Section::UserAccount,
        Section::RatingsGiven,
        Section::AuditByThem,
    ] {
        assert!(sections[&section].is_empty(), "{section:?}");
    }
    assert_eq!(
        holding(&sections, "Gemeinsamer Termin bei Isar."),
        vec![Section::ContactsAttended]
    );
    for theirs in [
        "Paul plant den Wechsel.",
        "Paul allein am Telefon.",
        "Pauls Bewertung",
    ] {
        assert_eq!(
            holding(&sections, theirs),
            Vec::<Section>::new(),
            "{theirs}"
        );
    }
    // Paul's report: he was the source of Vera's insight about Anna.
    let report = store.access_report(&admin, paul).await.unwrap().unwrap();
    assert_eq!(
        holding(&by_section(&report), "Anna braucht einen zweiten Standort."),
        vec![Section::InsightsFrom]
    );

    // Each report was audited, naming the person by id only.
    let produced = store
        .audit_entries(&AuditFilter {
            entity: Some(EntityKind::AccessReport),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(produced.len(), 3);
    assert!(produced.iter().all(|e| e.actor_name == "Datenschutz"));
    assert_eq!(produced[2].entity_id, vera.get());
    assert_eq!(produced[2].label, format!("#{vera}"));
    assert!(produced.iter().all(|e| e.before.is_none()));
    assert!(
        produced
            .iter()
            .all(|e| e.after.as_deref().is_none_or(|a| !a.contains("Vogt")))
    );
    // No such person: no report, no audit entry.
    assert!(
        store
            .access_report(&admin, PersonId::new(987_654))
            .await
            .unwrap()
            .is_none()
    );
}

/// The stored password hash of a user, through the dump (the test has no SQL of its own).
async fn sqlx_free_password_hash(store: &Store, user: UserId) -> String {
    let mut dump = Vec::new();
    store.dump(&mut dump).await.unwrap();
    let dump: Value = serde_json::from_slice(&dump).unwrap();
    let users = &dump["tables"]["users"];
    let columns = users["columns"].as_array().unwrap();
    let hash = columns.iter().position(|c| c == "password_hash").unwrap();
    let id = columns.iter().position(|c| c == "id").unwrap();
    users["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r[id] == user.get())
        .unwrap()[hash]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Every column pointing to a person or a user, on both backends, is covered by a link of
/// the table registry, so the access report cannot leave a table out.
#[tokio::test]
async fn every_column_pointing_to_a_person_is_in_the_access_report() {
    for db in TestDb::both().await {
        let problems = counterpart_store::testing::access_report_problems(&db.store).await;
        assert!(
            problems.is_empty(),
            "{:?}: {problems:#?}",
            db.store.backend()
        );
        db.cleanup().await;
    }
}
