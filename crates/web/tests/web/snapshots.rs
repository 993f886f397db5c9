//! The HTML of the main pages, as snapshots a reviewer reads in a diff (`cargo insta review`
//! after a change that is meant to show). Built on a small world of their own, not the demo,
//! so that a change of the demo data does not touch them; what changes from run to run (the
//! CSRF token, today's date and the time of day, the assets' version) is replaced first.

use counterpart_core::org::OrganizationKind;
use counterpart_core::user::Role;
use counterpart_store::testing::World;

use crate::support::TestApp;

/// The `<main>` of a page with what changes between runs replaced.
fn normalized(body: &str) -> String {
    let start = body.find("<main").expect("a main element");
    let end = body.find("</main>").expect("the main element's end") + "</main>".len();
    let mut main = body[start..end].to_owned();
    // CSRF tokens: 64 hex digits after `value="` or `content="`.
    for marker in ["name=\"_csrf\" value=\"", "content=\""] {
        let mut from = 0;
        while let Some(at) = main[from..].find(marker) {
            let begin = from + at + marker.len();
            let token: String = main[begin..].chars().take(64).collect();
            if token.len() == 64 && token.chars().all(|c| c.is_ascii_hexdigit()) {
                main.replace_range(begin..begin + 64, "[csrf]");
            }
            from = begin;
        }
    }
    // Today where the pages say it: in the configured time zone (Berlin by default), which
    // is a day ahead of UTC for an hour or two each night.
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Berlin)
        .date_naive();
    let de = today.format("%d.%m.%Y").to_string();
    let mut out = String::with_capacity(main.len());
    let mut rest = main.as_str();
    while let Some(at) = rest.find(&de) {
        out.push_str(&rest[..at]);
        out.push_str("[heute]");
        rest = &rest[at + de.len()..];
        // A time of day and the zone (CET in winter, CEST in summer) follow a date in the
        // audit's moments: ", 17:05 CET".
        let time: String = rest.chars().take(8).collect();
        if time.len() == 8 && time.starts_with(", ") && time.as_bytes()[4] == b':' {
            out.push_str(", [zeit] [zone]");
            let zone = rest[8..]
                .find(|c: char| !c.is_ascii_uppercase())
                .unwrap_or(rest.len() - 8);
            rest = &rest[8 + zone..];
        }
    }
    out.push_str(rest);
    // And as a form's date field holds it.
    out.replace(&today.format("%Y-%m-%d").to_string(), "[heute-iso]")
}

#[tokio::test]
async fn the_main_pages_look_as_reviewed() {
    let app = TestApp::empty().await;
    let world = World::new(&app.db.store);
    let own = world
        .organization("Nordlicht Energie", OrganizationKind::Own)
        .await;
    let ours = world
        .ladder(
            own,
            &["Gerda Chef", "Bernd Leiter", "Sara Sachbearbeiterin"],
        )
        .await;
    let brandt = world
        .organization("Brandt & Söhne", OrganizationKind::External)
        .await;
    let theirs = world
        .ladder(brandt, &["Karl Kunde", "Paula Partner", "Udo Umsetzer"])
        .await;
    let account = world.account(brandt, &theirs[..2]).await;
    world.user("gerda", Role::Admin, Some(ours[0])).await;
    app.db.store.run_jobs("test").await.unwrap();
    let mut gerda = app.login_to_world("gerda").await;
    for (name, path) in [
        ("my_day", "/".to_owned()),
        ("home", "/overview".to_owned()),
        ("organization", format!("/organizations/{own}")),
        ("person", format!("/people/{}", ours[2])),
        ("account", format!("/accounts/{account}")),
        ("guiding", format!("/accounts/{account}/guiding")),
        ("matrix", "/matrix".to_owned()),
        ("users", "/admin/users".to_owned()),
        ("importance", "/importance".to_owned()),
    ] {
        let page = gerda.get(&path).await;
        assert!(page.status.is_success(), "{path}: {}", page.status);
        insta::assert_snapshot!(name, normalized(&page.body));
    }
}
