//! One confidential insight, and every surface that shows what we know: the person and
//! account pages, both briefings, My day, the unit digest and its feed, the search and the
//! three exports. Each reader either finds it on every surface or on none, on SQLite and on
//! PostgreSQL; an open insight recorded beside it shows that every surface was looked at.

use axum::http::StatusCode;
use counterpart_core::account::{AssignmentInput, AssignmentKind};
use counterpart_core::exchange::read::{Limits, read_vcards, read_xlsx};
use counterpart_core::ids::{AccountId, PersonId, UnitId};
use counterpart_core::user::{Role, UserInput, Username};
use counterpart_store::{Actor, NewUser};

use crate::support::{TestApp, unescape};

/// What the department head tells everyone, and what only his unit and those above may read.
const OPEN: &str = "Kranichflug-Projekt: will die Ausschreibung im März starten.";
const SECRET: &str = "Zwölfender-Gerücht: der Vorstand erwägt den Verkauf der Sparte.";

/// The password of the two readers the test adds.
const PASSWORD: &str = "correct horse battery";

/// A reader, and whether they may read the confidential insight.
struct Reader {
    username: &'static str,
    sees_secret: bool,
    /// Whether the reader may export (editors and administrators).
    exports: bool,
}

const READERS: [Reader; 6] = [
    // The author, in Key Account Industrie.
    Reader {
        username: "krueger",
        sees_secret: true,
        exports: true,
    },
    // The head of Vertrieb, the unit above the author's.
    Reader {
        username: "weissenfels",
        sees_secret: true,
        exports: true,
    },
    // The managing director, an administrator.
    Reader {
        username: "schneider",
        sees_secret: true,
        exports: true,
    },
    // The clerk in Vertriebsinnendienst, a unit beside the author's.
    Reader {
        username: "yilmaz",
        sees_secret: false,
        exports: true,
    },
    // The guest in the managing director's secretariat: not above the author's unit.
    Reader {
        username: "gast",
        sees_secret: false,
        exports: false,
    },
    // An editor linked to no person of ours.
    Reader {
        username: "extern",
        sees_secret: false,
        exports: true,
    },
];

/// Whether `text` is on a surface, as a reader would read it (entities unescaped).
fn shows(body: &str, text: &str) -> bool {
    unescape(body).contains(text)
}

async fn every_surface_shows_a_confidential_insight_to_those_who_may_read_it(app: TestApp) {
    let store = &app.db.store;
    let setup = Actor {
        user_id: None,
        name: "Test".into(),
    };
    let yilmaz = store.user_named("yilmaz").await.unwrap();
    let krueger = store.user_named("krueger").await.unwrap();
    let krueger_person = store.person(krueger.person_id.unwrap()).await.unwrap();
    // Krüger's manager heads Vertrieb, the unit above Key Account Industrie.
    let head_of_sales = krueger_person.reports_to_id.expect("Krüger has a manager");
    // The partner: the first key contact of the first account.
    let account: AccountId = store
        .accounts(
            &Default::default(),
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap()[0]
        .account
        .id;
    let partner: PersonId = store.key_contacts(account).await.unwrap()[0].person_id;
    let organization = store.person(partner).await.unwrap().organization_id;
    // The top unit: its digest covers every account.
    let own = store.person(head_of_sales).await.unwrap().organization_id;
    let top: UnitId = store
        .units(own)
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.parent_id.is_none())
        .unwrap()
        .id;
    // Two more readers: the head of sales and an editor who is nobody of ours.
    for (username, name, person) in [
        ("weissenfels", "Thomas Weißenfels", Some(head_of_sales)),
        ("extern", "Externe Beraterin", None),
    ] {
        store
            .create_user(
                &setup,
                &NewUser {
                    username: Username::parse(username).unwrap(),
                    details: UserInput {
                        display_name: name.into(),
                        email: None,
                        role: Role::Editor,
                        person_id: person,
                    },
                    password: PASSWORD.into(),
                },
            )
            .await
            .unwrap();
    }
    // The head of sales and the clerk both stand in for the partner's counterpart, so that
    // news about the partner is on their My day.
    for ours in [head_of_sales, yilmaz.person_id.unwrap()] {
        store
            .assign(
                &setup,
                &AssignmentInput {
                    partner_id: partner,
                    our_id: ours,
                    kind: AssignmentKind::Deputy,
                    valid_from: chrono::Utc::now().date_naive(),
                },
            )
            .await
            .unwrap();
    }

    // The department head records both, the second one confidential.
    let mut author = app.login("krueger").await;
    author.get(&format!("/people/{partner}")).await;
    for (text, confidential) in [(OPEN, ""), (SECRET, "1")] {
        let saved = author
            .post(
                &format!("/people/{partner}/insights"),
                &[
                    ("category", "developments"),
                    ("text", text),
                    ("confidential", confidential),
                ],
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    }

    for reader in &READERS {
        let who = reader.username;
        let mut client = if matches!(who, "weissenfels" | "extern") {
            app.try_login(who, PASSWORD).await.1
        } else {
            app.login(who).await
        };
        let user = store.user_named(who).await.unwrap();
        let (_, token) = store
            .create_token(
                &setup,
                user.id,
                &counterpart_store::testing::digest_feed(top),
            )
            .await
            .unwrap();
        let mut pages = vec![
            format!("/people/{partner}"),
            format!("/accounts/{account}"),
            format!("/people/{partner}/briefing"),
            format!("/accounts/{account}/briefing"),
            format!("/units/{top}/digest"),
            format!("/feeds/digest/{token}"),
        ];
        // My day reports what others recorded about the partners one holds.
        if matches!(who, "weissenfels" | "yilmaz") {
            pages.push("/".to_owned());
        }
        for path in &pages {
            let page = client.get(path).await;
            assert_eq!(page.status, StatusCode::OK, "{who} {path}");
            // The account briefing shows each key person's freshest insight: the secret one
            // (recorded last) for those who may read it, the open one for everyone else.
            let open_shown = !path.ends_with("/briefing") || path.starts_with("/people/");
            assert_eq!(
                shows(&page.body, OPEN),
                open_shown || !reader.sees_secret,
                "{who} reads the open one on {path}"
            );
            assert_eq!(
                shows(&page.body, SECRET),
                reader.sees_secret,
                "{who} on {path}"
            );
        }
        // The search, by a word of each, typed without umlauts.
        let page = client.get("/search?q=kranichflug").await;
        assert!(shows(&page.body, OPEN), "{who} finds the open one");
        let page = client.get("/search?q=zwoelfender").await;
        assert_eq!(
            shows(&page.body, SECRET),
            reader.sees_secret,
            "{who} search"
        );

        // The exports of the partner's organization: the workbook's second sheet, the CSV of
        // what we know and the vCards' notes.
        let export = |format: &str| format!("/organizations/{organization}/export?format={format}");
        if !reader.exports {
            let (status, _, _) = client.get_bytes(&export("xlsx")).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{who} exports nothing");
            continue;
        }
        let (status, _, xlsx) = client.get_bytes(&export("xlsx")).await;
        assert_eq!(status, StatusCode::OK, "{who} xlsx");
        let sheet = read_xlsx(&xlsx, Some("Was wir wissen"), &Limits::default()).unwrap();
        let texts: Vec<&str> = sheet.rows.iter().map(|r| r.get(4)).collect();
        assert!(texts.contains(&OPEN), "{who} xlsx: {texts:?}");
        assert_eq!(texts.contains(&SECRET), reader.sees_secret, "{who} xlsx");
        let (status, disposition, csv) = client.get_bytes(&export("insights-csv")).await;
        assert_eq!(status, StatusCode::OK, "{who} csv");
        assert!(disposition.contains("-was-wir-wissen.csv"), "{disposition}");
        let csv = String::from_utf8(csv).unwrap();
        assert!(csv.contains(OPEN), "{who} csv");
        assert_eq!(csv.contains(SECRET), reader.sees_secret, "{who} csv");
        let (status, _, vcf) = client.get_bytes(&export("vcf")).await;
        assert_eq!(status, StatusCode::OK, "{who} vcf");
        let notes: String = read_vcards(&vcf, &Limits::default())
            .unwrap()
            .into_iter()
            .map(|card| card.note)
            .collect();
        assert!(notes.contains(OPEN), "{who} vcf");
        assert_eq!(notes.contains(SECRET), reader.sees_secret, "{who} vcf");
    }
}

#[tokio::test]
async fn every_surface_shows_a_confidential_insight_to_those_who_may_read_it_on_sqlite() {
    every_surface_shows_a_confidential_insight_to_those_who_may_read_it(TestApp::demo().await)
        .await;
}

#[tokio::test]
async fn every_surface_shows_a_confidential_insight_to_those_who_may_read_it_on_postgres() {
    if let Some(app) = TestApp::demo_postgres().await {
        every_surface_shows_a_confidential_insight_to_those_who_may_read_it(app).await;
    }
}
