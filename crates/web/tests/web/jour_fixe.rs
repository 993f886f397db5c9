//! The customer jour fixe through its pages: convening a series, the form's errors, the live
//! meeting (contributions, decisions, actions; what another participant sees by polling),
//! the minutes as Markdown, invitations and the calendar subscription, My day.

use axum::http::StatusCode;
use counterpart_store::AuditFilter;

use crate::support::TestApp;
use crate::support::routes::Ids;

/// The last audit entry's id: a refused request must not move it.
async fn last_audit(app: &TestApp) -> counterpart_core::ids::AuditId {
    app.db
        .store
        .audit_entries(&AuditFilter {
            limit: 1,
            ..Default::default()
        })
        .await
        .unwrap()[0]
        .id
}

#[tokio::test]
async fn a_series_is_convened_and_a_wrong_form_names_each_field() {
    let app = TestApp::demo().await;
    let ids = Ids::of_demo(&app.db.store).await;
    let mut editor = app.login("krueger").await;
    let form = editor.get("/jour-fixe/new").await;
    assert_eq!(form.status, StatusCode::OK);
    form.assert_contains("Jour fixe einberufen");

    let before = last_audit(&app).await;
    let unit = ids.unit.to_string();
    let refused = editor
        .post(
            "/jour-fixe/new",
            &[
                ("name", ""),
                ("unit_id", &unit),
                ("first_date", "2027-02-30"),
                ("start_time", "09:00"),
                ("repeat", "custom"),
                ("rrule", "FREQ=MINUTELY"),
                ("place", "Raum\u{1b}[31m"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    refused.assert_contains("Bitte ausfüllen");
    refused.assert_contains("Steuerzeichen");
    assert_eq!(last_audit(&app).await, before, "nothing stored");
    // A valid first day but a clock for a recurrence: named at the rule.
    let refused = editor
        .post(
            "/jour-fixe/new",
            &[
                ("name", "Lieferanten-Jour-fixe"),
                ("unit_id", &unit),
                ("first_date", "2027-01-05"),
                ("start_time", "09:00"),
                ("repeat", "custom"),
                ("rrule", "FREQ=MINUTELY"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    refused.assert_contains("Keine Wiederholung, die ein Kalender versteht");

    let created = editor
        .post(
            "/jour-fixe/new",
            &[
                ("name", "Lieferanten-Jour-fixe"),
                ("unit_id", &unit),
                ("first_date", "2027-01-05"),
                ("start_time", "14:30"),
                ("duration_minutes", "45"),
                ("repeat", "fortnightly"),
                ("place", "Raum 2"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let page = editor.get(created.location()).await;
    page.assert_contains("Lieferanten-Jour-fixe");
    page.assert_contains("alle zwei Wochen am Dienstag, 14:30 (Europe/Berlin), 45 Minuten");
    // The convenor is the one who convened it.
    page.assert_contains("Jörg Krüger");
    let list = editor.get("/jour-fixe").await;
    list.assert_contains("Lieferanten-Jour-fixe");

    // The invitation: a recurring event in Berlin time.
    let ics = editor
        .get(&format!("{}/invitation.ics", created.location()))
        .await;
    assert_eq!(ics.status, StatusCode::OK);
    assert!(
        ics.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    let unfolded = ics.body.replace("\r\n ", "");
    for line in [
        "METHOD:REQUEST",
        "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
        "DTSTART;TZID=Europe/Berlin:20270105T143000",
        "DTEND;TZID=Europe/Berlin:20270105T151500",
        "LOCATION:Raum 2",
    ] {
        assert!(unfolded.contains(line), "{line} in\n{}", ics.body);
    }

    // An editor who does not take part reads it but changes nothing of another's series.
    let mut clerk = app.login("yilmaz").await;
    let seen = clerk.get(created.location()).await;
    assert_eq!(seen.status, StatusCode::OK);
    assert!(
        !seen.body.contains("/edit\""),
        "no edit link for an outsider"
    );
    let before = last_audit(&app).await;
    let refused = clerk
        .post(
            &format!("{}/cancel", created.location()),
            &[("version", "1")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(last_audit(&app).await, before, "nothing changed");

    // A guest reads the series but has no form to change it.
    let mut guest = app.login("gast").await;
    let seen = guest.get(created.location()).await;
    assert_eq!(seen.status, StatusCode::OK);
    assert!(
        !seen.body.contains("/participants\""),
        "no forms for a guest"
    );
}

#[tokio::test]
async fn two_participants_write_at_once_and_see_each_other_by_polling() {
    let app = TestApp::demo().await;
    let ids = Ids::of_demo(&app.db.store).await;
    let meeting = format!("/meetings/{}", ids.meeting);
    let item = format!("{meeting}/items/{}", ids.item);
    let mut krueger = app.login("krueger").await;
    let mut yilmaz = app.login("yilmaz").await;

    let page = krueger.get(&meeting).await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("Wer hat die Informationen?");
    page.assert_contains("Was sich geändert hat seit");
    let revision = app
        .db
        .store
        .meeting_revision(counterpart_core::ids::MeetingId::new(ids.meeting))
        .await
        .unwrap();
    let poll = format!("{meeting}/live?rev={revision}");
    assert_eq!(
        yilmaz.get(&poll).await.status,
        StatusCode::NO_CONTENT,
        "nothing new: nothing to fetch"
    );

    // Both write on the same item at the same moment.
    let (contributions, decisions) = (format!("{item}/contributions"), format!("{item}/decisions"));
    let (a, b) = tokio::join!(
        krueger.post(
            &contributions,
            &[
                ("category", "needs"),
                (
                    "text",
                    "Isar braucht einen festen Ansprechpartner für Notfälle."
                ),
            ],
        ),
        yilmaz.post(
            &decisions,
            &[("decision", "Notfallnummer bis Freitag an Isar schicken.")],
        ),
    );
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    assert_eq!(b.status, StatusCode::SEE_OTHER, "{}", b.body);

    // The other side's next poll brings both, marked to be swapped into the item's log.
    let fresh = yilmaz.get(&poll).await;
    assert_eq!(fresh.status, StatusCode::OK);
    fresh.assert_contains("festen Ansprechpartner für Notfälle");
    fresh.assert_contains("Notfallnummer bis Freitag");
    fresh.assert_contains(&format!("id=\"log-{}\" hx-swap-oob=\"true\"", ids.item));

    // An action for the clerk, then on her My day.
    let owner = app
        .db
        .store
        .user_named("yilmaz")
        .await
        .unwrap()
        .person_id
        .unwrap()
        .to_string();
    let agreed = krueger
        .post(
            &format!("{item}/actions"),
            &[
                ("title", "Notfallnummer an Isar senden"),
                ("owner_id", &owner),
                ("due_on", "2027-01-15"),
            ],
        )
        .await;
    assert_eq!(agreed.status, StatusCode::SEE_OTHER, "{}", agreed.body);
    let day = yilmaz.get("/").await;
    day.assert_contains("Meine Aufgaben");
    day.assert_contains("Notfallnummer an Isar senden");

    // The minutes hold all three, also as Markdown.
    let minutes = krueger.get(&format!("{meeting}/minutes.md")).await;
    assert_eq!(minutes.status, StatusCode::OK);
    for said in [
        "festen Ansprechpartner für Notfälle",
        "**Beschluss:** Notfallnummer bis Freitag an Isar schicken.",
        "Notfallnummer an Isar senden",
    ] {
        assert!(minutes.body.contains(said), "{said} in\n{}", minutes.body);
    }

    // Wrong input is named and stores nothing.
    let before = last_audit(&app).await;
    let refused = krueger
        .post(&format!("{item}/decisions"), &[("decision", "a\u{0}b")])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    refused.assert_contains("Steuerzeichen");
    let refused = krueger
        .post(
            &format!("{item}/actions"),
            &[
                ("title", "Ohne Person"),
                ("owner_id", ""),
                ("due_on", "morgen"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let long = "x".repeat(2001);
    let refused = krueger
        .post(&format!("{item}/decisions"), &[("decision", &long)])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    // A source that does not exist, sent by hand, is refused (it was a 500).
    let refused = krueger
        .post(
            &format!("{item}/contributions"),
            &[
                ("category", "needs"),
                ("text", "Von niemandem gehört."),
                ("source_id", "999999"),
            ],
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    // An item of another meeting is not this meeting's.
    let elsewhere = krueger
        .post(
            &format!("/meetings/{}/items/{}/decisions", ids.meeting, 999_999),
            &[("decision", "Geht nicht")],
        )
        .await;
    assert_eq!(elsewhere.status, StatusCode::NOT_FOUND);
    assert_eq!(last_audit(&app).await, before, "nothing stored");
}

#[tokio::test]
async fn the_calendar_subscription_serves_ones_series_until_revoked() {
    let app = TestApp::demo().await;
    let mut clerk = app.login("yilmaz").await;
    let made = clerk
        .post("/jour-fixe/calendar", &[("create", "calendar")])
        .await;
    assert_eq!(made.status, StatusCode::OK);
    let start = made.body.find("/feeds/calendar/").expect("the address");
    let address: String = made.body[start..]
        .chars()
        .take_while(|c| *c != '"')
        .collect();
    assert!(address.ends_with(".ics"), "{address}");

    // No login: the token is the key.
    let mut calendar = app.client();
    let feed = calendar.get(&address).await;
    assert_eq!(feed.status, StatusCode::OK);
    let unfolded = feed.body.replace("\r\n ", "");
    assert!(unfolded.contains("METHOD:PUBLISH"));
    assert!(unfolded.contains("SUMMARY:Kunden-Jour-fixe Immobilienwirtschaft"));
    assert!(unfolded.contains("RRULE:FREQ=MONTHLY;BYDAY=1TU"));
    assert_eq!(
        calendar.get("/feeds/calendar/wrong.ics").await.status,
        StatusCode::NOT_FOUND
    );

    let token = app
        .db
        .store
        .tokens_of(
            app.db.store.user_named("yilmaz").await.unwrap().id,
            Some(counterpart_core::user::TokenKind::Calendar),
        )
        .await
        .unwrap()[0]
        .id
        .to_string();
    let revoked = clerk
        .post("/jour-fixe/calendar/revoke", &[("id", &token)])
        .await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER);
    assert_eq!(calendar.get(&address).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn invitations_are_mailed_with_the_calendar_file_after_a_change() {
    use counterpart_app::{App, Config, Smtp};
    use counterpart_web::{AppState, WebConfig};
    let (port, mut received) = crate::digest::smtp_receiver().await;
    let config = Config {
        smtp: Some(
            Smtp::parse(&format!("smtp://127.0.0.1:{port}"), "kam@nordlicht.example").unwrap(),
        ),
        ..Config::default()
    };
    let db = counterpart_store::testing::TestDb::sqlite().await;
    db.store.load_demo().await.unwrap();
    let state = AppState::new(App::new(db.store.clone(), config), WebConfig::default());
    // The demo's series was convened and joined: one mail per participant with an address.
    let sent = counterpart_web::send_invitations(&state, "test")
        .await
        .unwrap();
    let participants = db
        .store
        .participants(db.store.series_list().await.unwrap()[0].series.id)
        .await
        .unwrap();
    let with_address = participants.iter().filter(|p| p.email.is_some()).count();
    assert!(with_address >= 2, "{participants:?}");
    // Each series or meeting changed is one job; the demo cancelled none, so: one series.
    assert_eq!(sent, with_address);
    let mail = received.try_recv().expect("a mail");
    let unfolded = mail.replace("\r\n ", "").replace("\n ", "");
    assert!(mail.contains("Subject: Einladung / Invitation"), "{mail}");
    assert!(mail.contains("text/calendar; method=REQUEST"), "{mail}");
    assert!(unfolded.contains("jour-fixe.ics"), "{mail}");
    // Nothing more until the next change; then the series' cancellation goes out.
    assert_eq!(
        counterpart_web::send_invitations(&state, "test")
            .await
            .unwrap(),
        0
    );
    let series = db.store.series_list().await.unwrap()[0].series.clone();
    db.store
        .cancel_series(
            &counterpart_store::Actor::system(),
            series.id,
            series.version,
        )
        .await
        .unwrap();
    while received.try_recv().is_ok() {}
    assert_eq!(
        counterpart_web::send_invitations(&state, "test")
            .await
            .unwrap(),
        with_address
    );
    let cancelled = received.try_recv().expect("a cancellation");
    assert!(
        cancelled.contains("Subject: Abgesagt / Cancelled"),
        "{cancelled}"
    );
    assert!(cancelled.contains("method=CANCEL"), "{cancelled}");
}

/// The first `name="at"` value of a "prepare now" form on a series page.
fn first_preparable(page: &str) -> String {
    let form = page
        .find("/occurrences/prepare\"")
        .expect("a coming meeting to prepare");
    let rest = &page[form..];
    let start = rest.find("name=\"at\" value=\"").expect("its time") + 17;
    rest[start..].chars().take_while(|c| *c != '"').collect()
}

#[tokio::test]
async fn a_meeting_moved_is_announced_anew_and_an_untouched_agenda_is_prepared_again() {
    use counterpart_core::ids::MeetingId;
    let app = TestApp::demo().await;
    let ids = Ids::of_demo(&app.db.store).await;
    let series = format!("/jour-fixe/{}", ids.series);
    let mut krueger = app.login("krueger").await;

    // Prepare the next coming meeting by hand.
    let at = first_preparable(&krueger.get(&series).await.body);
    let prepared = krueger
        .post(&format!("{series}/occurrences/prepare"), &[("at", &at)])
        .await;
    assert_eq!(prepared.status, StatusCode::SEE_OTHER, "{}", prepared.body);
    let meeting_path = prepared.location().split('#').next().unwrap().to_owned();
    let id = MeetingId::new(meeting_path.rsplit('/').next().unwrap().parse().unwrap());
    let before = app.db.store.meeting(id).await.unwrap();
    let berlin = before.starts_at.with_timezone(&chrono_tz::Europe::Berlin);
    let first = app.db.store.agenda(id).await.unwrap();
    assert!(!first.is_empty(), "the series' accounts are on the agenda");

    // Moved a day later, to 10:30, 90 minutes, another room.
    let later = berlin.date_naive() + chrono::Duration::days(1);
    let moved = krueger
        .post(
            &format!("{meeting_path}/move"),
            &[
                ("date", &later.format("%Y-%m-%d").to_string()),
                ("time", "10:30"),
                ("duration_minutes", "90"),
                ("place", "Raum 5"),
                ("version", &before.version.to_string()),
            ],
        )
        .await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
    let after = app.db.store.meeting(id).await.unwrap();
    assert_eq!(
        after
            .starts_at
            .with_timezone(&chrono_tz::Europe::Berlin)
            .format("%Y-%m-%d %H:%M")
            .to_string(),
        format!("{} 10:30", later.format("%Y-%m-%d"))
    );
    assert!(
        after.sequence > before.sequence,
        "the update replaces the invitation"
    );
    // The meeting's own invitation and the series' both carry the moved occurrence.
    let original = berlin.format("%Y%m%dT%H%M%S").to_string();
    let new_start = format!("{}T103000", later.format("%Y%m%d"));
    for path in [
        format!("{meeting_path}/invitation.ics"),
        format!("{series}/invitation.ics"),
    ] {
        let ics = krueger.get(&path).await;
        assert_eq!(ics.status, StatusCode::OK, "{path}");
        let unfolded = ics.body.replace("\r\n ", "");
        for line in [
            format!("RECURRENCE-ID;TZID=Europe/Berlin:{original}"),
            format!("DTSTART;TZID=Europe/Berlin:{new_start}"),
            format!("DTEND;TZID=Europe/Berlin:{}T120000", later.format("%Y%m%d")),
            "LOCATION:Raum 5".to_owned(),
        ] {
            assert!(unfolded.contains(&line), "{line} in {path}:\n{unfolded}");
        }
    }
    let own = krueger.get(&format!("{meeting_path}/invitation.ics")).await;
    assert!(
        own.body.contains(&format!("SEQUENCE:{}", after.sequence)),
        "{}",
        own.body
    );
    let page = krueger.get(&meeting_path).await;
    page.assert_contains("10:30");
    page.assert_contains("Raum 5");

    // A wrong move names the field and changes nothing.
    let audit = last_audit(&app).await;
    let refused = krueger
        .post(
            &format!("{meeting_path}/move"),
            &[
                ("date", "2027-02-30"),
                ("time", "25:00"),
                ("duration_minutes", "90"),
                ("place", ""),
                ("version", &after.version.to_string()),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(last_audit(&app).await, audit, "nothing stored");
    assert_eq!(
        app.db.store.meeting(id).await.unwrap().starts_at,
        after.starts_at
    );

    // Untouched, the agenda is prepared again from today's data: new items, same accounts.
    let again = krueger
        .post(&format!("{meeting_path}/prepare-again"), &[])
        .await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);
    let second = app.db.store.agenda(id).await.unwrap();
    assert_eq!(
        second.iter().map(|i| i.account_id).collect::<Vec<_>>(),
        first.iter().map(|i| i.account_id).collect::<Vec<_>>()
    );
    assert!(
        app.db.store.meeting(id).await.unwrap().prepared_at >= after.prepared_at,
        "prepared anew"
    );
    // Once something was said in it, it stays as it is.
    let item = second[0].id;
    let said = krueger
        .post(
            &format!("{meeting_path}/items/{item}/decisions"),
            &[("decision", "Angebot bis Monatsende.")],
        )
        .await;
    assert_eq!(said.status, StatusCode::SEE_OTHER, "{}", said.body);
    let audit = last_audit(&app).await;
    let refused = krueger
        .post(&format!("{meeting_path}/prepare-again"), &[])
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert_eq!(last_audit(&app).await, audit, "nothing changed");
    assert_eq!(
        app.db.store.agenda(id).await.unwrap()[0].id,
        item,
        "the agenda stays"
    );
}
