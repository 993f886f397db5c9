//! The unit digest: the page, the Atom feed behind a secret, revocable address, and the
//! weekly mail, sent once to a local SMTP receiver that the test starts.

use axum::http::StatusCode;
use counterpart_app::{App, Config, Smtp};
use counterpart_web::{AppState, WebConfig};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

use crate::support::TestApp;

/// The unit of ours that the demo's department head belongs to.
async fn krueger_unit(app: &TestApp) -> i64 {
    let store = &app.db.store;
    let user = store.user_named("krueger").await.unwrap();
    let person = store.person(user.person_id.unwrap()).await.unwrap();
    person.unit_id.unwrap().get()
}

#[tokio::test]
async fn the_unit_digest_is_a_page_and_a_feed_that_can_be_revoked() {
    let app = TestApp::demo().await;
    let unit = krueger_unit(&app).await;
    let mut head = app.login("krueger").await;
    let page = head.get(&format!("/units/{unit}/digest")).await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("<h1>Digest: Key Account Industrie</h1>");
    // The demo's insights were recorded today: what we learned, by category.
    page.assert_contains("Was wir erfahren haben");
    page.assert_contains("Will bis 2028 alle Standorte in Süddeutschland");
    // The demo's findings were first seen when it was loaded: new, each on its account's
    // mirror, with the account named.
    page.assert_contains("Neue Befunde im Spiegel");
    let findings = &page.body[page.body.find("d-findings-h").unwrap()..];
    let findings = &findings[..findings.find("</section>").unwrap()];
    assert!(findings.contains("/mirror\">"), "{findings}");
    assert!(findings.contains("erstmals gesehen"), "{findings}");
    // A wrong day is named, and the default shown.
    let wrong = head
        .get(&format!("/units/{unit}/digest?since=2026-13-45"))
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    wrong.assert_contains("Seit");

    // A feed address, shown once; the feed reader needs no login.
    let made = head
        .post(&format!("/units/{unit}/digest/feed"), &[("create", "feed")])
        .await;
    assert_eq!(made.status, StatusCode::OK);
    made.assert_contains("nur jetzt angezeigt");
    let body = made.body.clone();
    let start = body.find("/feeds/digest/").expect("the new address");
    let token: String = body[start + "/feeds/digest/".len()..]
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect();
    assert_eq!(token.len(), 64);
    let mut reader = app.client();
    let feed = reader.get(&format!("/feeds/digest/{token}")).await;
    assert_eq!(feed.status, StatusCode::OK);
    let content_type = feed.headers["content-type"].to_str().unwrap();
    assert!(
        content_type.starts_with("application/atom+xml"),
        "{content_type}"
    );
    let xml = feed.body.clone();
    assert!(xml.starts_with("<?xml"), "{xml}");
    assert!(xml.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\">"));
    assert!(xml.contains("Digest: Key Account Industrie"), "{xml}");
    assert!(xml.contains("<entry>"), "{xml}");
    // Escaped as XML: no raw ampersand from "Brandt & Söhne" in the document.
    assert!(!xml.contains("& "), "{xml}");
    // The page lists the address as read, with a way to revoke it; revoked, it is gone.
    let page = head.get(&format!("/units/{unit}/digest")).await;
    page.assert_contains("zuletzt abgerufen");
    let id = page.values_of("id").remove(0);
    let revoked = head.post("/feeds/revoke", &[("id", &id)]).await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER);
    let gone = reader.get(&format!("/feeds/digest/{token}")).await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    // Someone else's address cannot be revoked by a user who is not an administrator.
    let mut clerk = app.login("yilmaz").await;
    let other = clerk.post("/feeds/revoke", &[("id", &id)]).await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    // Not a unit of ours: no digest.
    let store = &app.db.store;
    let partner_unit = store
        .units(
            store
                .organizations(&Default::default())
                .await
                .unwrap()
                .into_iter()
                .find(|o| o.organization.kind.is_partner() && o.units > 0)
                .unwrap()
                .organization
                .id,
        )
        .await
        .unwrap()[0]
        .id;
    let refused = head.get(&format!("/units/{partner_unit}/digest")).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
}

/// A local SMTP receiver: accepts every message and hands each one's text on.
pub(crate) async fn smtp_receiver() -> (u16, tokio::sync::mpsc::UnboundedReceiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else {
                return;
            };
            let tx = tx.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 test ESMTP\r\n").await.unwrap();
                let mut data: Option<String> = None;
                while let Ok(Some(line)) = lines.next_line().await {
                    if let Some(text) = data.as_mut() {
                        if line == "." {
                            tx.send(data.take().unwrap()).unwrap();
                            write.write_all(b"250 queued\r\n").await.unwrap();
                        } else {
                            text.push_str(&line);
                            text.push('\n');
                        }
                        continue;
                    }
                    let verb = line.split(' ').next().unwrap_or("").to_ascii_uppercase();
                    let answer: &[u8] = match verb.as_str() {
                        "EHLO" | "HELO" => b"250 test\r\n",
                        "DATA" => {
                            data = Some(String::new());
                            b"354 go on\r\n"
                        }
                        "QUIT" => {
                            write.write_all(b"221 bye\r\n").await.unwrap();
                            return;
                        }
                        _ => b"250 ok\r\n",
                    };
                    write.write_all(answer).await.unwrap();
                }
            });
        }
    });
    (port, rx)
}

#[tokio::test]
async fn the_weekly_digest_is_mailed_once() {
    let (port, mut received) = smtp_receiver().await;
    let config = Config {
        smtp: Some(
            Smtp::parse(&format!("smtp://127.0.0.1:{port}"), "kam@nordlicht.example").unwrap(),
        ),
        ..Config::default()
    };
    let db = counterpart_store::testing::TestDb::sqlite().await;
    db.store.load_demo().await.unwrap();
    let state = AppState::new(App::new(db.store.clone(), config), WebConfig::default());
    // While another instance holds the week's job, this one sends nothing.
    use counterpart_store::jobs::OutsideJob::WeeklyDigests;
    let week = {
        use chrono::Datelike;
        let week = state.app.today().iso_week();
        format!("{}-W{:02}", week.year(), week.week())
    };
    db.store
        .enqueue_outside(WeeklyDigests, &week)
        .await
        .unwrap();
    let other = db
        .store
        .lease_outside("other", WeeklyDigests)
        .await
        .unwrap()
        .expect("free");
    assert_eq!(
        counterpart_web::send_weekly_digests(&state, "test")
            .await
            .unwrap(),
        0
    );
    assert!(received.try_recv().is_err());
    db.store.finish_outside(&other).await.unwrap();
    let sent = counterpart_web::send_weekly_digests(&state, "test")
        .await
        .unwrap();
    assert!(sent >= 1, "the demo's week is not quiet");
    let mut mails = Vec::new();
    while let Ok(mail) = received.try_recv() {
        mails.push(mail);
    }
    assert_eq!(mails.len(), sent);
    let krueger = mails
        .iter()
        .find(|m| m.contains("Key Account Industrie"))
        .expect("the department head's unit digest");
    assert!(
        krueger.contains("Subject: Digest: Key Account Industrie"),
        "{krueger}"
    );
    assert!(krueger.contains("From: kam@nordlicht.example"), "{krueger}");
    // The same week again, from this or another instance: nothing more.
    assert_eq!(
        counterpart_web::send_weekly_digests(&state, "test")
            .await
            .unwrap(),
        0
    );
    assert!(received.try_recv().is_err());
    db.cleanup().await;
}

#[tokio::test]
async fn a_confidential_insight_reaches_the_digest_of_those_who_may_read_it_only() {
    let app = TestApp::demo().await;
    let store = &app.db.store;
    let unit = krueger_unit(&app).await;
    let krueger = store.user_named("krueger").await.unwrap();
    let partner = store
        .counterparts_held_by(
            krueger.person_id.unwrap(),
            false,
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap()[0]
        .person
        .person
        .id;
    let mut head = app.login("krueger").await;
    // Read once before: the digest is kept between requests, and the insight recorded next
    // must show in it all the same.
    let secret = "Ein Wettbewerber bietet zwanzig Prozent weniger.";
    let digest = format!("/units/{unit}/digest");
    let before = head.get(&digest).await;
    assert_eq!(before.status, StatusCode::OK);
    assert!(!before.body.contains(secret));
    let recorded = head
        .post(
            &format!("/people/{partner}/insights"),
            &[
                ("category", "environment"),
                ("text", "Ein Wettbewerber bietet zwanzig Prozent weniger."),
                ("confidential", "1"),
            ],
        )
        .await;
    assert_eq!(recorded.status, StatusCode::SEE_OTHER);
    head.get(&digest).await.assert_contains(secret);
    // The managing director's unit lies above: she reads it; so does the administrator.
    let mut director = app.login("schneider").await;
    director.get(&digest).await.assert_contains(secret);
    // The guest's person is elsewhere: the same digest without it, on the page and in a feed.
    let mut guest = app.login("gast").await;
    let page = guest.get(&digest).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        !page.body.contains(secret),
        "the guest reads no confidential insight"
    );
    let made = guest
        .post(&format!("{digest}/feed"), &[("create", "feed")])
        .await;
    let start = made.body.find("/feeds/digest/").unwrap() + "/feeds/digest/".len();
    let token: String = made.body[start..]
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect();
    let feed = app.client().get(&format!("/feeds/digest/{token}")).await;
    assert_eq!(feed.status, StatusCode::OK);
    assert!(!feed.body.contains(secret), "nor in the guest's feed");
}

#[tokio::test]
async fn the_digest_names_both_people_of_each_pair_due() {
    let app = TestApp::demo().await;
    let store = &app.db.store;
    let unit = krueger_unit(&app).await;
    let mut head = app.login("krueger").await;
    let page = head.get(&format!("/units/{unit}/digest")).await;
    let due = &page.body[page.body.find("d-due-h").unwrap()..];
    let due = &due[..due.find("</section>").unwrap()];
    let items: Vec<&str> = due.split("<li>").skip(1).collect();
    assert!(!items.is_empty(), "{due}");
    let everything = counterpart_store::Visibility::everything();
    for item in items {
        let href = "href=\"/people/";
        let start = item.find(href).unwrap() + href.len();
        let partner: i64 = item[start..][..item[start..].find('/').unwrap()]
            .parse()
            .unwrap();
        let pairs = store
            .counterparts_of(
                counterpart_core::ids::PersonId::new(partner),
                false,
                &everything,
            )
            .await
            .unwrap();
        let partner = store
            .person(counterpart_core::ids::PersonId::new(partner))
            .await
            .unwrap()
            .display_name();
        assert!(
            pairs
                .iter()
                .any(|p| item.contains(&format!("{partner} ↔ {}", p.person.person.display_name()))),
            "{item}"
        );
    }
}
