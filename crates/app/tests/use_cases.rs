//! The use cases of the account, counterpart, mirror and people pages on the demo data: what
//! their read models hold and order, and who may change what.

use counterpart_app::mirror::{Acceptance, Picked};
use counterpart_app::{App, Config, Error, Principal};
use counterpart_core::mirror::suggest::Scope;
use counterpart_core::user::Role;
use counterpart_store::testing::TestDb;

/// The demo on a fresh SQLite database, with the app on it.
async fn demo() -> (TestDb, App) {
    let db = TestDb::sqlite().await;
    db.store.load_demo().await.expect("load demo");
    let app = App::new(db.store.clone(), Config::default());
    (db, app)
}

/// A principal with a role and no user or person behind it.
fn principal(role: Role) -> Principal {
    Principal::new(None, "Test", role, None)
}

#[tokio::test]
async fn the_account_page_orders_key_contacts_by_level_then_name() {
    let (db, app) = demo().await;
    let viewer = principal(Role::Viewer);
    for account in db
        .store
        .accounts(
            &Default::default(),
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap()
    {
        let page = app.account_page(&viewer, account.account.id).await.unwrap();
        let keys: Vec<(i64, String)> = page
            .contacts
            .iter()
            .map(|c| {
                (
                    c.level.as_ref().map_or(i64::MAX, |l| l.rank),
                    c.person.display_name(),
                )
            })
            .collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted, "{}", account.account.name);
        assert_eq!(
            page.contacts.len(),
            db.store
                .key_contacts(account.account.id)
                .await
                .unwrap()
                .len()
        );
        if let Some(mirror) = &page.mirror {
            assert!(mirror.top.len() <= 3);
            assert!(
                mirror
                    .top
                    .windows(2)
                    .all(|w| w[0].severity >= w[1].severity)
            );
        }
    }
    db.cleanup().await;
}

#[tokio::test]
async fn viewers_change_nothing_and_capacities_are_checked() {
    let (db, app) = demo().await;
    let viewer = principal(Role::Viewer);
    let editor = principal(Role::Editor);
    let own = db.store.own_organization().await.unwrap().unwrap();
    let ours = db.store.people(own.id, None, false, 1, 0).await.unwrap()[0]
        .person
        .id;
    assert!(matches!(
        app.set_capacity(&viewer, ours, "3").await,
        Err(Error::Forbidden)
    ));
    assert!(matches!(
        app.set_capacity(&editor, ours, "viele").await,
        Err(Error::Invalid(_))
    ));
    app.set_capacity(&editor, ours, " 7 ").await.unwrap();
    assert_eq!(db.store.capacity(ours).await.unwrap(), Some(7));
    let page = app.person_page(&viewer, ours).await.unwrap();
    assert_eq!(page.capacity.map(|c| c.set), Some(Some(7)));
    assert!(page.relations.is_own);
    let account = db
        .store
        .accounts(
            &Default::default(),
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap()[0]
        .account
        .id;
    let contact = db.store.key_contacts(account).await.unwrap()[0].person_id;
    assert!(matches!(
        app.set_capacity(&editor, contact, "3").await,
        Err(Error::NotApplicable)
    ));
    let page = app.person_page(&viewer, contact).await.unwrap();
    assert!(page.capacity.is_none());
    assert!(!page.relations.is_own);
    assert!(
        page.relations
            .key_contact_in
            .iter()
            .any(|k| k.account_id == account)
    );
    db.cleanup().await;
}

#[tokio::test]
async fn accepting_all_suggestions_needs_the_list_that_was_seen() {
    let (db, app) = demo().await;
    let editor = principal(Role::Editor);
    let account = db
        .store
        .accounts(
            &Default::default(),
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap()[0]
        .account
        .id;
    let scope = Scope::Account(account);
    let list = app.suggestions(&editor, scope, false).await.unwrap();
    assert_eq!(list.shown().count(), list.changes.min(300));
    let stale = Picked::All {
        fingerprint: "not what was seen".to_owned(),
    };
    match app
        .accept_suggestions(&editor, scope, false, stale)
        .await
        .unwrap()
    {
        Acceptance::Changed(again) => assert_eq!(again.fingerprint, list.fingerprint),
        other => panic!("accepted a list nobody saw: {other:?}"),
    }
    match app
        .accept_suggestions(&editor, scope, false, Picked::These(Vec::new()))
        .await
        .unwrap()
    {
        Acceptance::NonePicked(_) => {}
        other => panic!("nothing picked, yet: {other:?}"),
    }
    let seen = Picked::All {
        fingerprint: list.fingerprint.clone(),
    };
    match app
        .accept_suggestions(&editor, scope, false, seen)
        .await
        .unwrap()
    {
        Acceptance::Accepted(made) => assert!(made <= list.changes),
        Acceptance::NonePicked(_) => assert_eq!(list.changes, 0),
        other => panic!("the list seen was refused: {other:?}"),
    }
    assert!(matches!(
        app.accept_suggestions(
            &principal(Role::Viewer),
            scope,
            false,
            Picked::These(Vec::new())
        )
        .await,
        Err(Error::Forbidden)
    ));
    db.cleanup().await;
}

#[tokio::test]
async fn a_units_portfolio_holds_its_subtree_only() {
    let (db, app) = demo().await;
    let viewer = principal(Role::Viewer);
    let whole = app.portfolio_mirror(&viewer, None).await.unwrap();
    assert!(whole.unit.is_none());
    assert!(whole.attention.len() <= 25);
    let Some(top) = whole.units.iter().find(|u| u.depth == 0) else {
        panic!("the demo's units hold accounts");
    };
    let unit = app
        .portfolio_mirror(&viewer, Some(top.unit.id))
        .await
        .unwrap();
    assert_eq!(unit.unit.as_ref().map(|u| u.id), Some(top.unit.id));
    assert_eq!(unit.analysis.accounts.len(), top.rollup.accounts);
    assert!(unit.analysis.accounts.len() <= whole.analysis.accounts.len());
    db.cleanup().await;
}

#[tokio::test]
async fn visibility_follows_the_person_a_user_is() {
    let (db, app) = demo().await;
    let store = &db.store;
    // The department head's unit and every unit below it; a sibling unit is not in it.
    let krueger = store.user_named("krueger").await.unwrap();
    let person = store.person(krueger.person_id.unwrap()).await.unwrap();
    let own_unit = person
        .unit_id
        .expect("the demo's department head has a unit");
    let units = store.units(person.organization_id).await.unwrap();
    let below = counterpart_core::org::subtree(&units, own_unit);
    let seen = app.visibility(&Principal::of(&krueger)).await.unwrap();
    assert!(!seen.all);
    assert_eq!(seen.user, Some(krueger.id));
    assert_eq!(
        seen.units
            .iter()
            .copied()
            .collect::<std::collections::HashSet<_>>(),
        below
    );
    let parent = units.iter().find(|u| u.id == own_unit).unwrap().parent_id;
    if let Some(parent) = parent {
        assert!(!seen.units.contains(&parent), "not the unit above");
    }
    // Administrators see everything; a user who is no person of ours only their own.
    let admin = store.user_named("schneider").await.unwrap();
    assert!(app.visibility(&Principal::of(&admin)).await.unwrap().all);
    let mut stranger = krueger.clone();
    stranger.person_id = None;
    let own_only = app.visibility(&Principal::of(&stranger)).await.unwrap();
    assert!(own_only.units.is_empty() && own_only.user == Some(krueger.id));
}

/// The guiding questions: viewers read but do not answer; the supplier questions are for
/// suppliers only; a unit of a partner cannot answer for us; the reversed mirror and the
/// unit's comparison hold what the demo answered.
#[tokio::test]
async fn guiding_questions_are_answered_by_editors_for_units_of_ours() {
    use counterpart_core::guiding::Questionnaire;
    use std::collections::HashMap;
    let (db, app) = demo().await;
    let accounts = db
        .store
        .accounts(
            &Default::default(),
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap();
    let find = |name: &str| {
        accounts
            .iter()
            .find(|a| a.account.name.starts_with(name))
            .unwrap()
            .account
            .clone()
    };
    let (it, hansa, brandt) = (find("Konzern-IT"), find("Hansa"), find("Brandt"));
    let viewer = principal(Role::Viewer);
    let editor = principal(Role::Editor);
    let before = db
        .store
        .answer_sets(Default::default())
        .await
        .unwrap()
        .len();
    let mut form: HashMap<String, String> = HashMap::new();
    form.insert(
        "unit_id".into(),
        it.responsible_unit_id.unwrap().to_string(),
    );
    for q in Questionnaire::Partner.questions() {
        form.insert(q.as_str().into(), "yes".into());
    }
    assert!(matches!(
        app.answer_guiding(&viewer, it.id, Questionnaire::Partner, &form)
            .await,
        Err(Error::Forbidden)
    ));
    assert!(matches!(
        app.answer_guiding(&editor, it.id, Questionnaire::Supplier, &form)
            .await,
        Err(Error::NotApplicable)
    ));
    assert!(matches!(
        app.guiding_form(&viewer, it.id, Questionnaire::Supplier, None)
            .await,
        Err(Error::NotApplicable)
    ));
    // A unit of a partner organization is not one of ours.
    let partner_unit = db.store.units(brandt.organization_id).await.unwrap()[0].id;
    let mut foreign = form.clone();
    foreign.insert("unit_id".into(), partner_unit.to_string());
    match app
        .answer_guiding(&editor, it.id, Questionnaire::Partner, &foreign)
        .await
    {
        Err(Error::Invalid(errors)) => assert_eq!(
            errors.get("unit_id"),
            Some(&counterpart_core::validate::Problem::NotOwnOrganization)
        ),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        db.store
            .answer_sets(Default::default())
            .await
            .unwrap()
            .len(),
        before,
        "nothing stored"
    );

    // The form proposes the responsible unit; the supplier's form carries its mirror of us.
    let page = app
        .guiding_form(&viewer, it.id, Questionnaire::Partner, None)
        .await
        .unwrap();
    assert_eq!(page.unit, it.responsible_unit_id);
    assert_eq!(page.history.len(), 2);
    assert!(page.reverse.is_none());
    let page = app
        .guiding_form(&viewer, hansa.id, Questionnaire::Supplier, None)
        .await
        .unwrap();
    let reverse = page.reverse.expect("a supplier's mirror of us");
    assert!(reverse.rows.iter().any(|r| r.theirs.is_some()));
    assert!(
        reverse
            .rows
            .iter()
            .all(|r| reverse.labels.contains_key(&r.ours))
    );

    // Answered: a new set; the account shows it as the latest with the score before.
    let saved = app
        .answer_guiding(&editor, it.id, Questionnaire::Partner, &form)
        .await
        .unwrap();
    assert_eq!(saved.score(), 100);
    let shown = app.account_guiding(&viewer, it.id).await.unwrap();
    let (latest, before_score) = shown.partner.unwrap();
    assert_eq!(latest.id, saved.id);
    assert_eq!(before_score, Some(75));
    assert!(shown.supplier.is_none() && shown.reverse.is_none());
    let unit = app
        .unit_guiding(&viewer, it.responsible_unit_id.unwrap())
        .await
        .unwrap();
    let line = unit
        .partners
        .iter()
        .find(|p| p.account.id == it.id)
        .unwrap();
    assert_eq!(
        line.partner.iter().map(|s| s.score()).collect::<Vec<_>>(),
        vec![13, 75, 100]
    );
}

/// A live meeting's page is shared by its readers (read once per change), yet every page
/// shows what the database holds now — after writes through another instance, an insight
/// withdrawn elsewhere, a participant joining — and each reader only the confidential
/// contributions they may see.
#[tokio::test]
async fn the_meeting_page_is_shared_but_current_and_filtered_per_reader() {
    use counterpart_core::insight::InsightFields;
    let (db, app) = demo().await;
    // A second instance on the same database: its cache knows nothing of the first's writes.
    let other = App::new(db.store.clone(), Config::default());
    let store = &db.store;
    let series = store.series_list().await.unwrap()[0].series.clone();
    let meeting = store
        .meetings_of(series.id)
        .await
        .unwrap()
        .into_iter()
        .rfind(|m| m.prepared_at.is_some())
        .unwrap()
        .id;
    let item = store.agenda(meeting).await.unwrap()[0].id;
    let krueger = Principal::of(&store.user_named("krueger").await.unwrap());
    let yilmaz = Principal::of(&store.user_named("yilmaz").await.unwrap());
    let guest = Principal::of(&store.user_named("gast").await.unwrap());
    let before = app.meeting_page(&guest, meeting).await.unwrap();
    let said = |text: &str, confidential: bool| InsightFields {
        category: "needs".to_owned(),
        text: text.to_owned(),
        confidential: if confidential { "1" } else { "" }.to_owned(),
        ..Default::default()
    };

    // Written through the other instance: this one's next page has it.
    other
        .contribute(&yilmaz, (meeting, item), &said("Offen für alle.", false))
        .await
        .unwrap();
    other
        .contribute(&yilmaz, (meeting, item), &said("Nur für die Linie.", true))
        .await
        .unwrap();
    let texts = |page: &counterpart_app::jour_fixe::MeetingPage| -> Vec<String> {
        page.insights
            .values()
            .map(|v| v.insight.text.clone())
            .collect()
    };
    let seen_by_guest = app.meeting_page(&guest, meeting).await.unwrap();
    assert_eq!(
        seen_by_guest.contributions.len(),
        before.contributions.len() + 2
    );
    assert!(texts(&seen_by_guest).contains(&"Offen für alle.".to_owned()));
    assert!(
        !texts(&seen_by_guest).contains(&"Nur für die Linie.".to_owned()),
        "a guest does not see a confidential contribution"
    );
    // The author sees it, and so does whoever's unit is hers or above it, from the same copy.
    assert!(
        texts(&app.meeting_page(&yilmaz, meeting).await.unwrap())
            .contains(&"Nur für die Linie.".to_owned())
    );
    let krueger_sees = app.visibility(&krueger).await.unwrap().sees(
        true,
        yilmaz.user,
        store.person(yilmaz.person.unwrap()).await.unwrap().unit_id,
    );
    assert_eq!(
        texts(&app.meeting_page(&krueger, meeting).await.unwrap())
            .contains(&"Nur für die Linie.".to_owned()),
        krueger_sees
    );

    // Withdrawn on the account page (no write to the meeting): gone from every page.
    let open = seen_by_guest
        .insights
        .values()
        .find(|v| v.insight.text == "Offen für alle.")
        .unwrap()
        .insight
        .clone();
    other
        .withdraw_insight(&yilmaz, open.id, open.version)
        .await
        .unwrap();
    assert!(
        !texts(&app.meeting_page(&guest, meeting).await.unwrap())
            .contains(&"Offen für alle.".to_owned())
    );

    // A participant joins through the other instance: here they may change the meeting.
    let newcomer = store
        .people(
            store.own_organization().await.unwrap().unwrap().id,
            None,
            false,
            50,
            0,
        )
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.person.id)
        .find(|p| !before.participants.iter().any(|x| x.person_id == *p))
        .unwrap();
    other
        .add_participant(&krueger, series.id, newcomer)
        .await
        .unwrap();
    let page = app.meeting_page(&guest, meeting).await.unwrap();
    assert_eq!(page.participants.len(), before.participants.len() + 1);
    db.cleanup().await;
}

#[tokio::test]
async fn only_administrators_produce_access_reports_and_each_is_audited() {
    let (db, app) = demo().await;
    let own = db.store.own_organization().await.unwrap().unwrap();
    let person = db.store.people(own.id, None, false, 1, 0).await.unwrap()[0]
        .person
        .id;
    let reports = || async {
        db.store
            .audit_entries(&counterpart_store::AuditFilter {
                entity: Some(counterpart_core::audit::EntityKind::AccessReport),
                limit: 10,
                ..Default::default()
            })
            .await
            .unwrap()
    };
    for role in [Role::Viewer, Role::Editor] {
        assert!(matches!(
            app.access_report(&principal(role), person).await,
            Err(Error::Forbidden)
        ));
        assert!(matches!(
            app.records_of_processing(&principal(role)),
            Err(Error::Forbidden)
        ));
    }
    assert!(reports().await.is_empty(), "a refusal produces nothing");
    let admin = principal(Role::Admin);
    let access = app.access_report(&admin, person).await.unwrap();
    assert_eq!(access.person.id, person);
    assert_eq!(access.produced_by, admin.name);
    let audited = reports().await;
    assert_eq!(audited.len(), 1);
    assert_eq!(audited[0].entity_id, person.get());
    assert_eq!(audited[0].actor_name, admin.name);
    assert!(matches!(
        app.access_report(&admin, counterpart_core::ids::PersonId::new(987_654))
            .await,
        Err(Error::NotFound)
    ));
    assert!(app.records_of_processing(&admin).unwrap().len() > 35);
    db.cleanup().await;
}

#[tokio::test]
async fn a_digest_high_up_names_the_most_overdue_pairs_and_counts_the_rest() {
    use counterpart_app::digest::DUE_SHOWN;
    use counterpart_core::generate::{Scale, generate};
    let db = TestDb::sqlite().await;
    let today = chrono::Utc::now().date_naive();
    db.store
        .load_generated(&generate(Scale::SMALL, 3, today), "small (seed 3)")
        .await
        .unwrap();
    let app = App::new(db.store.clone(), Config::default());
    let own = db.store.own_organization().await.unwrap().unwrap();
    let top = db
        .store
        .units(own.id)
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.parent_id.is_none())
        .unwrap();
    let digest = app
        .unit_digest(&principal(Role::Admin), top.id, None)
        .await
        .unwrap();
    // The whole house has more pairs due than a digest names.
    assert_eq!(digest.due.len(), DUE_SHOWN);
    assert!(digest.due_more > 0, "{} more", digest.due_more);
    let urgency: Vec<(bool, i64)> = digest
        .due
        .iter()
        .map(|d| {
            (
                d.cadence.state == counterpart_core::cadence::State::Overdue,
                d.cadence.days,
            )
        })
        .collect();
    let mut sorted = urgency.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(urgency, sorted, "the most overdue first");
    assert!(digest.due.iter().all(|d| !d.partner.is_empty()), "named");
    db.cleanup().await;
}
