//! The customer jour fixe through the API: a series convened, read, changed and called off
//! (an audit row each, a lost race 412 naming who won it, wrong fields 422 naming each, those
//! who do not take part 403), its participants and the accounts chosen for it (a restricted
//! one neither listed nor added for those who may not see it), a series' meetings paged by
//! occurrence, an occurrence scheduled, moved and called off, and what is written in a
//! meeting: contributions to an agenda — a confidential one only in the agenda of those who
//! may read it, as on the meeting page — items, decisions and actions, marked done.

use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use counterpart_core::audit::EntityKind;
use counterpart_core::ids::{MeetingId, SeriesId};
use counterpart_core::user::{Role, UserInput, Username};
use counterpart_store::testing::{WORLD_PASSWORD, count_rows};
use counterpart_store::{Actor, NewUser};
use serde_json::{Value, json};

use crate::api_knowledge::{last_actor, walk};
use crate::api_write::{etag, json_of, named_fields, problem, token_of};
use crate::support::routes::Ids;
use crate::support::{Client, TestApp, audit_count, unescape};

/// A read-write token made on the tokens page by a logged-in client.
async fn token_by(browser: &mut Client) -> String {
    let made = browser
        .post(
            "/account/tokens",
            &[("label", "Jour fixe"), ("scope", "write"), ("days", "7")],
        )
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    let at = made.body.find("id=\"token-new\"").expect("the new token");
    let value = &made.body[at..];
    let start = value.find("value=\"").unwrap() + 7;
    let secret: String = value[start..].chars().take_while(|c| *c != '"').collect();
    format!("Bearer {secret}")
}

/// The id of a demo user's own unit.
async fn unit_of(app: &TestApp, user: &str) -> i64 {
    let person = app
        .db
        .store
        .user_named(user)
        .await
        .unwrap()
        .person_id
        .unwrap();
    app.db
        .store
        .person(person)
        .await
        .unwrap()
        .unit_id
        .unwrap()
        .get()
}

fn first_of_next_month() -> String {
    use chrono::Datelike;
    let today = crate::support::today();
    let (y, m) = if today.month() == 12 {
        (today.year() + 1, 1)
    } else {
        (today.year(), today.month() + 1)
    };
    chrono::NaiveDate::from_ymd_opt(y, m, 1)
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn a_series_is_convened_read_and_changed_with_an_audit_row_for_each() {
    let app = TestApp::demo().await;
    let write = token_of(&app, "krueger", "write").await;
    let auth = [("authorization", write.as_str())];
    let mut client = app.client();
    let unit = unit_of(&app, "krueger").await;
    let first = first_of_next_month();
    let made = client
        .api_send(
            "POST",
            "/api/v1/series",
            &auth,
            json!({
                "name": "Jour fixe Brandt & Söhne",
                "unit_id": unit,
                "first_date": first,
                "start_time": "09:30",
                "repeat": "monthly_weekday",
                "place": "Raum 4.12",
                "rule": {"tier": "A", "side": "external"},
            })
            .to_string(),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let body = json_of(&made);
    let id = body["id"].as_i64().unwrap();
    assert_eq!(
        made.headers["location"],
        format!("/api/v1/series/{id}").as_str()
    );
    assert_eq!(etag(&made), format!("\"v{}\"", body["version"]));
    let krueger = app.db.store.user_named("krueger").await.unwrap();
    assert_eq!(body["convenor_id"], krueger.person_id.unwrap().get());
    assert_eq!(body["first_date"], first.as_str());
    assert_eq!(body["start_time"], "09:30");
    assert_eq!(body["time_zone"], "Europe/Berlin");
    assert_eq!(body["repeat"], "monthly_weekday");
    assert!(
        body["rrule"]
            .as_str()
            .unwrap()
            .starts_with("FREQ=MONTHLY;BYDAY=")
    );
    assert_eq!(body["duration_minutes"], 60);
    assert_eq!(
        body["rule"],
        json!({"side": "external", "tier": "A", "unit_id": null})
    );
    assert_eq!(body["cancelled_at"], Value::Null);
    assert_eq!(audit_count(&app.db.store, EntityKind::Series, id).await, 1);
    // Its page shows it, and he takes part.
    let mut browser = app.login("krueger").await;
    let page = browser.get(&format!("/jour-fixe/{id}")).await;
    assert!(unescape(&page.body).contains("Jour fixe Brandt & Söhne"));

    // Read, again cheaply, and listed.
    let path = format!("/api/v1/series/{id}");
    let read = client.api_get(&path, &auth).await;
    assert_eq!(json_of(&read), body);
    let again = client
        .api_get(
            &path,
            &[("authorization", &write), ("if-none-match", &etag(&read))],
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    let listed = walk(&app, &write, "/api/v1/series?limit=1", "id").await;
    assert!(listed.contains(&json!(id)), "{listed:?}");
    let of_unit = walk(
        &app,
        &write,
        &format!("/api/v1/series?unit={unit}"),
        "unit_id",
    )
    .await;
    assert!(of_unit.iter().all(|u| *u == json!(unit)));

    // Changed with the version read: every field the form edits.
    let changed = client
        .api_send(
            "PUT",
            &path,
            &[("authorization", &write), ("if-match", &etag(&read))],
            json!({
                "name": "Jour fixe Brandt",
                "unit_id": unit,
                "first_date": first,
                "start_time": "10:00",
                "duration_minutes": 90,
                "repeat": "custom",
                "rrule": "FREQ=WEEKLY;INTERVAL=3",
            })
            .to_string(),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    let body = json_of(&changed);
    assert_eq!(body["name"], "Jour fixe Brandt");
    assert_eq!(body["repeat"], "custom");
    assert_eq!(body["rrule"], "FREQ=WEEKLY;INTERVAL=3");
    assert_eq!(body["place"], Value::Null, "a field left out is emptied");
    assert_eq!(body["rule"], Value::Null);
    assert_ne!(etag(&changed), etag(&read));
    assert_eq!(audit_count(&app.db.store, EntityKind::Series, id).await, 2);

    // Meanwhile the managing director changes it on its form: the API's change is refused,
    // naming her; hers stays.
    let mut director = app.login("schneider").await;
    let edit = format!("/jour-fixe/{id}/edit");
    let mut form = director
        .get(&edit)
        .await
        .form(&edit)
        .expect("the edit form");
    form.set("place", "Videokonferenz");
    let saved = director.post(&edit, &form.pairs()).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let winner = last_actor(&app, EntityKind::Series, id).await;
    let lost = client
        .api_send(
            "PUT",
            &path,
            &[("authorization", &write), ("if-match", &etag(&changed))],
            json!({"name": "Überschrieben", "unit_id": unit, "first_date": first,
                   "start_time": "10:00", "repeat": "weekly"})
            .to_string(),
        )
        .await;
    let refused = problem(&lost, StatusCode::PRECONDITION_FAILED);
    assert_eq!(refused["changed_by"], winner.as_str(), "{refused}");
    let stored = app.db.store.series(SeriesId::new(id)).await.unwrap();
    assert_eq!(stored.place.as_deref(), Some("Videokonferenz"));

    // One who does not take part changes nothing of it, nor does a read token.
    let clerk = token_of(&app, "yilmaz", "write").await;
    let reader = token_of(&app, "krueger", "read").await;
    let current = client.api_get(&path, &auth).await;
    for token in [&clerk, &reader] {
        let refused = client
            .api_send(
                "PUT",
                &path,
                &[
                    ("authorization", token.as_str()),
                    ("if-match", &etag(&current)),
                ],
                json!({"name": "Übernommen", "unit_id": unit, "first_date": first,
                       "start_time": "10:00", "repeat": "weekly"})
                .to_string(),
            )
            .await;
        problem(&refused, StatusCode::FORBIDDEN);
    }
    assert_eq!(
        app.db.store.series(SeriesId::new(id)).await.unwrap(),
        stored
    );

    // Called off on its page: no longer changed, and listed only when asked for.
    let page = browser.get(&format!("/jour-fixe/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let cancelled = browser
        .post(
            &format!("/jour-fixe/{id}/cancel"),
            &[("version", &stored.version.to_string())],
        )
        .await;
    assert_eq!(
        cancelled.status,
        StatusCode::SEE_OTHER,
        "{}",
        cancelled.body
    );
    let current = client.api_get(&path, &auth).await;
    assert!(json_of(&current)["cancelled_at"].is_string());
    let refused = client
        .api_send(
            "PUT",
            &path,
            &[("authorization", &write), ("if-match", &etag(&current))],
            json!({"name": "Wieder da", "unit_id": unit, "first_date": first,
                   "start_time": "10:00", "repeat": "weekly"})
            .to_string(),
        )
        .await;
    problem(&refused, StatusCode::CONFLICT);
    assert!(
        !walk(&app, &write, "/api/v1/series", "id")
            .await
            .contains(&json!(id))
    );
    assert!(
        walk(&app, &write, "/api/v1/series?cancelled=true", "id")
            .await
            .contains(&json!(id))
    );
}

#[tokio::test]
async fn wrong_series_are_refused_naming_the_field() {
    let app = TestApp::demo().await;
    let ids = Ids::of_demo(&app.db.store).await;
    let write = token_of(&app, "krueger", "write").await;
    let auth = [("authorization", write.as_str())];
    let mut client = app.client();
    let unit = unit_of(&app, "krueger").await;
    let first = first_of_next_month();
    let partner_unit = {
        let account = app
            .db
            .store
            .account(counterpart_core::ids::AccountId::new(ids.account))
            .await
            .unwrap();
        app.db.store.units(account.organization_id).await.unwrap()[0]
            .id
            .get()
    };
    let base = json!({"name": "Jour fixe", "unit_id": unit, "first_date": first,
                      "start_time": "09:00", "repeat": "weekly"});
    let with = |field: &str, value: Value| {
        let mut body = base.clone();
        body[field] = value;
        body
    };
    let before = count_rows(&app.db.store, "jf_series").await;
    for (body, field) in [
        (with("name", json!("")), "name"),
        (with("name", json!("x".repeat(121))), "name"),
        (with("name", json!("Jour\u{0}fixe")), "name"),
        (with("unit_id", json!(999_999)), "unit_id"),
        (with("unit_id", json!(partner_unit)), "unit_id"),
        (with("first_date", json!("morgen")), "first_date"),
        (with("start_time", json!("9 Uhr")), "start_time"),
        (with("duration_minutes", json!(5)), "duration_minutes"),
        (with("duration_minutes", json!("lang")), "duration_minutes"),
        (with("time_zone", json!("Mars/Olympus")), "time_zone"),
        (with("repeat", json!("daily")), "repeat"),
        (
            with("repeat", json!("custom"))
                .as_object()
                .cloned()
                .map(|mut o| {
                    o.insert("rrule".into(), json!("FREQ=HOURLY"));
                    Value::Object(o)
                })
                .unwrap(),
            "rrule",
        ),
        (with("place", json!("x".repeat(301))), "place"),
        (with("rule", json!({"tier": "D"})), "rule.tier"),
        (with("rule", json!({"unit_id": 999_999})), "rule.unit_id"),
        (with("rule", json!({"colour": "blau"})), "rule.colour"),
        (with("convenor_id", json!(1)), "convenor_id"),
    ] {
        let refused = client
            .api_send("POST", "/api/v1/series", &auth, body.to_string())
            .await;
        let problem = problem(&refused, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(named_fields(&problem), [field], "{body}: {problem}");
    }
    assert_eq!(count_rows(&app.db.store, "jf_series").await, before);

    // A user who is no person of our house convenes nothing: a series needs its convenor.
    app.db
        .store
        .create_user(
            &Actor {
                user_id: None,
                name: "Test".into(),
            },
            &NewUser {
                username: Username::parse("extern").unwrap(),
                details: UserInput {
                    display_name: "Externe Beraterin".into(),
                    email: None,
                    role: Role::Editor,
                    person_id: None,
                },
                password: WORLD_PASSWORD.into(),
            },
        )
        .await
        .unwrap();
    let mut outsider = app.login_to_world("extern").await;
    outsider.get("/account/tokens").await;
    let theirs = token_by(&mut outsider).await;
    let refused = client
        .api_send(
            "POST",
            "/api/v1/series",
            &[("authorization", theirs.as_str())],
            base.to_string(),
        )
        .await;
    let body = problem(&refused, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body["detail"].as_str().unwrap().contains("no person"),
        "{body}"
    );
    // A read token convenes nothing either; the guest has no other.
    let reader = token_of(&app, "gast", "read").await;
    problem(
        &client
            .api_send(
                "POST",
                "/api/v1/series",
                &[("authorization", reader.as_str())],
                base.to_string(),
            )
            .await,
        StatusCode::FORBIDDEN,
    );
    assert_eq!(count_rows(&app.db.store, "jf_series").await, before);

    for (address, param) in [
        ("/api/v1/series?unit=x", "unit"),
        ("/api/v1/series?cancelled=vielleicht", "cancelled"),
        ("/api/v1/series?after=-1", "after"),
        ("/api/v1/series/abc", "id"),
    ] {
        let body = problem(
            &client.api_get(address, &auth).await,
            StatusCode::BAD_REQUEST,
        );
        assert_eq!(
            body["invalid_params"][0]["name"], param,
            "{address}: {body}"
        );
    }
    for address in [
        "/api/v1/series/999999",
        "/api/v1/series/999999/meetings",
        "/api/v1/meetings/999999",
        "/api/v1/meetings/999999/agenda",
    ] {
        problem(&client.api_get(address, &auth).await, StatusCode::NOT_FOUND);
    }
}

/// The occurrences of a series as its list of meetings reads them, whole.
async fn occurrences(app: &TestApp, bearer: &str, series: i64) -> Vec<Value> {
    let mut client = app.client();
    let mut all = Vec::new();
    let mut next = Some(format!("/api/v1/series/{series}/meetings?limit=200"));
    while let Some(address) = next {
        let page = json_of(&client.api_get(&address, &[("authorization", bearer)]).await);
        all.extend(page["items"].as_array().unwrap().iter().cloned());
        next = page["next"].as_str().map(str::to_owned);
    }
    all
}

fn at(value: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(value.as_str().unwrap())
        .unwrap()
        .to_utc()
}

#[tokio::test]
async fn a_series_meetings_are_listed_scheduled_and_moved() {
    let app = TestApp::demo().await;
    let ids = Ids::of_demo(&app.db.store).await;
    let write = token_of(&app, "krueger", "write").await;
    let auth = [("authorization", write.as_str())];
    let mut client = app.client();

    // Every meeting recorded, then the coming occurrences; by occurrence, each once, however
    // it is paged.
    let all = occurrences(&app, &write, ids.series).await;
    let times: Vec<DateTime<Utc>> = all.iter().map(|o| at(&o["occurrence"])).collect();
    assert!(times.windows(2).all(|w| w[0] < w[1]), "by occurrence");
    let recorded = app
        .db
        .store
        .meetings_of(SeriesId::new(ids.series))
        .await
        .unwrap();
    for meeting in &recorded {
        assert!(
            all.iter().any(|o| o["meeting_id"] == meeting.id.get()),
            "meeting {} listed",
            meeting.id
        );
    }
    let past = all
        .iter()
        .find(|o| o["meeting_id"] == ids.meeting)
        .expect("the demo's meeting");
    assert_eq!(past["prepared"], true);
    let coming: Vec<&Value> = all.iter().filter(|o| o["meeting_id"].is_null()).collect();
    assert!(coming.len() > 3, "coming occurrences: {}", coming.len());
    assert!(coming.iter().all(|o| at(&o["occurrence"]) > Utc::now()));
    let paged = walk(
        &app,
        &write,
        &format!("/api/v1/series/{}/meetings?limit=2", ids.series),
        "occurrence",
    )
    .await;
    assert_eq!(paged.len(), all.len(), "pages of two hold every one once");
    assert!(paged.iter().zip(&all).all(|(p, a)| *p == a["occurrence"]));
    // `after` counts from any instant.
    let from = coming[1]["occurrence"].as_str().unwrap();
    let query = serde_urlencoded::to_string([("after", from), ("limit", "1")]).unwrap();
    let later = json_of(
        &client
            .api_get(
                &format!("/api/v1/series/{}/meetings?{query}", ids.series),
                &auth,
            )
            .await,
    );
    let at_from = all.iter().position(|o| o["occurrence"] == from).unwrap();
    assert_eq!(
        later["items"][0]["occurrence"],
        all[at_from + 1]["occurrence"]
    );
    assert!(later["next"].as_str().unwrap().contains("after="));
    for (query, param) in [
        ("after=gestern", "after"),
        ("limit=500", "limit"),
        ("von=1", "von"),
    ] {
        let body = problem(
            &client
                .api_get(
                    &format!("/api/v1/series/{}/meetings?{query}", ids.series),
                    &auth,
                )
                .await,
            StatusCode::BAD_REQUEST,
        );
        assert_eq!(body["invalid_params"][0]["name"], param);
    }

    // Scheduled: the meeting is recorded and its agenda prepared from the series' accounts.
    let occurrence = coming[0]["occurrence"].as_str().unwrap().to_owned();
    let series_meetings = format!("/api/v1/series/{}/meetings", ids.series);
    let scheduled = client
        .api_send(
            "POST",
            &series_meetings,
            &auth,
            json!({"occurrence": occurrence}).to_string(),
        )
        .await;
    assert_eq!(scheduled.status, StatusCode::CREATED, "{}", scheduled.body);
    let body = json_of(&scheduled);
    let id = body["id"].as_i64().unwrap();
    assert_eq!(
        scheduled.headers["location"],
        format!("/api/v1/meetings/{id}").as_str()
    );
    assert_eq!(body["occurrence"], occurrence.as_str());
    assert_eq!(body["starts_at"], occurrence.as_str());
    assert_eq!(body["status"], "planned");
    assert_eq!(body["series_id"], ids.series);
    assert_eq!(
        audit_count(&app.db.store, EntityKind::Meeting, id).await,
        2,
        "recorded, prepared"
    );
    let listed = occurrences(&app, &write, ids.series).await;
    let now_listed = listed
        .iter()
        .find(|o| o["occurrence"] == occurrence.as_str())
        .unwrap();
    assert_eq!(now_listed["meeting_id"], id);
    assert_eq!(now_listed["prepared"], true);
    let agenda = json_of(
        &client
            .api_get(&format!("/api/v1/meetings/{id}/agenda"), &auth)
            .await,
    );
    assert!(agenda["prepared_at"].is_string());
    assert!(
        !agenda["items"].as_array().unwrap().is_empty(),
        "the series' accounts are on the agenda: {agenda}"
    );
    // Again: the same meeting, as it is.
    let again = client
        .api_send(
            "POST",
            &series_meetings,
            &auth,
            json!({"occurrence": occurrence}).to_string(),
        )
        .await;
    assert_eq!(json_of(&again)["id"], id);
    assert_eq!(audit_count(&app.db.store, EntityKind::Meeting, id).await, 2);

    // What is no occurrence is named.
    let off_by_a_minute = (at(&json!(occurrence)) + chrono::Duration::minutes(1))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    for wrong in [
        json!({"occurrence": off_by_a_minute}),
        json!({"occurrence": "bald"}),
    ] {
        let refused = client
            .api_send("POST", &series_meetings, &auth, wrong.to_string())
            .await;
        assert_eq!(
            named_fields(&problem(&refused, StatusCode::UNPROCESSABLE_ENTITY)),
            ["occurrence"]
        );
    }
    problem(
        &client
            .api_send(
                "POST",
                "/api/v1/series/999999/meetings",
                &auth,
                json!({"occurrence": occurrence}).to_string(),
            )
            .await,
        StatusCode::NOT_FOUND,
    );
    // An occurrence called off on the series page is not scheduled.
    let cancelled_at = coming[1]["occurrence"].as_str().unwrap().to_owned();
    let mut browser = app.login("krueger").await;
    browser.get(&format!("/jour-fixe/{}", ids.series)).await;
    let called_off = browser
        .post(
            &format!("/jour-fixe/{}/occurrences/cancel", ids.series),
            &[("at", &cancelled_at)],
        )
        .await;
    assert_eq!(
        called_off.status,
        StatusCode::SEE_OTHER,
        "{}",
        called_off.body
    );
    problem(
        &client
            .api_send(
                "POST",
                &series_meetings,
                &auth,
                json!({"occurrence": cancelled_at}).to_string(),
            )
            .await,
        StatusCode::CONFLICT,
    );
    let listed = occurrences(&app, &write, ids.series).await;
    assert!(
        listed
            .iter()
            .any(|o| o["occurrence"] == cancelled_at.as_str() && o["status"] == "cancelled")
    );

    // Moved with the version read: a day later, at another time, elsewhere.
    let path = format!("/api/v1/meetings/{id}");
    let read = client.api_get(&path, &auth).await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(etag(&read), format!("\"v{}\"", json_of(&read)["version"]));
    let to = (at(&json!(occurrence)) + chrono::Duration::hours(26))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let moved = client
        .api_send(
            "PUT",
            &path,
            &[("authorization", &write), ("if-match", &etag(&read))],
            json!({"starts_at": to, "duration_minutes": 90, "place": "Bei Isar, Raum Alster"})
                .to_string(),
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    let body = json_of(&moved);
    assert_eq!(body["starts_at"], to.as_str());
    assert_eq!(body["occurrence"], occurrence.as_str(), "the key stays");
    assert_eq!(body["duration_minutes"], 90);
    assert_eq!(
        at(&body["ends_at"]),
        at(&json!(to)) + chrono::Duration::minutes(90)
    );
    assert_eq!(body["place"], "Bei Isar, Raum Alster");
    assert_eq!(audit_count(&app.db.store, EntityKind::Meeting, id).await, 3);
    let stored = app.db.store.meeting(MeetingId::new(id)).await.unwrap();
    assert_eq!(stored.starts_at, at(&json!(to)));
    // An offset other than UTC is the same instant.
    let berlin = at(&json!(to))
        .with_timezone(&chrono_tz::Europe::Berlin)
        .to_rfc3339();
    let same = client
        .api_send(
            "PUT",
            &path,
            &[("authorization", &write), ("if-match", &etag(&moved))],
            json!({"starts_at": berlin, "duration_minutes": 90}).to_string(),
        )
        .await;
    assert_eq!(same.status, StatusCode::OK, "{}", same.body);
    assert_eq!(json_of(&same)["starts_at"], to.as_str());
    assert_eq!(
        json_of(&same)["place"],
        Value::Null,
        "the series' place again"
    );

    // Meanwhile the managing director moves it on its page: the API's move is refused,
    // naming her.
    let mut director = app.login("schneider").await;
    let meeting_page = format!("/meetings/{id}");
    let move_form = format!("/meetings/{id}/move");
    let mut form = director
        .get(&meeting_page)
        .await
        .form(&move_form)
        .expect("the move form");
    form.set("duration_minutes", "120");
    let saved = director.post(&move_form, &form.pairs()).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let winner = last_actor(&app, EntityKind::Meeting, id).await;
    let lost = client
        .api_send(
            "PUT",
            &path,
            &[("authorization", &write), ("if-match", &etag(&same))],
            json!({"starts_at": to, "duration_minutes": 30}).to_string(),
        )
        .await;
    let refused = problem(&lost, StatusCode::PRECONDITION_FAILED);
    assert_eq!(refused["changed_by"], winner.as_str(), "{refused}");
    assert_eq!(
        app.db
            .store
            .meeting(MeetingId::new(id))
            .await
            .unwrap()
            .duration_minutes,
        120
    );

    // Wrong moves are named and change nothing.
    let current = client.api_get(&path, &auth).await;
    let tag = etag(&current);
    let with_seconds = (at(&json!(to)) + chrono::Duration::seconds(30)).to_rfc3339();
    for (body, field) in [
        (
            json!({"starts_at": "morgen früh", "duration_minutes": 60}),
            "starts_at",
        ),
        (
            json!({"starts_at": with_seconds, "duration_minutes": 60}),
            "starts_at",
        ),
        (
            json!({"starts_at": to, "duration_minutes": 5}),
            "duration_minutes",
        ),
        (
            json!({"starts_at": to, "duration_minutes": 60, "place": "x".repeat(301)}),
            "place",
        ),
        (
            json!({"starts_at": to, "duration_minutes": 60, "place": "Raum\u{7}"}),
            "place",
        ),
        (json!({"starts_at": to}), "body"),
        (
            json!({"starts_at": to, "duration_minutes": 60, "status": "cancelled"}),
            "status",
        ),
    ] {
        let refused = client
            .api_send(
                "PUT",
                &path,
                &[("authorization", &write), ("if-match", &tag)],
                body.to_string(),
            )
            .await;
        let problem = problem(&refused, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(named_fields(&problem), [field], "{body}: {problem}");
    }
    // The hour the clocks go back is there twice in Berlin: its second half is refused
    // rather than moved to its first.
    let twice = DateTime::parse_from_rfc3339("2027-10-31T02:30:00+01:00")
        .unwrap()
        .to_rfc3339();
    let refused = client
        .api_send(
            "PUT",
            &path,
            &[("authorization", &write), ("if-match", &tag)],
            json!({"starts_at": twice, "duration_minutes": 60}).to_string(),
        )
        .await;
    assert_eq!(
        named_fields(&problem(&refused, StatusCode::UNPROCESSABLE_ENTITY)),
        ["starts_at"]
    );
    let reader = token_of(&app, "krueger", "read").await;
    problem(
        &client
            .api_send(
                "PUT",
                &path,
                &[("authorization", reader.as_str()), ("if-match", &tag)],
                json!({"starts_at": to, "duration_minutes": 60}).to_string(),
            )
            .await,
        StatusCode::FORBIDDEN,
    );
    assert_eq!(etag(&client.api_get(&path, &auth).await), tag, "unchanged");
}

#[tokio::test]
async fn contributions_reach_the_agenda_and_a_confidential_one_only_those_who_may_read_it() {
    let app = TestApp::demo().await;
    let ids = Ids::of_demo(&app.db.store).await;
    let write = token_of(&app, "krueger", "write").await;
    let auth = [("authorization", write.as_str())];
    let mut client = app.client();
    let agenda = format!("/api/v1/meetings/{}/agenda", ids.meeting);
    let before = client.api_get(&agenda, &auth).await;
    assert_eq!(before.status, StatusCode::OK, "{}", before.body);
    let tag = etag(&before);
    assert!(tag.starts_with("W/\""), "{tag}");
    let read = json_of(&before);
    assert_eq!(read["meeting_id"], ids.meeting);
    let items = read["items"].as_array().unwrap();
    let item = &items[0];
    assert_eq!(item["id"], ids.item);
    assert!(
        item["account_id"].is_i64(),
        "a prepared item is about an account"
    );
    assert!(
        items
            .iter()
            .any(|i| !i["contributions"].as_array().unwrap().is_empty()),
        "the demo's meeting has contributions"
    );
    let unchanged = client
        .api_get(
            &agenda,
            &[("authorization", &write), ("if-none-match", &tag)],
        )
        .await;
    assert_eq!(unchanged.status, StatusCode::NOT_MODIFIED);

    // What he knows, said on the item: his insight about its account.
    let contributions = format!(
        "/api/v1/meetings/{}/items/{}/contributions",
        ids.meeting, ids.item
    );
    let audited = |app: &TestApp| {
        let store = app.db.store.clone();
        async move {
            store
                .audit_entries(&counterpart_store::AuditFilter {
                    entity: Some(EntityKind::Contribution),
                    entity_id: None,
                    before_id: None,
                    limit: 500,
                })
                .await
                .unwrap()
                .len()
        }
    };
    let contributions_before = audited(&app).await;
    let said = "Der Einkauf will im Frühjahr neu ausschreiben; Reinigung und Haustechnik getrennt.";
    let made = client
        .api_send(
            "POST",
            &contributions,
            &auth,
            json!({"category": "developments", "text": said, "certainty": "confirmed"}).to_string(),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let body = json_of(&made);
    assert_eq!(body["kind"], "insight");
    let insight = body["insight"]["id"].as_i64().unwrap();
    assert_eq!(
        made.headers["location"],
        format!("/api/v1/insights/{insight}").as_str()
    );
    assert_eq!(body["insight"]["account_id"], item["account_id"]);
    assert_eq!(audited(&app).await, contributions_before + 1);
    assert_eq!(
        audit_count(&app.db.store, EntityKind::Insight, insight).await,
        1
    );
    let after = client
        .api_get(
            &agenda,
            &[("authorization", &write), ("if-none-match", &tag)],
        )
        .await;
    assert_eq!(after.status, StatusCode::OK, "the agenda changed");
    let entry = json_of(&after)["items"][0]["contributions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["insight_id"] == insight)
        .cloned()
        .expect("the contribution on its item");
    assert_eq!(entry["text"], said);
    assert_eq!(entry["kind"], "insight");
    assert_eq!(entry["category"], "developments");
    // The meeting page shows it to another participant.
    let mut colleague = app.login("yilmaz").await;
    let page = colleague.get(&format!("/meetings/{}", ids.meeting)).await;
    assert!(unescape(&page.body).contains(said));

    // A confidential one: in the agenda of those who may read it, as on the meeting page.
    let secret = "Vertraulich: Isar verhandelt parallel mit dem Wettbewerber Kranichflug.";
    let made = client
        .api_send(
            "POST",
            &contributions,
            &auth,
            json!({"category": "environment", "text": secret, "confidential": true}).to_string(),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    for (user, sees) in [
        ("krueger", true),
        ("schneider", true),
        ("yilmaz", false),
        ("gast", false),
    ] {
        let bearer = token_of(&app, user, "read").await;
        let read = client
            .api_get(&agenda, &[("authorization", bearer.as_str())])
            .await;
        assert_eq!(read.status, StatusCode::OK);
        assert_eq!(
            read.body.contains("Kranichflug"),
            sees,
            "{user}: {}",
            read.body
        );
        let mut browser = app.login(user).await;
        let page = browser.get(&format!("/meetings/{}", ids.meeting)).await;
        assert_eq!(
            unescape(&page.body).contains(secret),
            sees,
            "{user} on the page"
        );
    }

    // On an item about no account, what is said is a note.
    let mut browser = app.login("krueger").await;
    browser.get(&format!("/meetings/{}", ids.meeting)).await;
    let added = browser
        .post(
            &format!("/meetings/{}/items", ids.meeting),
            &[("title", "Verschiedenes")],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let read = json_of(&client.api_get(&agenda, &auth).await);
    let other = read["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["title"] == "Verschiedenes")
        .expect("the added item");
    assert_eq!(other["added"], true);
    assert_eq!(other["account_id"], Value::Null);
    let note = client
        .api_send(
            "POST",
            &format!(
                "/api/v1/meetings/{}/items/{}/contributions",
                ids.meeting, other["id"]
            ),
            &auth,
            json!({"category": "other", "text": "Nächster Termin im Büro Leipzig.\r\n"})
                .to_string(),
        )
        .await;
    assert_eq!(note.status, StatusCode::CREATED, "{}", note.body);
    let body = json_of(&note);
    assert_eq!(body["kind"], "note");
    assert_eq!(body["insight"], Value::Null);
    assert_eq!(body["text"], "Nächster Termin im Büro Leipzig.");
    assert_eq!(note.headers["location"], agenda.as_str());

    // Wrong ones are named; a read token, another meeting's item, a meeting called off: none.
    let insights = count_rows(&app.db.store, "insights").await;
    for (body, field) in [
        (json!({"text": "x"}), "body"),
        (json!({"category": "needs", "text": ""}), "text"),
        (
            json!({"category": "needs", "text": "x", "learned_on": "neulich"}),
            "learned_on",
        ),
        (
            json!({"category": "needs", "text": "x", "source_id": 1}),
            "source_id",
        ),
    ] {
        let refused = client
            .api_send("POST", &contributions, &auth, body.to_string())
            .await;
        let problem = problem(&refused, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(named_fields(&problem), [field], "{body}: {problem}");
    }
    let reader = token_of(&app, "krueger", "read").await;
    let fine = json!({"category": "needs", "text": "x"}).to_string();
    problem(
        &client
            .api_send(
                "POST",
                &contributions,
                &[("authorization", reader.as_str())],
                fine.clone(),
            )
            .await,
        StatusCode::FORBIDDEN,
    );
    for address in [
        format!(
            "/api/v1/meetings/{}/items/999999/contributions",
            ids.meeting
        ),
        format!("/api/v1/meetings/999999/items/{}/contributions", ids.item),
    ] {
        problem(
            &client.api_send("POST", &address, &auth, fine.clone()).await,
            StatusCode::NOT_FOUND,
        );
    }
    let body = problem(
        &client
            .api_send(
                "POST",
                &format!("/api/v1/meetings/{}/items/x/contributions", ids.meeting),
                &auth,
                fine.clone(),
            )
            .await,
        StatusCode::BAD_REQUEST,
    );
    assert_eq!(body["invalid_params"][0]["name"], "item");
    // A meeting called off takes no contributions.
    let meeting = app
        .db
        .store
        .meeting(MeetingId::new(ids.meeting))
        .await
        .unwrap();
    app.db
        .store
        .cancel_meeting(
            &Actor {
                user_id: None,
                name: "Test".into(),
            },
            meeting.id,
            meeting.version,
        )
        .await
        .unwrap();
    problem(
        &client.api_send("POST", &contributions, &auth, fine).await,
        StatusCode::CONFLICT,
    );
    assert_eq!(count_rows(&app.db.store, "insights").await, insights);
    // And the agenda takes no other method.
    let wrong = client.api_request("DELETE", &agenda, &auth).await;
    problem(&wrong, StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn the_jour_fixe_holds_on_postgres() {
    let Some(app) = TestApp::demo_postgres().await else {
        return;
    };
    let ids = Ids::of_demo(&app.db.store).await;
    let write = token_of(&app, "krueger", "write").await;
    let auth = [("authorization", write.as_str())];
    let mut client = app.client();
    let all = occurrences(&app, &write, ids.series).await;
    let paged = walk(
        &app,
        &write,
        &format!("/api/v1/series/{}/meetings?limit=3", ids.series),
        "occurrence",
    )
    .await;
    assert_eq!(paged.len(), all.len());
    let coming = all
        .iter()
        .find(|o| o["meeting_id"].is_null())
        .expect("a coming occurrence");
    let scheduled = client
        .api_send(
            "POST",
            &format!("/api/v1/series/{}/meetings", ids.series),
            &auth,
            json!({"occurrence": coming["occurrence"]}).to_string(),
        )
        .await;
    assert_eq!(scheduled.status, StatusCode::CREATED, "{}", scheduled.body);
    let id = json_of(&scheduled)["id"].as_i64().unwrap();
    let stale = client
        .api_send(
            "PUT",
            &format!("/api/v1/meetings/{id}"),
            &[("authorization", write.as_str()), ("if-match", "\"v0\"")],
            json!({"starts_at": coming["occurrence"], "duration_minutes": 60}).to_string(),
        )
        .await;
    problem(&stale, StatusCode::PRECONDITION_FAILED);
    let agenda = json_of(
        &client
            .api_get(&format!("/api/v1/meetings/{id}/agenda"), &auth)
            .await,
    );
    let item = agenda["items"][0]["id"].as_i64().expect("a prepared item");
    let made = client
        .api_send(
            "POST",
            &format!("/api/v1/meetings/{id}/items/{item}/contributions"),
            &auth,
            json!({"category": "needs", "text": "Auf PostgreSQL gesagt."}).to_string(),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let series = walk(&app, &write, "/api/v1/series?limit=1", "id").await;
    assert!(series.contains(&json!(ids.series)));

    // The series' links (the series row locked for the bound), a decision, an action marked
    // done, and an occurrence called off.
    let (own, _) = convene(&app, &mut client, &write).await;
    for (address, sent) in [
        (
            format!("/api/v1/series/{own}/participants"),
            json!({"person_id": person_of(&app, "yilmaz").await}),
        ),
        (
            format!("/api/v1/series/{own}/accounts"),
            json!({"account_id": ids.account}),
        ),
        (
            format!("/api/v1/meetings/{id}/items/{item}/decisions"),
            json!({"text": "Auf PostgreSQL beschlossen."}),
        ),
    ] {
        let made = client
            .api_send("POST", &address, &auth, sent.to_string())
            .await;
        assert_eq!(made.status, StatusCode::CREATED, "{address}: {}", made.body);
    }
    let agreed = client
        .api_send(
            "POST",
            &format!("/api/v1/meetings/{id}/items/{item}/actions"),
            &auth,
            json!({"title": "Auf PostgreSQL erledigen", "owner_id": person_of(&app, "krueger").await,
                   "due_on": "2031-03-31"})
            .to_string(),
        )
        .await;
    assert_eq!(agreed.status, StatusCode::CREATED, "{}", agreed.body);
    let done = client
        .api_send(
            "PUT",
            &format!("/api/v1/actions/{}", json_of(&agreed)["id"]),
            &[
                ("authorization", write.as_str()),
                ("if-match", &etag(&agreed)),
            ],
            json!({"done": true}).to_string(),
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let first = occurrences(&app, &write, own).await[0]["occurrence"].clone();
    let cancelled = client
        .api_send(
            "POST",
            &format!("/api/v1/series/{own}/cancellations"),
            &auth,
            json!({"occurrence": first}).to_string(),
        )
        .await;
    assert_eq!(cancelled.status, StatusCode::CREATED, "{}", cancelled.body);
    assert_eq!(json_of(&cancelled)["status"], "cancelled");
}

/// How many audit rows there are of one kind of record.
async fn entity_count(app: &TestApp, entity: EntityKind) -> usize {
    app.db
        .store
        .audit_entries(&counterpart_store::AuditFilter {
            entity: Some(entity),
            entity_id: None,
            before_id: None,
            limit: 10_000,
        })
        .await
        .unwrap()
        .len()
}

/// A series convened through the API by the holder of `write`, covering no account by a rule.
async fn convene(app: &TestApp, client: &mut Client, write: &str) -> (i64, Value) {
    let unit = unit_of(app, "krueger").await;
    let made = client
        .api_send(
            "POST",
            "/api/v1/series",
            &[("authorization", write)],
            json!({
                "name": "Jour fixe Kranich",
                "unit_id": unit,
                "first_date": first_of_next_month(),
                "start_time": "09:00",
                "repeat": "weekly",
            })
            .to_string(),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let body = json_of(&made);
    (body["id"].as_i64().unwrap(), body)
}

/// The person id of a demo user.
async fn person_of(app: &TestApp, user: &str) -> i64 {
    app.db
        .store
        .user_named(user)
        .await
        .unwrap()
        .person_id
        .unwrap()
        .get()
}

#[tokio::test]
async fn a_series_participants_and_chosen_accounts_are_changed_with_an_audit_row_for_each() {
    let app = TestApp::demo().await;
    let ids = Ids::of_demo(&app.db.store).await;
    let write = token_of(&app, "krueger", "write").await;
    let auth = [("authorization", write.as_str())];
    let mut client = app.client();
    let (id, _) = convene(&app, &mut client, &write).await;
    let krueger = person_of(&app, "krueger").await;
    let yilmaz = person_of(&app, "yilmaz").await;
    let participants = format!("/api/v1/series/{id}/participants");

    // The convenor takes part; a colleague is added, once.
    let read = client.api_get(&participants, &auth).await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.body);
    let listed = json_of(&read);
    assert_eq!(listed["items"].as_array().unwrap().len(), 1, "{listed}");
    assert_eq!(listed["items"][0]["person_id"], krueger);
    assert_eq!(listed["items"][0]["convenor"], true);
    assert_eq!(audit_count(&app.db.store, EntityKind::Series, id).await, 1);
    let added = client
        .api_send(
            "POST",
            &participants,
            &auth,
            json!({"person_id": yilmaz}).to_string(),
        )
        .await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
    let body = json_of(&added);
    assert_eq!(body["person_id"], yilmaz);
    assert_eq!(body["convenor"], false);
    assert!(!body["name"].as_str().unwrap().is_empty(), "{body}");
    assert_eq!(audit_count(&app.db.store, EntityKind::Series, id).await, 2);
    let again = client
        .api_send(
            "POST",
            &participants,
            &auth,
            json!({"person_id": yilmaz}).to_string(),
        )
        .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert_eq!(json_of(&again), body);
    assert_eq!(audit_count(&app.db.store, EntityKind::Series, id).await, 2);
    let listed = json_of(&client.api_get(&participants, &auth).await);
    let people: Vec<&Value> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| &p["person_id"])
        .collect();
    assert!(people.contains(&&json!(yilmaz)), "{listed}");
    // Its page shows the new participant too.
    let mut browser = app.login("krueger").await;
    let page = browser.get(&format!("/jour-fixe/{id}")).await;
    assert!(unescape(&page.body).contains(body["name"].as_str().unwrap()));

    // Wrong bodies are named, and change nothing.
    let partner = ids.partner;
    for (sent, field) in [
        (json!({"person_id": "x"}), "person_id"),
        (json!({"person_id": partner}), "person_id"),
        (json!({"person_id": 987_654_321}), "person_id"),
        (json!({"person_id": yilmaz, "role": "chair"}), "role"),
        (json!({}), "body"),
    ] {
        let refused = client
            .api_send("POST", &participants, &auth, sent.to_string())
            .await;
        let problem = problem(&refused, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(named_fields(&problem), [field], "{sent}: {problem}");
    }
    assert_eq!(audit_count(&app.db.store, EntityKind::Series, id).await, 2);

    // The convenor is not taken out; one who takes no part is not found; the colleague is.
    problem(
        &client
            .api_request("DELETE", &format!("{participants}/{krueger}"), &auth)
            .await,
        StatusCode::CONFLICT,
    );
    problem(
        &client
            .api_request("DELETE", &format!("{participants}/{partner}"), &auth)
            .await,
        StatusCode::NOT_FOUND,
    );
    let removed = client
        .api_request("DELETE", &format!("{participants}/{yilmaz}"), &auth)
        .await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT, "{}", removed.body);
    assert_eq!(audit_count(&app.db.store, EntityKind::Series, id).await, 3);
    let listed = json_of(&client.api_get(&participants, &auth).await);
    assert_eq!(listed["items"].as_array().unwrap().len(), 1, "{listed}");

    // Accounts chosen one by one: added once, listed, taken off.
    let accounts = format!("/api/v1/series/{id}/accounts");
    let read = json_of(&client.api_get(&accounts, &auth).await);
    assert_eq!(read, json!({"items": [], "covered": 0}));
    let chosen = client
        .api_send(
            "POST",
            &accounts,
            &auth,
            json!({"account_id": ids.account}).to_string(),
        )
        .await;
    assert_eq!(chosen.status, StatusCode::CREATED, "{}", chosen.body);
    let body = json_of(&chosen);
    assert_eq!(body["account_id"], ids.account);
    assert!(!body["name"].as_str().unwrap().is_empty());
    assert_eq!(audit_count(&app.db.store, EntityKind::Series, id).await, 4);
    let again = client
        .api_send(
            "POST",
            &accounts,
            &auth,
            json!({"account_id": ids.account}).to_string(),
        )
        .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert_eq!(audit_count(&app.db.store, EntityKind::Series, id).await, 4);
    let read = json_of(&client.api_get(&accounts, &auth).await);
    assert_eq!(read, json!({"items": [body], "covered": 1}));
    for (sent, field) in [
        (json!({"account_id": 987_654_321}), "account_id"),
        (json!({"account_id": null}), "account_id"),
        (json!({"account": ids.account}), "account"),
    ] {
        let refused = client
            .api_send("POST", &accounts, &auth, sent.to_string())
            .await;
        let problem = problem(&refused, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(named_fields(&problem), [field], "{sent}: {problem}");
    }

    // A read token and a viewer change nothing; one who takes no part is refused.
    let reader = token_of(&app, "krueger", "read").await;
    let viewer = token_of(&app, "gast", "read").await;
    let clerk = token_of(&app, "yilmaz", "write").await;
    for token in [&reader, &viewer, &clerk] {
        let with = [("authorization", token.as_str())];
        problem(
            &client
                .api_send(
                    "POST",
                    &participants,
                    &with,
                    json!({"person_id": yilmaz}).to_string(),
                )
                .await,
            StatusCode::FORBIDDEN,
        );
        problem(
            &client
                .api_send(
                    "POST",
                    &accounts,
                    &with,
                    json!({"account_id": ids.account}).to_string(),
                )
                .await,
            StatusCode::FORBIDDEN,
        );
        problem(
            &client
                .api_request("DELETE", &format!("{accounts}/{}", ids.account), &with)
                .await,
            StatusCode::FORBIDDEN,
        );
    }
    assert_eq!(audit_count(&app.db.store, EntityKind::Series, id).await, 4);

    let removed = client
        .api_request("DELETE", &format!("{accounts}/{}", ids.account), &auth)
        .await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT, "{}", removed.body);
    assert_eq!(audit_count(&app.db.store, EntityKind::Series, id).await, 5);
    problem(
        &client
            .api_request("DELETE", &format!("{accounts}/{}", ids.account), &auth)
            .await,
        StatusCode::NOT_FOUND,
    );

    // Unknown series and malformed ids.
    for address in [
        "/api/v1/series/987654321/participants",
        "/api/v1/series/987654321/accounts",
    ] {
        problem(&client.api_get(address, &auth).await, StatusCode::NOT_FOUND);
    }
    problem(
        &client
            .api_send(
                "POST",
                "/api/v1/series/987654321/participants",
                &auth,
                json!({"person_id": yilmaz}).to_string(),
            )
            .await,
        StatusCode::NOT_FOUND,
    );
    let body = problem(
        &client
            .api_request("DELETE", &format!("{participants}/x"), &auth)
            .await,
        StatusCode::BAD_REQUEST,
    );
    assert_eq!(body["invalid_params"][0]["name"], "person");
    // Two adds of one person at once: one adds them (201, one audit row), the other finds
    // them there (200).
    let schneider = person_of(&app, "schneider").await;
    let sent = json!({"person_id": schneider}).to_string();
    let (mut one, mut two) = (app.client(), app.client());
    let (first, second) = tokio::join!(
        one.api_send("POST", &participants, &auth, sent.clone()),
        two.api_send("POST", &participants, &auth, sent.clone()),
    );
    let mut statuses = [first.status, second.status];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CREATED]);
    assert_eq!(json_of(&first), json_of(&second));
    assert_eq!(audit_count(&app.db.store, EntityKind::Series, id).await, 6);
}

#[tokio::test]
async fn a_restricted_account_is_neither_listed_nor_added_for_those_who_may_not_see_it() {
    use counterpart_core::account::{AccountInput, ManagementMode, Relation};
    use counterpart_core::org::OrganizationKind;
    let app = TestApp::demo().await;
    let store = &app.db.store;
    let write = token_of(&app, "krueger", "write").await;
    let auth = [("authorization", write.as_str())];
    let mut client = app.client();
    let (id, _) = convene(&app, &mut client, &write).await;
    let yilmaz = person_of(&app, "yilmaz").await;
    let added = client
        .api_send(
            "POST",
            &format!("/api/v1/series/{id}/participants"),
            &auth,
            json!({"person_id": yilmaz}).to_string(),
        )
        .await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
    // An account restricted to the clerk's unit, beside the department head's.
    let partner = counterpart_store::testing::World::new(store)
        .organization("Kranich Holding AG", OrganizationKind::External)
        .await;
    let name = "Projekt Sternkranich";
    let account = store
        .create_account(
            &Actor {
                user_id: None,
                name: "Test".into(),
            },
            &AccountInput {
                name: Some(name.into()),
                organization_id: partner,
                unit_id: None,
                relation: Relation::Customer,
                mode: ManagementMode::Hierarchical,
                responsible_unit_id: Some(counterpart_core::ids::UnitId::new(
                    unit_of(&app, "yilmaz").await,
                )),
                manager_id: None,
                notes: None,
                restricted: true,
            },
        )
        .await
        .unwrap()
        .id
        .get();
    let clerk = token_of(&app, "yilmaz", "write").await;
    let theirs = [("authorization", clerk.as_str())];
    let own = format!("/api/v1/accounts/{account}");
    assert_eq!(client.api_get(&own, &theirs).await.status, StatusCode::OK);
    problem(&client.api_get(&own, &auth).await, StatusCode::NOT_FOUND);

    // The department head cannot add it: as unknown as one that does not exist.
    let accounts = format!("/api/v1/series/{id}/accounts");
    let audited = audit_count(&app.db.store, EntityKind::Series, id).await;
    let refused = client
        .api_send(
            "POST",
            &accounts,
            &auth,
            json!({"account_id": account}).to_string(),
        )
        .await;
    let body = problem(&refused, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(named_fields(&body), ["account_id"]);
    assert!(!refused.body.contains(name));
    assert_eq!(
        audit_count(&app.db.store, EntityKind::Series, id).await,
        audited
    );

    // The clerk, who sees it, adds it; the department head's list still does not show it.
    let chosen = client
        .api_send(
            "POST",
            &accounts,
            &theirs,
            json!({"account_id": account}).to_string(),
        )
        .await;
    assert_eq!(chosen.status, StatusCode::CREATED, "{}", chosen.body);
    assert_eq!(json_of(&chosen)["name"], name);
    assert_eq!(
        audit_count(&app.db.store, EntityKind::Series, id).await,
        audited + 1
    );
    let seen = client.api_get(&accounts, &theirs).await;
    assert!(seen.body.contains(name), "{}", seen.body);
    let hidden = client.api_get(&accounts, &auth).await;
    assert_eq!(hidden.status, StatusCode::OK);
    assert!(!hidden.body.contains(name), "{}", hidden.body);
    assert!(!hidden.body.contains(&format!("\"account_id\":{account}")));
    assert_eq!(json_of(&hidden)["covered"], 0);
    // Nor can he take it off: not found for him.
    problem(
        &client
            .api_request("DELETE", &format!("{accounts}/{account}"), &auth)
            .await,
        StatusCode::NOT_FOUND,
    );
    assert_eq!(
        audit_count(&app.db.store, EntityKind::Series, id).await,
        audited + 1
    );
}

#[tokio::test]
async fn an_occurrence_and_a_series_are_called_off_with_an_audit_row_for_each() {
    let app = TestApp::demo().await;
    let write = token_of(&app, "krueger", "write").await;
    let auth = [("authorization", write.as_str())];
    let mut client = app.client();
    let (id, series) = convene(&app, &mut client, &write).await;
    let coming = occurrences(&app, &write, id).await;
    let first = coming[0]["occurrence"].clone();
    let cancellations = format!("/api/v1/series/{id}/cancellations");

    // Wrong occurrences are named; a read token is refused.
    for (sent, field) in [
        (json!({"occurrence": "morgen"}), "occurrence"),
        (json!({"occurrence": "2001-01-01T08:00:00Z"}), "occurrence"),
        (json!({"at": first}), "at"),
    ] {
        let refused = client
            .api_send("POST", &cancellations, &auth, sent.to_string())
            .await;
        let problem = problem(&refused, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(named_fields(&problem), [field], "{sent}: {problem}");
    }
    let reader = token_of(&app, "krueger", "read").await;
    problem(
        &client
            .api_send(
                "POST",
                &cancellations,
                &[("authorization", reader.as_str())],
                json!({"occurrence": first}).to_string(),
            )
            .await,
        StatusCode::FORBIDDEN,
    );
    problem(
        &client
            .api_send(
                "POST",
                "/api/v1/series/987654321/cancellations",
                &auth,
                json!({"occurrence": first}).to_string(),
            )
            .await,
        StatusCode::NOT_FOUND,
    );

    // One occurrence called off: its meeting is recorded as such; the series goes on.
    let cancelled = client
        .api_send(
            "POST",
            &cancellations,
            &auth,
            json!({"occurrence": first}).to_string(),
        )
        .await;
    assert_eq!(cancelled.status, StatusCode::CREATED, "{}", cancelled.body);
    let meeting = json_of(&cancelled);
    assert_eq!(meeting["status"], "cancelled");
    assert_eq!(meeting["occurrence"], first);
    let meeting_id = meeting["id"].as_i64().unwrap();
    assert_eq!(
        cancelled.headers["location"],
        format!("/api/v1/meetings/{meeting_id}").as_str()
    );
    assert_eq!(etag(&cancelled), format!("\"v{}\"", meeting["version"]));
    assert!(audit_count(&app.db.store, EntityKind::Meeting, meeting_id).await >= 1);
    let stored = app
        .db
        .store
        .meeting(MeetingId::new(meeting_id))
        .await
        .unwrap();
    assert_eq!(
        stored.status,
        counterpart_core::jour_fixe::MeetingStatus::Cancelled
    );
    let listed = occurrences(&app, &write, id).await;
    assert_eq!(listed[0]["status"], "cancelled");
    assert_eq!(listed[0]["meeting_id"], meeting_id);

    // The series: If-Match is required, a stale one is 412, the current one calls it off.
    let path = format!("/api/v1/series/{id}");
    problem(
        &client.api_request("DELETE", &path, &auth).await,
        StatusCode::PRECONDITION_REQUIRED,
    );
    let stale = format!("\"v{}\"", series["version"].as_i64().unwrap() - 1);
    problem(
        &client
            .api_request(
                "DELETE",
                &path,
                &[("authorization", &write), ("if-match", &stale)],
            )
            .await,
        StatusCode::PRECONDITION_FAILED,
    );
    let current = etag(&client.api_get(&path, &auth).await);
    for token in [&reader, &token_of(&app, "yilmaz", "write").await] {
        problem(
            &client
                .api_request(
                    "DELETE",
                    &path,
                    &[("authorization", token), ("if-match", &current)],
                )
                .await,
            StatusCode::FORBIDDEN,
        );
    }
    problem(
        &client
            .api_request(
                "DELETE",
                "/api/v1/series/987654321",
                &[("authorization", &write), ("if-match", &current)],
            )
            .await,
        StatusCode::NOT_FOUND,
    );
    let audited = audit_count(&app.db.store, EntityKind::Series, id).await;
    let gone = client
        .api_request(
            "DELETE",
            &path,
            &[("authorization", &write), ("if-match", &current)],
        )
        .await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT, "{}", gone.body);
    assert_eq!(
        audit_count(&app.db.store, EntityKind::Series, id).await,
        audited + 1
    );
    let read = json_of(&client.api_get(&path, &auth).await);
    assert!(read["cancelled_at"].is_string(), "{read}");
    // Called off, it is changed no more.
    let now = etag(&client.api_get(&path, &auth).await);
    problem(
        &client
            .api_request(
                "DELETE",
                &path,
                &[("authorization", &write), ("if-match", &now)],
            )
            .await,
        StatusCode::CONFLICT,
    );
    problem(
        &client
            .api_send(
                "POST",
                &format!("{path}/participants"),
                &auth,
                json!({"person_id": person_of(&app, "yilmaz").await}).to_string(),
            )
            .await,
        StatusCode::CONFLICT,
    );
    problem(
        &client
            .api_send(
                "POST",
                &cancellations,
                &auth,
                json!({"occurrence": first}).to_string(),
            )
            .await,
        StatusCode::CONFLICT,
    );
    assert_eq!(
        audit_count(&app.db.store, EntityKind::Series, id).await,
        audited + 1
    );
}

#[tokio::test]
async fn items_decisions_and_actions_are_written_in_a_meeting_with_an_audit_row_for_each() {
    let app = TestApp::demo().await;
    let ids = Ids::of_demo(&app.db.store).await;
    let write = token_of(&app, "krueger", "write").await;
    let auth = [("authorization", write.as_str())];
    let mut client = app.client();
    let agenda = format!("/api/v1/meetings/{}/agenda", ids.meeting);

    // An item, added at the end of the agenda.
    let items = format!("/api/v1/meetings/{}/items", ids.meeting);
    let before = entity_count(&app, EntityKind::AgendaItem).await;
    let added = client
        .api_send(
            "POST",
            &items,
            &auth,
            json!({"title": "Rahmenvertrag 2027"}).to_string(),
        )
        .await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
    assert_eq!(added.headers["location"], agenda.as_str());
    let item = json_of(&added);
    assert_eq!(item["title"], "Rahmenvertrag 2027");
    assert_eq!(item["added"], true);
    assert_eq!(item["account_id"], Value::Null);
    let item_id = item["id"].as_i64().unwrap();
    assert_eq!(entity_count(&app, EntityKind::AgendaItem).await, before + 1);
    let read = json_of(&client.api_get(&agenda, &auth).await);
    let last = read["items"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last, item);
    for (sent, field) in [
        (json!({"title": ""}), "title"),
        (json!({"title": "Glocke\u{7}"}), "title"),
        (json!({"title": "x".repeat(301)}), "title"),
        (json!({"name": "x"}), "name"),
    ] {
        let refused = client
            .api_send("POST", &items, &auth, sent.to_string())
            .await;
        let problem = problem(&refused, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(named_fields(&problem), [field], "{problem}");
    }
    assert_eq!(entity_count(&app, EntityKind::AgendaItem).await, before + 1);

    // A decision on it, in the agenda among its contributions.
    let decisions = format!("/api/v1/meetings/{}/items/{item_id}/decisions", ids.meeting);
    let contributions = entity_count(&app, EntityKind::Contribution).await;
    let decided = client
        .api_send(
            "POST",
            &decisions,
            &auth,
            json!({"text": "Wir verlängern um zwei Jahre.\r\n"}).to_string(),
        )
        .await;
    assert_eq!(decided.status, StatusCode::CREATED, "{}", decided.body);
    assert_eq!(decided.headers["location"], agenda.as_str());
    assert_eq!(
        json_of(&decided),
        json!({"meeting_id": ids.meeting, "item_id": item_id,
               "text": "Wir verlängern um zwei Jahre."})
    );
    assert_eq!(
        entity_count(&app, EntityKind::Contribution).await,
        contributions + 1
    );
    let read = json_of(&client.api_get(&agenda, &auth).await);
    let on_item = read["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == item_id)
        .unwrap()
        .clone();
    assert_eq!(on_item["contributions"][0]["kind"], "decision");
    assert_eq!(
        on_item["contributions"][0]["text"],
        "Wir verlängern um zwei Jahre."
    );
    for (sent, field) in [
        (json!({"text": " "}), "text"),
        (json!({"text": "Beschluss\u{1b}[31m"}), "text"),
        (json!({"text": "x".repeat(2001)}), "text"),
        (json!({"decision": "x"}), "decision"),
    ] {
        let refused = client
            .api_send("POST", &decisions, &auth, sent.to_string())
            .await;
        let problem = problem(&refused, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(named_fields(&problem), [field], "{problem}");
    }
    assert_eq!(
        entity_count(&app, EntityKind::Contribution).await,
        contributions + 1
    );

    // An action agreed on it, with its version; marked done with that version.
    let actions = format!("/api/v1/meetings/{}/items/{item_id}/actions", ids.meeting);
    let owner = person_of(&app, "yilmaz").await;
    let agreed = client
        .api_send(
            "POST",
            &actions,
            &auth,
            json!({"title": "Angebot schreiben", "owner_id": owner, "due_on": "2031-03-31"})
                .to_string(),
        )
        .await;
    assert_eq!(agreed.status, StatusCode::CREATED, "{}", agreed.body);
    let action = json_of(&agreed);
    let action_id = action["id"].as_i64().unwrap();
    assert_eq!(action["title"], "Angebot schreiben");
    assert_eq!(action["owner_id"], owner);
    assert!(!action["owner_name"].as_str().unwrap().is_empty());
    assert_eq!(action["due_on"], "2031-03-31");
    assert_eq!(action["done_on"], Value::Null);
    assert_eq!(etag(&agreed), format!("\"v{}\"", action["version"]));
    assert_eq!(
        audit_count(&app.db.store, EntityKind::Action, action_id).await,
        1
    );
    let read = json_of(&client.api_get(&agenda, &auth).await);
    let on_item = read["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == item_id)
        .unwrap()
        .clone();
    assert_eq!(on_item["actions"][0], action);
    for (sent, fields) in [
        (
            json!({"title": "", "owner_id": owner, "due_on": "2031-03-31"}),
            vec!["title"],
        ),
        (
            json!({"title": "x\u{0}y", "owner_id": owner, "due_on": "morgen"}),
            vec!["title", "due_on"],
        ),
        (
            json!({"title": "x", "owner_id": ids.partner, "due_on": "2031-03-31"}),
            vec!["owner_id"],
        ),
        (
            json!({"title": "x", "owner_id": 987_654_321, "due_on": "2031-03-31"}),
            vec!["owner_id"],
        ),
        (json!({"title": "x", "owner_id": owner}), vec!["body"]),
    ] {
        let refused = client
            .api_send("POST", &actions, &auth, sent.to_string())
            .await;
        let problem = problem(&refused, StatusCode::UNPROCESSABLE_ENTITY);
        let mut named = named_fields(&problem);
        named.sort();
        let mut fields = fields;
        fields.sort_unstable();
        assert_eq!(named, fields, "{sent}: {problem}");
    }

    let one = format!("/api/v1/actions/{action_id}");
    let tag = etag(&agreed);
    let done = client
        .api_send(
            "PUT",
            &one,
            &[("authorization", &write), ("if-match", &tag)],
            json!({"done": true}).to_string(),
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let body = json_of(&done);
    assert_eq!(body["done_on"], crate::support::today().to_string());
    assert_ne!(etag(&done), tag);
    assert_eq!(
        audit_count(&app.db.store, EntityKind::Action, action_id).await,
        2
    );
    // A second change with the old version is a lost race.
    let lost = client
        .api_send(
            "PUT",
            &one,
            &[("authorization", &write), ("if-match", &tag)],
            json!({"done": false}).to_string(),
        )
        .await;
    problem(&lost, StatusCode::PRECONDITION_FAILED);
    problem(
        &client
            .api_send("PUT", &one, &auth, json!({"done": false}).to_string())
            .await,
        StatusCode::PRECONDITION_REQUIRED,
    );
    let refused = client
        .api_send(
            "PUT",
            &one,
            &[("authorization", &write), ("if-match", &etag(&done))],
            json!({"done": "ja"}).to_string(),
        )
        .await;
    assert_eq!(
        named_fields(&problem(&refused, StatusCode::UNPROCESSABLE_ENTITY)),
        ["done"]
    );
    assert_eq!(
        audit_count(&app.db.store, EntityKind::Action, action_id).await,
        2
    );

    // Read tokens and a viewer write nothing; unknown meetings, items and actions are 404.
    let reader = token_of(&app, "krueger", "read").await;
    let viewer = token_of(&app, "gast", "read").await;
    let agreed_before = count_rows(&app.db.store, "jf_actions").await;
    for token in [&reader, &viewer] {
        let with = [("authorization", token.as_str())];
        for (address, sent) in [
            (&items, json!({"title": "x"})),
            (&decisions, json!({"text": "x"})),
            (
                &actions,
                json!({"title": "x", "owner_id": owner, "due_on": "2031-03-31"}),
            ),
        ] {
            problem(
                &client
                    .api_send("POST", address, &with, sent.to_string())
                    .await,
                StatusCode::FORBIDDEN,
            );
        }
        problem(
            &client
                .api_send(
                    "PUT",
                    &one,
                    &[("authorization", token), ("if-match", &etag(&done))],
                    json!({"done": false}).to_string(),
                )
                .await,
            StatusCode::FORBIDDEN,
        );
    }
    for (address, sent) in [
        (
            "/api/v1/meetings/987654321/items".to_owned(),
            json!({"title": "x"}),
        ),
        (
            format!("/api/v1/meetings/{}/items/987654321/decisions", ids.meeting),
            json!({"text": "x"}),
        ),
        (
            format!("/api/v1/meetings/{}/items/987654321/actions", ids.meeting),
            json!({"title": "x", "owner_id": owner, "due_on": "2031-03-31"}),
        ),
    ] {
        problem(
            &client
                .api_send("POST", &address, &auth, sent.to_string())
                .await,
            StatusCode::NOT_FOUND,
        );
    }
    problem(
        &client
            .api_send(
                "PUT",
                "/api/v1/actions/987654321",
                &[("authorization", &write), ("if-match", "\"v1\"")],
                json!({"done": true}).to_string(),
            )
            .await,
        StatusCode::NOT_FOUND,
    );
    assert_eq!(count_rows(&app.db.store, "jf_actions").await, agreed_before);

    // A meeting called off takes no items, decisions or actions.
    let meeting = app
        .db
        .store
        .meeting(MeetingId::new(ids.meeting))
        .await
        .unwrap();
    app.db
        .store
        .cancel_meeting(
            &Actor {
                user_id: None,
                name: "Test".into(),
            },
            meeting.id,
            meeting.version,
        )
        .await
        .unwrap();
    for (address, sent) in [
        (&items, json!({"title": "x"})),
        (&decisions, json!({"text": "x"})),
        (
            &actions,
            json!({"title": "x", "owner_id": owner, "due_on": "2031-03-31"}),
        ),
    ] {
        problem(
            &client
                .api_send("POST", address, &auth, sent.to_string())
                .await,
            StatusCode::CONFLICT,
        );
    }
}

/// The ids of a meeting's agenda items, in order, as the API reads them.
fn item_ids(agenda: &Value) -> Vec<i64> {
    agenda["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn agenda_items_move_up_and_down_with_an_audit_row_for_each() {
    let app = TestApp::demo().await;
    let ids = Ids::of_demo(&app.db.store).await;
    let write = token_of(&app, "krueger", "write").await;
    let auth = [("authorization", write.as_str())];
    let mut client = app.client();
    let agenda = format!("/api/v1/meetings/{}/agenda", ids.meeting);
    let items = format!("/api/v1/meetings/{}/items", ids.meeting);
    for title in ["Rahmenvertrag 2027", "Messe im Frühjahr"] {
        let added = client
            .api_send("POST", &items, &auth, json!({"title": title}).to_string())
            .await;
        assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
    }
    let before = item_ids(&json_of(&client.api_get(&agenda, &auth).await));
    let n = before.len();
    assert!(n >= 2, "{before:?}");
    let last = before[n - 1];
    let moving = format!("/api/v1/meetings/{}/items/{last}/move", ids.meeting);

    // Up one place: the answer is the agenda in its new order, as it is stored.
    let moved = client
        .api_send(
            "POST",
            &moving,
            &auth,
            json!({"direction": "up"}).to_string(),
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    let answer = json_of(&moved);
    let mut expected = before.clone();
    expected.swap(n - 2, n - 1);
    assert_eq!(item_ids(&answer), expected);
    assert_eq!(answer["meeting_id"], ids.meeting);
    let positions: Vec<i64> = answer["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["position"].as_i64().unwrap())
        .collect();
    assert_eq!(
        positions,
        (1..=i64::try_from(n).unwrap()).collect::<Vec<_>>()
    );
    let read = client.api_get(&agenda, &auth).await;
    assert_eq!(json_of(&read), answer);
    assert_eq!(
        etag(&read),
        etag(&moved),
        "the answer carries the agenda's tag"
    );
    assert_eq!(
        audit_count(&app.db.store, EntityKind::AgendaItem, last).await,
        2
    );

    // Down again: back where it was.
    let back = client
        .api_send(
            "POST",
            &moving,
            &auth,
            json!({"direction": "down"}).to_string(),
        )
        .await;
    assert_eq!(back.status, StatusCode::OK, "{}", back.body);
    assert_eq!(item_ids(&json_of(&back)), before);
    assert_eq!(
        audit_count(&app.db.store, EntityKind::AgendaItem, last).await,
        3
    );

    // Wrong bodies are 422 naming the field; nothing moves.
    for (sent, field) in [
        (json!({"direction": "sideways"}), "direction"),
        (json!({"direction": "UP"}), "direction"),
        (json!({"up": true}), "up"),
        (json!({}), "body"),
    ] {
        let refused = client
            .api_send("POST", &moving, &auth, sent.to_string())
            .await;
        let problem = problem(&refused, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(named_fields(&problem), [field], "{sent}: {problem}");
    }
    assert_eq!(
        audit_count(&app.db.store, EntityKind::AgendaItem, last).await,
        3
    );

    // Read tokens and a viewer move nothing; unknown meetings and items are 404.
    let up = json!({"direction": "up"}).to_string();
    for token in [
        token_of(&app, "krueger", "read").await,
        token_of(&app, "gast", "read").await,
    ] {
        problem(
            &client
                .api_send("POST", &moving, &[("authorization", &token)], up.clone())
                .await,
            StatusCode::FORBIDDEN,
        );
    }
    for address in [
        format!("/api/v1/meetings/987654321/items/{last}/move"),
        format!("/api/v1/meetings/{}/items/987654321/move", ids.meeting),
    ] {
        problem(
            &client.api_send("POST", &address, &auth, up.clone()).await,
            StatusCode::NOT_FOUND,
        );
    }
    assert_eq!(
        item_ids(&json_of(&client.api_get(&agenda, &auth).await)),
        before
    );
    assert_eq!(
        audit_count(&app.db.store, EntityKind::AgendaItem, last).await,
        3
    );
}

#[tokio::test]
async fn an_agenda_is_prepared_again_while_nothing_happened_in_its_meeting() {
    let app = TestApp::demo().await;
    let ids = Ids::of_demo(&app.db.store).await;
    let write = token_of(&app, "krueger", "write").await;
    let auth = [("authorization", write.as_str())];
    let mut client = app.client();
    let coming = occurrences(&app, &write, ids.series).await;
    let occurrence = coming
        .iter()
        .find(|o| o["meeting_id"].is_null())
        .expect("a coming occurrence")["occurrence"]
        .clone();
    let scheduled = client
        .api_send(
            "POST",
            &format!("/api/v1/series/{}/meetings", ids.series),
            &auth,
            json!({"occurrence": occurrence}).to_string(),
        )
        .await;
    assert_eq!(scheduled.status, StatusCode::CREATED, "{}", scheduled.body);
    let id = json_of(&scheduled)["id"].as_i64().unwrap();
    let preparation = format!("/api/v1/meetings/{id}/preparation");
    let audited = audit_count(&app.db.store, EntityKind::Meeting, id).await;

    // Prepared again: the meeting, its agenda prepared anew, the withdrawal and the new
    // preparation audited.
    let again = client.api_send("POST", &preparation, &auth, "").await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    let body = json_of(&again);
    assert_eq!(body["id"], id);
    assert_eq!(body["status"], "planned");
    assert_eq!(etag(&again), format!("\"v{}\"", body["version"]));
    let stored = app.db.store.meeting(MeetingId::new(id)).await.unwrap();
    assert!(stored.prepared_at.is_some());
    assert_eq!(
        audit_count(&app.db.store, EntityKind::Meeting, id).await,
        audited + 2,
        "withdrawn, prepared again"
    );
    let audited = audit_count(&app.db.store, EntityKind::Meeting, id).await;

    // Read tokens and a viewer prepare nothing; an unknown meeting is 404.
    for token in [
        token_of(&app, "krueger", "read").await,
        token_of(&app, "gast", "read").await,
    ] {
        problem(
            &client
                .api_send("POST", &preparation, &[("authorization", &token)], "")
                .await,
            StatusCode::FORBIDDEN,
        );
    }
    problem(
        &client
            .api_send("POST", "/api/v1/meetings/987654321/preparation", &auth, "")
            .await,
        StatusCode::NOT_FOUND,
    );
    assert_eq!(
        audit_count(&app.db.store, EntityKind::Meeting, id).await,
        audited
    );

    // Once something happened in it, it stays as it is: 409 saying why.
    let added = client
        .api_send(
            "POST",
            &format!("/api/v1/meetings/{id}/items"),
            &auth,
            json!({"title": "Rahmenvertrag 2027"}).to_string(),
        )
        .await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
    let touched = problem(
        &client.api_send("POST", &preparation, &auth, "").await,
        StatusCode::CONFLICT,
    );
    assert!(
        touched["detail"].as_str().unwrap().contains("happened"),
        "{touched}"
    );
    let read = json_of(
        &client
            .api_get(&format!("/api/v1/meetings/{id}/agenda"), &auth)
            .await,
    );
    assert!(
        read["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["title"] == "Rahmenvertrag 2027"),
        "{read}"
    );
    assert_eq!(
        audit_count(&app.db.store, EntityKind::Meeting, id).await,
        audited
    );

    // A meeting called off is not prepared again either.
    app.db
        .store
        .cancel_meeting(
            &Actor {
                user_id: None,
                name: "Test".into(),
            },
            stored.id,
            stored.version,
        )
        .await
        .unwrap();
    let cancelled = problem(
        &client.api_send("POST", &preparation, &auth, "").await,
        StatusCode::CONFLICT,
    );
    assert!(
        cancelled["detail"].as_str().unwrap().contains("called off"),
        "{cancelled}"
    );
}
