//! Erasure (Art. 17 DSGVO) on both backends: erasing one of ours removes every row the
//! registry's links mark for deletion, pseudonymises what they recorded about others and the
//! audit log, and leaves everybody else's records as they were; erasing a partner removes what
//! we knew about them; a series' convenor is refused; a second erasure finds nobody; the
//! retention review lists people without activity for years.

use chrono::NaiveDate;
use counterpart_core::account::{
    AccountInput, AssignmentInput, AssignmentKind, DecisionRole, KeyContactInput, ManagementMode,
    RatingInput, Relation, Stance,
};
use counterpart_core::audit::EntityKind;
use counterpart_core::ids::PersonId;
use counterpart_core::insight::{Category, Certainty, InsightInput};
use counterpart_core::interaction::{InteractionFields, InteractionInput};
use counterpart_core::jour_fixe::{ActionInput, SeriesInput};
use counterpart_core::org::OrganizationKind;
use counterpart_core::user::Role;
use counterpart_store::registry::Section;
use counterpart_store::testing::{World, backdate_person, rows_left_after_erasure, text_found};
use counterpart_store::{Actor, AuditFilter, InsightAbout, Refusal, Store, StoreError, Visibility};

contract!(
    erasing_a_person_leaves_nothing_of_them_and_everything_of_others,
    the_retention_review_lists_people_without_activity,
    two_erasures_of_one_person_at_once_one_wins
);

const PSEUDONYM: &str = "Früheres Teammitglied";

fn day(d: &str) -> NaiveDate {
    NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap()
}

fn insight(text: &str) -> InsightInput {
    InsightInput {
        category: Category::Needs,
        text: text.into(),
        learned_on: day("2026-11-02"),
        source_id: None,
        certainty: Certainty::Heard,
        valid_until: None,
        confidential: false,
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

fn rating(comment: &str) -> RatingInput {
    RatingInput {
        rated_on: day("2026-10-01"),
        relationship: 4,
        partnership: 3,
        satisfaction: 2,
        comment: Some(comment.into()),
    }
}

async fn erasing_a_person_leaves_nothing_of_them_and_everything_of_others(store: &Store) {
    store.seed_defaults().await.unwrap();
    let world = World::new(store);
    let admin = Actor {
        user_id: None,
        name: "Datenschutz".into(),
    };
    let own = world.organization("Nordlicht", OrganizationKind::Own).await;
    let unit = world.unit(own, "Key Account West", None).await;
    // Vera, ours, with Karl reporting to her.
    let ours = world
        .ladder_in(own, Some(unit), &["Vera Vogt", "Karl Kühn"])
        .await;
    let (vera, karl) = (ours[0], ours[1]);
    let isar = world.organization("Isar", OrganizationKind::External).await;
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
    let assign = |partner, our| AssignmentInput {
        partner_id: partner,
        our_id: our,
        kind: AssignmentKind::Primary,
        valid_from: day("2025-01-01"),
    };
    let veras_pair = store.assign(&admin, &assign(anna, vera)).await.unwrap();
    let karls_pair = store.assign(&admin, &assign(paul, karl)).await.unwrap();
    store
        .rate(&as_vogt, veras_pair.id, &rating("Vertrauen wächst"))
        .await
        .unwrap();
    // Vera rated Karl's pair once, naming herself in the comment.
    store
        .rate(&as_vogt, karls_pair.id, &rating("Vera Vogt war dabei"))
        .await
        .unwrap();
    store
        .rate(&as_kuehn, karls_pair.id, &rating("Pauls Bewertung"))
        .await
        .unwrap();
    store
        .set_lock(&as_vogt, anna, vera, Some(true))
        .await
        .unwrap();
    store
        .set_lock(&as_vogt, paul, karl, Some(false))
        .await
        .unwrap();
    let about = |partner, author, author_person| InsightAbout {
        partner: Some(partner),
        account: Some(account),
        author,
        author_person: Some(author_person),
    };
    // Vera about Paul (stays, hers no more); Karl about Paul naming Vera (stays, without her
    // name); Karl about Anna (goes with Anna).
    store
        .create_insight(
            &as_vogt,
            about(paul, vogt, vera),
            &insight("Paul plant den Umzug."),
        )
        .await
        .unwrap();
    store
        .create_insight(
            &as_kuehn,
            about(paul, kuehn, karl),
            &insight("Laut Vera Vogt zufrieden."),
        )
        .await
        .unwrap();
    store
        .create_insight(
            &as_kuehn,
            about(anna, kuehn, karl),
            &insight("Anna wechselt."),
        )
        .await
        .unwrap();
    store
        .log_interaction(
            &as_vogt,
            paul,
            Some(account),
            (vogt, Some(vera)),
            &contact("Veras Anruf bei Paul."),
            &[],
        )
        .await
        .unwrap();
    store
        .log_interaction(
            &as_kuehn,
            paul,
            Some(account),
            (kuehn, Some(karl)),
            &contact("Termin bei Isar mit Vera Vogt und Anna."),
            &[vera, anna],
        )
        .await
        .unwrap();
    // Karl convenes; Vera takes part, decides, owns an action and creates one for Karl.
    let first = (chrono::Utc::now() - chrono::Duration::days(3))
        .with_timezone(&chrono_tz::Europe::Berlin)
        .format("%Y-%m-%d 09:00")
        .to_string();
    let series = store
        .create_series(
            &as_kuehn,
            karl,
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
        .add_participant(&as_kuehn, series.id, vera)
        .await
        .unwrap();
    store
        .cover_account(&as_kuehn, series.id, account)
        .await
        .unwrap();
    let occurrence = series.schedule().unwrap().between(
        chrono::Utc::now() - chrono::Duration::days(2),
        chrono::Utc::now(),
        1,
    )[0];
    let meeting = store
        .meeting_at(&as_kuehn, series.id, occurrence)
        .await
        .unwrap();
    store
        .prepare_agenda(&as_kuehn, meeting.id, occurrence.date_naive())
        .await
        .unwrap();
    let item = store.agenda(meeting.id).await.unwrap()[0].id;
    store
        .decide(&as_vogt, (meeting.id, item), "Vera klärt den Standort.")
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
            &as_vogt,
            Some((meeting.id, item)),
            &ActionInput {
                title: "Karls Aufgabe von Vera".into(),
                owner_id: karl,
                due_on: day("2026-12-21"),
            },
        )
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
        .save_upload(&as_vogt, vogt, isar, "isar.csv", None, b"Vera Vogt;1\n")
        .await
        .unwrap();
    let paul_before = store.person(paul).await.unwrap();
    let karl_before = store.person(karl).await.unwrap();

    // The convenor cannot go before the series has another.
    let refused = store
        .erase_person(&admin, karl, PSEUDONYM)
        .await
        .unwrap_err();
    assert!(
        matches!(
            refused,
            StoreError::Refused(Refusal::ErasureBlocked(Section::SeriesConvened))
        ),
        "{refused:?}"
    );

    // The plan names what goes.
    let plan = store.erasure_plan(vera).await.unwrap().unwrap();
    let rows_of = |section| {
        plan.counts
            .iter()
            .filter(|c| c.section == section)
            .map(|c| c.rows)
            .sum::<i64>()
    };
    assert_eq!(rows_of(Section::MasterData), 1);
    assert_eq!(rows_of(Section::CounterpartsOurs), 1);
    assert_eq!(rows_of(Section::Participations), 1);
    assert_eq!(rows_of(Section::Actions), 1);
    assert_eq!(rows_of(Section::ActionsCreated), 1);
    assert!(plan.blocked_by.is_none());

    // Erase Vera.
    let erased = store.erase_person(&admin, vera, PSEUDONYM).await.unwrap();
    assert!(erased.mentions_replaced >= 3, "{erased:?}");
    assert_eq!(
        rows_left_after_erasure(store, vera, Some(vogt)).await,
        Vec::<String>::new()
    );
    for trace in ["Vera Vogt", "vogt@", "Vogt, Vera"] {
        assert_eq!(
            text_found(store, trace).await,
            Vec::<String>::new(),
            "{trace}"
        );
    }
    assert!(store.erasure_plan(vera).await.unwrap().is_none());
    // The second erasure finds nobody.
    assert!(matches!(
        store.erase_person(&admin, vera, PSEUDONYM).await,
        Err(StoreError::NotFound { .. })
    ));
    // Her account: disabled, cleared, no way in.
    let user = store.user(vogt).await.unwrap();
    assert!(!user.active);
    assert_eq!(user.display_name, PSEUDONYM);
    assert_eq!(user.username, format!("erased-{vogt}"));
    assert_eq!(user.email, None);
    assert_eq!(user.person_id, None);
    for table in ["sessions", "access_tokens", "import_uploads"] {
        assert_eq!(
            counterpart_store::testing::count_rows(store, table).await,
            0,
            "{table}"
        );
    }

    // What she recorded about others stays, as a former colleague's.
    let about_paul = store
        .insights_about_person(paul, &Visibility::everything())
        .await
        .unwrap();
    let texts: Vec<&str> = about_paul.iter().map(|i| i.insight.text.as_str()).collect();
    assert!(texts.contains(&"Paul plant den Umzug."), "{texts:?}");
    assert!(
        texts.contains(&format!("Laut {PSEUDONYM} zufrieden.").as_str()),
        "{texts:?}"
    );
    let contacts = store
        .interactions_with_person(paul, &counterpart_store::Visibility::everything())
        .await
        .unwrap();
    assert_eq!(contacts.len(), 2);
    assert!(contacts.iter().any(|c| c.author_name == PSEUDONYM));
    let contributions = store.contributions(meeting.id).await.unwrap();
    assert!(
        contributions
            .iter()
            .any(|c| c.author_name == PSEUDONYM
                && c.text.as_deref() == Some("Vera klärt den Standort.")),
        "{contributions:?}"
    );
    let ratings = store.ratings(karls_pair.id).await.unwrap();
    assert_eq!(ratings.len(), 2, "her rating of Karl's pair stays");
    assert!(ratings.iter().any(|r| r.rated_by_name == PSEUDONYM));
    let actions = store.actions_of_meeting(meeting.id).await.unwrap();
    assert_eq!(
        actions.len(),
        1,
        "her own action goes, the one she created stays"
    );
    // Everybody else's records as they were.
    let paul_after = store.person(paul).await.unwrap();
    assert_eq!(paul_after, paul_before);
    let karl_after = store.person(karl).await.unwrap();
    assert_eq!(karl_after.reports_to_id, None, "his manager is gone");
    assert_eq!(karl_after.family_name, karl_before.family_name);
    assert!(
        store
            .locks()
            .await
            .unwrap()
            .iter()
            .any(|l| l.partner_id == paul)
    );
    // The audit log: a tombstone naming her by number, and nothing else of her.
    let tombstones = store
        .audit_entries(&AuditFilter {
            entity: Some(EntityKind::Erasure),
            entity_id: Some(vera.get()),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(tombstones.len(), 1);
    assert_eq!(tombstones[0].label, format!("#{vera}"));
    assert_eq!(tombstones[0].actor_name, "Datenschutz");

    // Erase Anna, a partner: what we knew about her goes, Karl's contact she attended stays.
    store.erase_person(&admin, anna, PSEUDONYM).await.unwrap();
    assert_eq!(
        rows_left_after_erasure(store, anna, None).await,
        Vec::<String>::new()
    );
    assert_eq!(text_found(store, "Anna Amann").await, Vec::<String>::new());
    assert_eq!(
        text_found(store, "Anna wechselt").await,
        Vec::<String>::new()
    );
    assert_eq!(
        store
            .interactions_with_person(paul, &counterpart_store::Visibility::everything())
            .await
            .unwrap()
            .len(),
        2
    );
    // Paul reported to Anna: no more, and a form opened before says "changed meanwhile".
    let paul_now = store.person(paul).await.unwrap();
    assert_eq!(paul_now.reports_to_id, None);
    assert_eq!(paul_now.version, paul_before.version + 1);
    assert_eq!(
        counterpart_core::person::Person {
            reports_to_id: paul_before.reports_to_id,
            version: paul_before.version,
            ..paul_now
        },
        paul_before
    );
}

async fn the_retention_review_lists_people_without_activity(store: &Store) {
    store.seed_defaults().await.unwrap();
    let world = World::new(store);
    let admin = Actor {
        user_id: None,
        name: "Datenschutz".into(),
    };
    let isar = world.organization("Isar", OrganizationKind::External).await;
    let people = world
        .ladder(isar, &["Otto Alt", "Nina Neu", "Erik Eben"])
        .await;
    let (old, new, recent) = (people[0], people[1], people[2]);
    let years = |n: i64| chrono::Utc::now() - chrono::Duration::days(365 * n);
    backdate_person(store, old, 4 * 365).await;
    backdate_person(store, recent, 4 * 365).await;
    // Erik was spoken to a month ago.
    let kuehn = world.user("kuehn", Role::Editor, None).await;
    store
        .log_interaction(
            &Actor {
                user_id: Some(kuehn),
                name: "K".into(),
            },
            recent,
            None,
            (kuehn, None),
            &InteractionInput::parse(
                &InteractionFields {
                    kind: "call".into(),
                    happened_on: (chrono::Utc::now() - chrono::Duration::days(30))
                        .format("%Y-%m-%d")
                        .to_string(),
                    summary: "Kurz gesprochen.".into(),
                },
                chrono::Utc::now().date_naive(),
            )
            .unwrap(),
            &[],
        )
        .await
        .unwrap();
    // Four more, old too, each active a month ago in another way: the author of a contact
    // with someone else, one who attended it, an insight's source, an insight's author.
    let others = world
        .ladder(
            isar,
            &["Ada Autor", "Tom Teil", "Sven Quelle", "Ines Schreib"],
        )
        .await;
    for person in &others {
        backdate_person(store, *person, 4 * 365).await;
    }
    let month_ago = (chrono::Utc::now() - chrono::Duration::days(30)).date_naive();
    let by_kuehn = Actor {
        user_id: Some(kuehn),
        name: "K".into(),
    };
    store
        .log_interaction(
            &by_kuehn,
            new,
            None,
            (kuehn, Some(others[0])),
            &InteractionInput::parse(
                &InteractionFields {
                    kind: "meeting".into(),
                    happened_on: month_ago.format("%Y-%m-%d").to_string(),
                    summary: "Zu dritt.".into(),
                },
                chrono::Utc::now().date_naive(),
            )
            .unwrap(),
            &[others[1]],
        )
        .await
        .unwrap();
    store
        .create_insight(
            &by_kuehn,
            InsightAbout {
                partner: Some(new),
                account: None,
                author: kuehn,
                author_person: Some(others[3]),
            },
            &InsightInput {
                category: Category::Needs,
                text: "Nina plant neu.".into(),
                learned_on: month_ago,
                source_id: Some(others[2]),
                certainty: Certainty::Heard,
                valid_until: None,
                confidential: false,
            },
        )
        .await
        .unwrap();
    for person in &others {
        assert!(!store.is_dormant(*person, years(3)).await.unwrap());
    }
    let (total, listed) = store.dormant_people(years(3), 50, 0).await.unwrap();
    let ids: Vec<PersonId> = listed.iter().map(|d| d.person).collect();
    assert_eq!(ids, vec![old], "{listed:?}");
    assert_eq!(total, 1);
    assert!(!listed[0].own);
    assert!(store.is_dormant(old, years(3)).await.unwrap());
    assert!(!store.is_dormant(new, years(3)).await.unwrap());
    assert!(!store.is_dormant(recent, years(3)).await.unwrap());
    // Five years back, nobody; paging past the end, nobody.
    assert_eq!(store.dormant_people(years(5), 50, 0).await.unwrap().0, 0);
    assert!(
        store
            .dormant_people(years(3), 50, 50)
            .await
            .unwrap()
            .1
            .is_empty()
    );
    store.erase_person(&admin, old, PSEUDONYM).await.unwrap();
    assert_eq!(store.dormant_people(years(3), 50, 0).await.unwrap().0, 0);
}

async fn two_erasures_of_one_person_at_once_one_wins(store: &Store) {
    store.seed_defaults().await.unwrap();
    let world = World::new(store);
    let admin = Actor {
        user_id: None,
        name: "Datenschutz".into(),
    };
    let isar = world.organization("Isar", OrganizationKind::External).await;
    let anna = world.ladder(isar, &["Anna Amann"]).await[0];
    let (a, b) = tokio::join!(
        store.erase_person(&admin, anna, PSEUDONYM),
        store.erase_person(&admin, anna, PSEUDONYM)
    );
    let won = [&a, &b].iter().filter(|r| r.is_ok()).count();
    assert_eq!(won, 1, "{a:?} {b:?}");
    assert!(
        [a, b]
            .into_iter()
            .any(|r| matches!(r, Err(StoreError::NotFound { .. }))),
        "the other finds nobody"
    );
    let tombstones = store
        .audit_entries(&AuditFilter {
            entity: Some(EntityKind::Erasure),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(tombstones.len(), 1);
}
