//! What an attack on the running product broke, each proved fixed: every change leaves an audit
//! row, no form stores a control character, redirects stay on the site, odd input never gets a
//! server error, and the login and upload edges hold.

use std::collections::BTreeSet;

use axum::http::StatusCode;
use counterpart_store::{AuditFilter, Store};

use crate::support::routes::{Ids, Method, ROUTES, UPLOAD_ROUTES};
use crate::support::{Client, Page, TestApp};

/// State-changing routes that write no audit row, and why.
const NOT_AUDITED: &[(&str, &str)] = &[
    ("/login", "signs in; a session is not data"),
    ("/logout", "signs out"),
    ("/language", "the user's own interface language"),
];

/// The id of the newest audit row: it grows with every row written.
async fn audit_rows(store: &Store) -> i64 {
    store
        .audit_entries(&AuditFilter {
            limit: 1,
            ..Default::default()
        })
        .await
        .unwrap()
        .first()
        .map_or(0, |e| e.id.get())
}

/// The first number in a path (`/organizations/7?saved=1` → `7`).
fn id_in(path: &str) -> String {
    path.split(|c: char| !c.is_ascii_digit())
        .find(|part| !part.is_empty())
        .unwrap_or_else(|| panic!("no id in {path}"))
        .to_owned()
}

/// The route template a concrete path belongs to, by shape: every number is an id.
fn template_of(path: &str) -> String {
    path.split('?')
        .next()
        .unwrap_or("")
        .split('/')
        .map(|part| {
            if !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()) {
                "{id}"
            } else {
                part
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Walks the app as an administrator: each step opens a page, fills in its form and submits
/// it; every submission must be accepted and must add an audit row.
struct Walk<'a> {
    client: Client,
    store: &'a Store,
    covered: BTreeSet<String>,
}

impl Walk<'_> {
    /// Submits the form with `action` on `page` after setting `set` and adding `add`.
    async fn submit(
        &mut self,
        page: &str,
        action: &str,
        set: &[(&str, &str)],
        add: &[(&str, &str)],
    ) -> Page {
        let shown = self.client.get(page).await;
        assert!(shown.status.is_success(), "{page}: {}", shown.status);
        let Some(mut form) = shown.form(action) else {
            panic!("no form {action} on {page}:\n{}", shown.body);
        };
        for (name, value) in set {
            form.set(name, value);
        }
        for (name, value) in add {
            form.add(name, value);
        }
        self.post(action, &form.pairs()).await
    }

    /// Posts fields to a route and checks the audit log grew.
    async fn post(&mut self, action: &str, fields: &[(&str, &str)]) -> Page {
        let before = audit_rows(self.store).await;
        let done = self.client.post(action, fields).await;
        assert!(
            done.status == StatusCode::SEE_OTHER || done.status == StatusCode::OK,
            "{action}: {}\n{}",
            done.status,
            done.body
        );
        assert!(
            audit_rows(self.store).await > before,
            "{action} with {fields:?}: {} {} wrote no audit row\n{}",
            done.status,
            done.location(),
            done.body
        );
        self.covered.insert(template_of(action));
        done
    }
}

#[tokio::test]
async fn every_state_changing_route_writes_an_audit_row() {
    let app = TestApp::demo().await;
    let store = &app.db.store;
    let ids = Ids::of_demo(store).await;
    let mut walk = Walk {
        client: app.login("schneider").await,
        store,
        covered: BTreeSet::new(),
    };
    let f = |path: &str| ids.fill(path);
    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(1))
        .format("%Y-%m-%d")
        .to_string();

    // Organizations, units, people.
    let created = walk
        .submit(
            "/organizations/new",
            "/organizations",
            &[("name", "Prüfwerk GmbH"), ("kind", "external")],
            &[],
        )
        .await;
    let org = id_in(created.location());
    walk.submit(
        &format!("/organizations/{org}/edit"),
        &format!("/organizations/{org}/edit"),
        &[("notes", "Zeile 1\r\nZeile 2")],
        &[],
    )
    .await;
    let unit = walk
        .submit(
            &format!("/organizations/{org}/units/new"),
            &format!("/organizations/{org}/units"),
            &[("name", "Revision")],
            &[],
        )
        .await;
    let unit = id_in(unit.location());
    walk.submit(
        &format!("/units/{unit}/edit"),
        &format!("/units/{unit}/edit"),
        &[("name", "Interne Revision")],
        &[],
    )
    .await;
    let person = walk
        .submit(
            &format!("/organizations/{org}/people/new"),
            &format!("/organizations/{org}/people"),
            &[("given_name", "Paula"), ("family_name", "Prüfer")],
            &[],
        )
        .await;
    let person = id_in(person.location());
    walk.submit(
        &format!("/people/{person}/edit"),
        &format!("/people/{person}/edit"),
        &[("job_title", "Leiterin Revision")],
        &[],
    )
    .await;
    walk.submit(
        &format!("/people/{person}/position"),
        &format!("/people/{person}/position"),
        &[("job_title", "Bereichsleiterin"), ("valid_from", &tomorrow)],
        &[],
    )
    .await;

    // The ladder and functions.
    walk.submit(
        "/admin/levels",
        "/admin/levels",
        &[("name_de", "Praktikum"), ("name_en", "Internship")],
        &[],
    )
    .await;
    walk.submit(
        "/admin/levels",
        &f("/admin/levels/{l}"),
        &[("name_de", "Vorstand")],
        &[],
    )
    .await;
    walk.submit(
        "/admin/levels",
        &f("/admin/levels/{l}/move"),
        &[],
        &[("direction", "down")],
    )
    .await;
    walk.submit(
        "/admin/functions",
        "/admin/functions",
        &[
            ("key", "audit"),
            ("name_de", "Revision"),
            ("name_en", "Audit"),
        ],
        &[],
    )
    .await;
    walk.submit(
        "/admin/functions",
        &f("/admin/functions/{f}"),
        &[("name_en", "Management board")],
        &[],
    )
    .await;
    walk.submit(
        "/admin/functions",
        &f("/admin/functions/{f}/move"),
        &[],
        &[("direction", "down")],
    )
    .await;

    // Accounts, key contacts, importance.
    let account = walk
        .submit(
            "/accounts/new",
            "/accounts",
            &[("organization_id", &org), ("relation", "customer")],
            &[],
        )
        .await;
    let account = id_in(account.location());
    walk.submit(
        &format!("/accounts/{account}/edit"),
        &format!("/accounts/{account}/edit"),
        &[("notes", "Wichtig")],
        &[],
    )
    .await;
    walk.submit(
        &format!("/accounts/{account}"),
        &format!("/accounts/{account}/contacts"),
        &[("person_id", &person)],
        &[],
    )
    .await;
    let shown = walk.client.get(&format!("/accounts/{account}")).await;
    let contact = shown
        .values_of("version")
        .first()
        .map(|_| ())
        .and_then(|()| {
            shown
                .body
                .split("action=\"/key-contacts/")
                .nth(1)?
                .split('"')
                .next()
                .map(str::to_owned)
        })
        .expect("the new key contact's form");
    walk.submit(
        &format!("/accounts/{account}"),
        &format!("/key-contacts/{contact}"),
        &[("influence", "5")],
        &[],
    )
    .await;
    let criterion = ids.criterion.to_string();
    walk.submit(
        &format!("/accounts/{account}"),
        &format!("/accounts/{account}/importance"),
        &[(&format!("c{criterion}"), "4")],
        &[],
    )
    .await;
    walk.submit(
        "/importance",
        "/importance/proposals",
        &[(&format!("w{criterion}"), "17")],
        &[],
    )
    .await;
    walk.submit(
        "/importance",
        "/importance/criteria",
        &[
            ("name_de", "Innovationskraft"),
            ("name_en", "Innovation"),
            ("weight", "5"),
        ],
        &[],
    )
    .await;
    walk.submit(
        "/importance",
        &f("/importance/criteria/{c}"),
        &[("weight", "33")],
        &[],
    )
    .await;
    walk.submit(
        "/importance",
        "/importance/tiers",
        &[("tier_a", "71"), ("tier_b", "41")],
        &[],
    )
    .await;

    // Counterparts and ratings.
    walk.submit(
        &f("/assignments/{s}"),
        &f("/assignments/{s}/ratings"),
        &[
            ("relationship", "4"),
            ("partnership", "3"),
            ("satisfaction", "5"),
            ("comment", "Gutes Gespräch"),
        ],
        &[],
    )
    .await;
    let partner = store
        .key_contacts(counterpart_core::ids::AccountId::new(ids.account))
        .await
        .unwrap()[0]
        .person_id;
    walk.submit(
        &format!("/people/{partner}"),
        &format!("/people/{partner}/counterparts"),
        &[("kind", "deputy"), ("other_id", &ids.person.to_string())],
        &[],
    )
    .await;
    walk.submit(
        &f("/people/{p}"),
        &f("/people/{p}/capacity"),
        &[("capacity", "7")],
        &[],
    )
    .await;

    // Suggestions and locks, on the account with the monthly conference.
    let isar = store
        .accounts(
            &Default::default(),
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.account.mode == counterpart_core::account::ManagementMode::JourFixe)
        .unwrap()
        .account
        .id;
    let suggestions = format!("/accounts/{isar}/suggestions");
    let page = walk.client.get(&suggestions).await;
    let pick = page.values_of("pick")[0].clone();
    let lock = page.values_of("lock")[0].clone();
    walk.submit(&suggestions, "/suggestions/accept", &[], &[("pick", &pick)])
        .await;
    let page = walk.client.get(&suggestions).await;
    let lock_form = page.form("/locks").expect("the lock form");
    let mut fields = lock_form.pairs();
    fields.push(("lock", &lock));
    walk.post("/locks", &fields).await;
    let page = walk.client.get(&suggestions).await;
    let lifted = lock.rsplit_once(':').unwrap().0.to_owned() + ":clear";
    assert!(
        page.values_of("lock").contains(&lifted),
        "a lock is listed where it applies, with a way to lift it: {lifted} in {:?}\n{}",
        page.values_of("lock"),
        page.body
            .split("id=\"locks\"")
            .nth(1)
            .unwrap_or("no locks section")
    );
    let lift_form = page.form("/locks").unwrap();
    let mut fields = lift_form.pairs();
    fields.push(("lock", &lifted));
    walk.post("/locks", &fields).await;

    // Imports: the upload, a new mapping, the commit; another upload cancelled.
    let csv = "Vorname;Nachname;E-Mail\nIda;Import;ida@pruefwerk.example\n";
    walk.client
        .get(&format!("/organizations/{org}/import"))
        .await;
    let before = audit_rows(store).await;
    let uploaded = walk
        .client
        .upload(
            &format!("/organizations/{org}/import"),
            "leute.csv",
            csv.as_bytes(),
            true,
        )
        .await;
    assert_eq!(uploaded.status, StatusCode::SEE_OTHER, "{}", uploaded.body);
    assert!(audit_rows(store).await > before, "an upload is audited");
    walk.covered.insert("/organizations/{id}/import".to_owned());
    let preview = uploaded.location().to_owned();
    walk.post(&format!("{preview}/rows"), &[("restore", "1")])
        .await;
    walk.submit(&preview, &format!("{preview}/mapping"), &[("m2", "")], &[])
        .await;
    walk.submit(&preview, &format!("{preview}/commit"), &[], &[])
        .await;
    walk.client
        .get(&format!("/organizations/{org}/import"))
        .await;
    let second = walk
        .client
        .upload(
            &format!("/organizations/{org}/import"),
            "noch.csv",
            csv.as_bytes(),
            true,
        )
        .await;
    let second = second.location().to_owned();
    walk.submit(&second, &format!("{second}/cancel"), &[], &[])
        .await;

    // The KAM matrix from a team's workbook.
    let (_, _, workbook) = walk.client.get_bytes("/matrix/export?sheet=current").await;
    walk.client.get("/matrix/import").await;
    let before = audit_rows(store).await;
    let dry = walk
        .client
        .upload("/matrix/import", "matrix.xlsx", &workbook, true)
        .await;
    assert!(
        audit_rows(store).await > before,
        "a matrix upload is audited"
    );
    walk.covered.insert("/matrix/import".to_owned());
    let dry = if dry.status == StatusCode::SEE_OTHER {
        walk.client.get(dry.location()).await
    } else {
        dry
    };
    let commit = dry
        .body
        .split("action=\"/matrix/import/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .map(|rest| format!("/matrix/import/{rest}"))
        .unwrap_or_else(|| panic!("a matrix commit form:\n{}", dry.body));
    let fields = dry.form(&commit).unwrap();
    walk.post(&commit, &fields.pairs()).await;

    // Users: one created with the address of a person of our house, then linked to them by
    // that address; the guest renamed, their password reset, disabled; one's own password.
    let linked: Vec<_> = store
        .users()
        .await
        .unwrap()
        .into_iter()
        .filter_map(|u| u.person_id)
        .collect();
    let own_id = counterpart_core::ids::OrganizationId::new(ids.own);
    let email = store
        .people(own_id, None, false, 500, 0)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.person.email.is_some() && !linked.contains(&p.person.id))
        .and_then(|p| p.person.email)
        .expect("a person of our house with an address and no user");
    walk.submit(
        "/admin/users/new",
        "/admin/users",
        &[
            ("username", "walker"),
            ("display_name", "Walker"),
            ("email", &email),
            ("password", "a long enough password"),
        ],
        &[],
    )
    .await;
    walk.submit("/admin/users/link", "/admin/users/link", &[], &[])
        .await;
    walk.submit(
        &f("/admin/users/{n}"),
        &f("/admin/users/{n}"),
        &[("display_name", "Gast Zwei")],
        &[],
    )
    .await;
    walk.submit(
        &f("/admin/users/{n}"),
        &f("/admin/users/{n}/password"),
        &[("password", "another long password")],
        &[],
    )
    .await;
    walk.submit(
        &f("/admin/users/{n}"),
        &f("/admin/users/{n}/active"),
        &[],
        &[],
    )
    .await;
    walk.submit(
        "/account/password",
        "/account/password",
        &[
            ("current_password", "demo"),
            ("password", "a brand new password"),
            ("password_repeat", "a brand new password"),
        ],
        &[],
    )
    .await;

    // The contact log: a call with the person (with what was learned), a meeting on the
    // account's page.
    walk.submit(
        &format!("/people/{person}"),
        &format!("/people/{person}/contacts"),
        &[("summary", "Kurz telefoniert."), ("text", "Will Berichte.")],
        &[("kind", "call"), ("category", "needs")],
    )
    .await;
    walk.submit(
        &format!("/accounts/{account}"),
        &format!("/accounts/{account}/contact-log"),
        &[("summary", "Jahresgespräch.")],
        &[("kind", "meeting")],
    )
    .await;
    // What we know: an insight about the person and one about the account, changed and
    // withdrawn by its author.
    let recorded = walk
        .submit(
            &format!("/people/{person}"),
            &format!("/people/{person}/insights"),
            &[("text", "Braucht Berichte je Standort.")],
            &[("category", "needs")],
        )
        .await;
    let person_page = walk.client.get(recorded.location()).await;
    let edit = person_page
        .body
        .split("href=\"/insights/")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .expect("the author may edit the insight")
        .to_owned();
    walk.submit(
        &format!("/insights/{edit}/edit"),
        &format!("/insights/{edit}/edit"),
        &[("text", "Braucht monatliche Berichte je Standort.")],
        &[],
    )
    .await;
    walk.submit(
        &format!("/people/{person}"),
        &format!("/insights/{edit}/withdraw"),
        &[],
        &[],
    )
    .await;
    walk.submit(
        &format!("/accounts/{account}"),
        &format!("/accounts/{account}/insights"),
        &[("text", "Zufrieden.")],
        &[("category", "satisfaction")],
    )
    .await;
    // The guiding questions as the data suggest; the supplier questions about a supplier.
    walk.submit(
        &f("/accounts/{a}/guiding"),
        &f("/accounts/{a}/guiding"),
        &[("exchange_comment", "Im Jour fixe.")],
        &[],
    )
    .await;
    let supplier = store
        .accounts(
            &counterpart_store::AccountFilter {
                relation: Some(counterpart_core::account::Relation::Supplier),
                ..Default::default()
            },
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap()[0]
        .account
        .id;
    walk.submit(
        &format!("/accounts/{supplier}/supplier-rating"),
        &format!("/accounts/{supplier}/supplier-rating"),
        &[("advocacy", "partly"), ("advantage", "yes")],
        &[],
    )
    .await;

    // A feed address for the unit digest, made and revoked.
    walk.submit(
        &f("/units/{u}/digest"),
        &f("/units/{u}/digest/feed"),
        &[("create", "feed")],
        &[],
    )
    .await;
    walk.submit(&f("/units/{u}/digest"), "/feeds/revoke", &[], &[])
        .await;
    // A pair's own contact interval.
    walk.submit(
        &f("/assignments/{s}"),
        &f("/assignments/{s}/interval"),
        &[("contact_every_days", "21")],
        &[],
    )
    .await;

    // The jour fixe: a series convened, changed, with a participant and accounts; a meeting
    // prepared, an item added and moved, a contribution, a decision and an action done; a
    // meeting and the series called off; a calendar address made and revoked.
    let convened = walk
        .submit(
            "/jour-fixe/new",
            "/jour-fixe/new",
            &[
                ("name", "Prüf-Jour-fixe"),
                ("unit_id", &f("{u}")),
                ("first_date", &tomorrow),
                ("start_time", "10:00"),
                ("repeat", "weekly"),
            ],
            &[],
        )
        .await;
    let series = id_in(convened.location());
    let series_page = format!("/jour-fixe/{series}");
    walk.submit(
        &format!("{series_page}/edit"),
        &format!("{series_page}/edit"),
        &[("place", "Raum 1")],
        &[],
    )
    .await;
    walk.submit(
        &series_page,
        &format!("{series_page}/participants"),
        &[],
        &[("person_id", &f("{p}"))],
    )
    .await;
    walk.submit(
        &series_page,
        &format!("{series_page}/participants/remove"),
        &[],
        &[],
    )
    .await;
    walk.submit(
        &format!("{series_page}?account_q=isar"),
        &format!("{series_page}/accounts"),
        &[],
        &[],
    )
    .await;
    walk.submit(
        &series_page,
        &format!("{series_page}/accounts/remove"),
        &[],
        &[],
    )
    .await;
    walk.submit(
        &format!("/accounts/{account}"),
        &format!("/accounts/{account}/jour-fixe"),
        &[("series_id", &series)],
        &[],
    )
    .await;
    let prepared = walk
        .submit(
            &series_page,
            &format!("{series_page}/occurrences/prepare"),
            &[],
            &[],
        )
        .await;
    let meeting_page = prepared.location().to_owned();
    let meeting = id_in(&meeting_page);
    walk.submit(
        &meeting_page,
        &format!("/meetings/{meeting}/prepare-again"),
        &[],
        &[],
    )
    .await;
    walk.submit(
        &meeting_page,
        &format!("/meetings/{meeting}/move"),
        &[("time", "11:30"), ("place", "Raum 3")],
        &[],
    )
    .await;
    let added = walk
        .submit(
            &meeting_page,
            &format!("/meetings/{meeting}/items"),
            &[("title", "Budget")],
            &[],
        )
        .await;
    let item = added
        .location()
        .split("#item-")
        .nth(1)
        .expect("the new item's anchor")
        .to_owned();
    let on_item = format!("/meetings/{meeting}/items/{item}");
    walk.submit(
        &meeting_page,
        &format!("{on_item}/move"),
        &[],
        &[("direction", "up")],
    )
    .await;
    walk.submit(
        &meeting_page,
        &format!("{on_item}/contributions"),
        &[
            ("category", "needs"),
            ("text", "Braucht ein Budget je Standort."),
        ],
        &[],
    )
    .await;
    walk.submit(
        &meeting_page,
        &format!("{on_item}/decisions"),
        &[("decision", "Budget im Januar vorlegen.")],
        &[],
    )
    .await;
    let owner = store
        .user_named("schneider")
        .await
        .unwrap()
        .person_id
        .unwrap()
        .to_string();
    walk.submit(
        &meeting_page,
        &format!("{on_item}/actions"),
        &[
            ("title", "Budget vorlegen"),
            ("owner_id", &owner),
            ("due_on", &tomorrow),
        ],
        &[],
    )
    .await;
    let action = store
        .actions_of_meeting(counterpart_core::ids::MeetingId::new(
            meeting.parse().unwrap(),
        ))
        .await
        .unwrap()[0]
        .action
        .id;
    walk.submit("/", &format!("/actions/{action}/done"), &[], &[])
        .await;
    walk.submit(
        &series_page,
        &format!("{series_page}/occurrences/cancel"),
        &[],
        &[],
    )
    .await;
    walk.submit(&series_page, &format!("{series_page}/cancel"), &[], &[])
        .await;
    walk.submit(
        "/jour-fixe",
        "/jour-fixe/calendar",
        &[],
        &[("create", "calendar")],
    )
    .await;
    walk.submit("/jour-fixe", "/jour-fixe/calendar/revoke", &[], &[])
        .await;
    // Every secret on one page: an API token made and revoked there; a calendar address
    // revoked by an administrator on theirs.
    walk.submit(
        "/account/tokens",
        "/account/tokens",
        &[("label", "Berichtswesen"), ("days", "30")],
        &[],
    )
    .await;
    walk.submit("/account/tokens", "/account/tokens/revoke", &[], &[])
        .await;
    walk.submit(
        "/jour-fixe",
        "/jour-fixe/calendar",
        &[],
        &[("create", "calendar")],
    )
    .await;
    walk.submit("/admin/tokens", "/admin/tokens/revoke", &[], &[])
        .await;
    // Sessions on the same page: a second browser's ended from the list, two more at once
    // (the administrator's password was changed above).
    let again = || app.try_login("schneider", "a brand new password");
    let _second = again().await;
    walk.submit("/account/tokens", "/account/sessions/revoke", &[], &[])
        .await;
    let (_third, _fourth) = (again().await, again().await);
    walk.submit(
        "/account/tokens",
        "/account/sessions/revoke-others",
        &[],
        &[],
    )
    .await;
    // The second factor set up with a code of the secret shown (each visit shows a new one),
    // then turned off with the next code.
    let shown = walk.client.get("/account/second-factor").await;
    let at = shown.body.find("name=\"secret\" value=\"").unwrap() + 21;
    let secret: String = shown.body[at..].chars().take(32).collect();
    let totp = counterpart_core::second_factor::TotpSecret::parse(&secret).unwrap();
    let now = chrono::Utc::now().timestamp();
    walk.submit(
        "/account/second-factor",
        "/account/second-factor",
        &[("secret", &secret), ("code", &totp.code_at(now))],
        &[],
    )
    .await;
    walk.submit(
        "/account/second-factor",
        "/account/second-factor/disable",
        &[("code", &totp.code_at(now + 30))],
        &[],
    )
    .await;
    // An administrator ends the guest's sessions and resets the guest's second factor (a
    // session of the guest made in the store: their password was reset above).
    let guest = store.user_named("gast").await.unwrap();
    let login = counterpart_store::LoginSuccess {
        user: guest.clone(),
        failed_before: 0,
        last_failed_at: None,
        device_token: String::new(),
    };
    store
        .create_session(&login, chrono::Duration::hours(1), None, "")
        .await
        .unwrap();
    let guest = guest.id;
    store
        .enable_second_factor(
            &counterpart_store::Actor::system(),
            guest,
            &totp,
            &totp.code_at(now),
        )
        .await
        .unwrap();
    walk.submit(
        &f("/admin/users/{n}"),
        &f("/admin/users/{n}/sessions/revoke"),
        &[],
        &[],
    )
    .await;
    walk.submit(
        &f("/admin/users/{n}"),
        &f("/admin/users/{n}/second-factor/reset"),
        &[],
        &[],
    )
    .await;

    // Erasures: a person entered for it, erased after the confirmation; another, without
    // activity for two years, erased from the retention review.
    for (given, family, days) in [("Erik", "Erasmus", 0), ("Rita", "Ruhend", 2 * 365)] {
        let created = walk
            .submit(
                &format!("/organizations/{org}/people/new"),
                &format!("/organizations/{org}/people"),
                &[("given_name", given), ("family_name", family)],
                &[],
            )
            .await;
        let id = id_in(created.location());
        if days == 0 {
            walk.submit(
                &format!("/privacy/people/{id}/erase"),
                &format!("/privacy/people/{id}/erase"),
                &[],
                &[("confirm", "yes")],
            )
            .await;
        } else {
            counterpart_store::testing::backdate_person(
                store,
                counterpart_core::ids::PersonId::new(id.parse().unwrap()),
                days,
            )
            .await;
            walk.submit(
                "/privacy/retention?years=1",
                "/privacy/retention/erase",
                &[],
                &[("confirm", "yes")],
            )
            .await;
        }
    }

    // Ends, merges, removals and deactivations last: Paula Prüfer entered twice is made one.
    let double = walk
        .submit(
            &format!("/organizations/{org}/people/new"),
            &format!("/organizations/{org}/people"),
            &[("given_name", "Paula"), ("family_name", "Prüfer")],
            &[],
        )
        .await;
    let double = id_in(double.location());
    walk.submit(
        &format!("/people/{person}/merge"),
        &format!("/people/{person}/merge"),
        &[],
        &[("other_id", &double)],
    )
    .await;
    // Ends, removals and deactivations.
    walk.submit(&f("/assignments/{s}"), &f("/assignments/{s}/end"), &[], &[])
        .await;
    walk.submit(
        &format!("/accounts/{account}"),
        &format!("/key-contacts/{contact}/remove"),
        &[],
        &[],
    )
    .await;
    walk.submit(
        &format!("/accounts/{account}"),
        &format!("/accounts/{account}/active"),
        &[],
        &[],
    )
    .await;
    walk.submit(
        &format!("/people/{person}"),
        &format!("/people/{person}/active"),
        &[],
        &[],
    )
    .await;
    walk.submit(
        &format!("/units/{unit}"),
        &format!("/units/{unit}/active"),
        &[],
        &[],
    )
    .await;
    walk.submit(
        &format!("/organizations/{org}"),
        &format!("/organizations/{org}/active"),
        &[],
        &[],
    )
    .await;

    // Every state-changing route of the route table was walked, or is listed as exempt.
    let exempt: Vec<&str> = NOT_AUDITED.iter().map(|(path, _)| *path).collect();
    let posted: BTreeSet<String> = ROUTES
        .iter()
        .chain(UPLOAD_ROUTES)
        .filter(|(method, _, _)| *method == Method::Post)
        .map(|(_, path, _)| template_of(&ids.fill(path)))
        .filter(|path| !exempt.contains(&path.as_str()))
        .collect();
    let missing: Vec<&String> = posted.difference(&walk.covered).collect();
    assert!(missing.is_empty(), "not walked: {missing:?}");
    eprintln!(
        "{} state-changing routes walked, each wrote an audit row; exempt: {exempt:?}",
        walk.covered.len()
    );
}

/// Every form page and the form on it that takes typed text.
const TEXT_FORMS: &[(&str, &str)] = &[
    ("/organizations/new", "/organizations"),
    ("/organizations/{o}/edit", "/organizations/{o}/edit"),
    ("/organizations/{o}/units/new", "/organizations/{o}/units"),
    ("/organizations/{o}/people/new", "/organizations/{o}/people"),
    ("/units/{u}/edit", "/units/{u}/edit"),
    ("/people/{p}/edit", "/people/{p}/edit"),
    ("/people/{p}/position", "/people/{p}/position"),
    ("/admin/levels", "/admin/levels"),
    ("/admin/levels", "/admin/levels/{l}"),
    ("/admin/functions", "/admin/functions"),
    ("/admin/functions", "/admin/functions/{f}"),
    ("/accounts/new", "/accounts"),
    ("/accounts/{a}/edit", "/accounts/{a}/edit"),
    ("/accounts/{a}/guiding", "/accounts/{a}/guiding"),
    ("/assignments/{s}", "/assignments/{s}/ratings"),
    ("/importance", "/importance/criteria"),
    ("/importance", "/importance/criteria/{c}"),
    ("/admin/users/new", "/admin/users"),
    ("/admin/users/{n}", "/admin/users/{n}"),
    ("/admin/users/{n}", "/admin/users/{n}/password"),
    ("/account/password", "/account/password"),
    ("/account/tokens", "/account/tokens"),
    ("/account/second-factor", "/account/second-factor"),
];

/// Fields that take a number, a date or a format rather than free text: they refuse a control
/// character with their own message.
const FORMATTED: &[&str] = &[
    "email",
    "phone",
    "mobile",
    "weight",
    "valid_from",
    "valid_to",
    "rated_on",
    "key",
    "days",
];

async fn forms_refuse_control_characters(app: TestApp) {
    let store = &app.db.store;
    let ids = Ids::of_demo(store).await;
    let mut admin = app.login("schneider").await;
    let before = audit_rows(store).await;
    let mut tried = 0;
    for (page, action) in TEXT_FORMS {
        let (page, action) = (ids.fill(page), ids.fill(action));
        let shown = admin.get(&page).await;
        let form = shown
            .form(&action)
            .unwrap_or_else(|| panic!("no form {action} on {page}"));
        assert!(!form.text_fields.is_empty(), "{action} has text fields");
        for (field, kind) in &form.text_fields {
            for bad in ["\0", "\u{1b}[31m", "\u{7f}", "\u{85}"] {
                let mut sent = form.clone();
                sent.set(field, &format!("Müller{bad}x"));
                let answer = admin.post(&action, &sent.pairs()).await;
                tried += 1;
                let what = format!("{action} {field} ({kind}) with {bad:?}");
                assert!(
                    answer.status.is_client_error(),
                    "{what}: {}\n{}",
                    answer.status,
                    answer.body
                );
                if kind != "date" && !FORMATTED.contains(&field.as_str()) {
                    answer.assert_contains("Enthält ein Steuerzeichen");
                    assert!(
                        answer.body.contains(&format!("id=\"f-{field}-error\""))
                            || answer.body.contains("role=\"alert\""),
                        "{what}: the message is at the field"
                    );
                }
            }
        }
    }
    assert!(tried > 100, "{tried} submissions");
    eprintln!("{tried} submissions with control characters, every one refused");
    assert_eq!(
        audit_rows(store).await,
        before,
        "a refused submission changed nothing"
    );
    // Line breaks in a text area arrive as CR LF and are stored as LF; in a one-line field
    // they are refused.
    let own = counterpart_core::ids::OrganizationId::new(ids.own);
    let edit = ids.fill("/organizations/{o}/edit");
    let mut form = admin.get(&edit).await.form(&edit).unwrap();
    form.set("notes", "Erste Zeile\r\nZweite Zeile\rDritte");
    let saved = admin.post(&edit, &form.pairs()).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(
        store.organization(own).await.unwrap().notes.as_deref(),
        Some("Erste Zeile\nZweite Zeile\nDritte")
    );
    let mut form = admin.get(&edit).await.form(&edit).unwrap();
    form.set("name", "Nordlicht\nFacility");
    let refused = admin.post(&edit, &form.pairs()).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn forms_refuse_control_characters_on_sqlite() {
    forms_refuse_control_characters(TestApp::demo().await).await;
}

#[tokio::test]
async fn forms_refuse_control_characters_on_postgres() {
    if let Some(app) = TestApp::demo_postgres().await {
        forms_refuse_control_characters(app).await;
    }
}

/// Values an attacker or a broken client sends.
fn odd_values() -> Vec<String> {
    vec![
        "\0".into(),
        "a\0b".into(),
        "x".repeat(40_000),
        "99999999999999999999999999".into(),
        "-1".into(),
        "1e308".into(),
        "NaN".into(),
        "\u{202e}evil".into(),
        "'; DROP TABLE persons; --".into(),
        "<script>alert(1)</script>".into(),
    ]
}

/// Field names the forms use, each sent with every odd value.
const FIELD_NAMES: &[&str] = &[
    "name",
    "kind",
    "notes",
    "family_name",
    "given_name",
    "email",
    "version",
    "active",
    "relationship",
    "satisfaction",
    "comment",
    "weight",
    "tier_a",
    "tier_b",
    "capacity",
    "person_id",
    "other_id",
    "organization_id",
    "relation",
    "lock",
    "pick",
    "direction",
    "valid_from",
    "valid_to",
    "role",
    "influence",
    "back",
    "next",
    "m0",
    "scope",
    "fingerprint",
];

async fn odd_input_gets_no_server_error(app: TestApp) {
    let store = &app.db.store;
    let ids = Ids::of_demo(store).await;
    let mut admin = app.login("schneider").await;
    let mut requests = 0;
    for &(method, template, _) in ROUTES.iter().chain(UPLOAD_ROUTES) {
        let path = ids.fill(template);
        // Odd ids in the path, odd query values, odd form fields.
        let mut paths = vec![path.clone()];
        for id in ["99999999999999999999", "-5", "0", "%00", "%FF"] {
            if template.contains('{') {
                paths.push(
                    template
                        .split('/')
                        .map(|part| if part.starts_with('{') { id } else { part })
                        .collect::<Vec<_>>()
                        .join("/"),
                );
            }
        }
        for value in ["%00", "%FF%FE", "%0D%0A", "1%2F0", &"y".repeat(5000)] {
            let sep = if path.contains('?') { '&' } else { '?' };
            paths.push(format!("{path}{sep}q={value}&unit={value}&page={value}"));
        }
        for target in &paths {
            let answer = match method {
                Method::Get => admin.get(target).await,
                Method::Post => admin.post(target, &[]).await,
            };
            requests += 1;
            assert!(
                !answer.status.is_server_error(),
                "{method:?} {target}: {}\n{}",
                answer.status,
                answer.body
            );
        }
        if method == Method::Post {
            for value in odd_values() {
                let fields: Vec<(&str, &str)> = FIELD_NAMES
                    .iter()
                    .map(|name| (*name, value.as_str()))
                    .collect();
                let answer = admin.post(&path, &fields).await;
                requests += 1;
                assert!(
                    !answer.status.is_server_error(),
                    "POST {path} with {:?}…: {}\n{}",
                    &value[..value.len().min(20)],
                    answer.status,
                    answer.body
                );
            }
        }
    }
    assert!(requests > 500, "{requests} requests");
    eprintln!("{requests} odd requests, no server error");
}

#[tokio::test]
async fn odd_input_gets_no_server_error_on_sqlite() {
    odd_input_gets_no_server_error(TestApp::demo().await).await;
}

#[tokio::test]
async fn odd_input_gets_no_server_error_on_postgres() {
    if let Some(app) = TestApp::demo_postgres().await {
        odd_input_gets_no_server_error(app).await;
    }
}

#[tokio::test]
async fn redirect_targets_stay_on_the_site() {
    let app = TestApp::demo().await;
    let mut user = app.login("gast").await;
    let outside = [
        "/%09/other.host/x",
        "/%0A/other.host",
        "//other.host",
        "/%5Cother.host",
        "https://other.host/",
        "/x%00y",
        "/x%7F",
        "/%0D%0ASet-Cookie:%20a=b",
    ];
    for next in outside {
        let answer = user.get(&format!("/login?next={next}")).await;
        assert!(
            !answer.status.is_server_error(),
            "{next}: {}",
            answer.status
        );
        assert!(
            answer.location().is_empty() || answer.location() == "/",
            "{next} led to {}",
            answer.location()
        );
    }
    // The same targets in form fields: after login, from the language switch, from locks.
    let mut fresh = app.client();
    fresh.get("/login").await;
    let logged_in = fresh
        .post(
            "/login",
            &[
                ("username", "gast"),
                ("password", "demo"),
                ("next", "/\t/other.host/x"),
            ],
        )
        .await;
    assert_eq!(logged_in.location(), "/");
    fresh.get("/").await;
    for back in [
        "/\t/other.host",
        "/\r\n/x",
        "/x\0",
        "//other.host",
        "/\\other.host",
    ] {
        let switched = fresh
            .post("/language", &[("lang", "en"), ("back", back)])
            .await;
        assert_eq!(switched.location(), "/", "{back:?}");
    }
    let kept = fresh
        .post(
            "/language",
            &[("lang", "de"), ("back", "/people?q=Müller & Söhne")],
        )
        .await;
    assert_eq!(kept.location(), "/people?q=M%C3%BCller%20&%20S%C3%B6hne");
}

#[tokio::test]
async fn the_login_form_holds_against_floods_and_tricks() {
    let app = TestApp::demo().await;
    let store = &app.db.store;
    let mut visitor = app.client();
    visitor.get("/login").await;
    // A name of a megabyte is refused before anything is stored or hashed.
    let huge = "a".repeat(1024 * 1024 - 100);
    let answer = visitor
        .post("/login", &[("username", &huge), ("password", "x")])
        .await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    answer.assert_contains("zu lang");
    let long = "a".repeat(5000);
    let answer = visitor
        .post("/login", &[("username", &long), ("password", "x")])
        .await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert!(
        !answer.body.contains(&long),
        "the page does not echo an overlong name"
    );

    // Wrong passwords for a name: after ten, the next waits, with the wait named.
    for _ in 0..10 {
        visitor
            .post("/login", &[("username", "krueger"), ("password", "falsch")])
            .await;
    }
    let throttled = visitor
        .post("/login", &[("username", "krueger"), ("password", "demo")])
        .await;
    assert_eq!(throttled.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(throttled.headers.contains_key("retry-after"));
    throttled.assert_contains("Der nächste Versuch ist möglich in");
    // The owner's browser, where they logged in before, is not locked out...
    let mut owner = app.login("schneider").await;
    for _ in 0..10 {
        visitor
            .post(
                "/login",
                &[("username", "schneider"), ("password", "falsch")],
            )
            .await;
    }
    owner.post("/logout", &[]).await;
    owner.get("/login").await;
    let back = owner
        .post(
            "/login",
            &[
                ("username", "schneider"),
                ("password", "demo"),
                ("next", "/"),
            ],
        )
        .await;
    assert_eq!(back.status, StatusCode::SEE_OTHER, "{}", back.body);
    // ...and is told about the attempts once.
    let first = owner.get("/").await;
    first.assert_contains("10 fehlgeschlagene Anmeldeversuche");
    let second = owner.get("/").await;
    assert!(!second.body.contains("fehlgeschlagene Anmeldeversuche"));

    // Logging in again replaces the session the browser had.
    let mut again = app.login("gast").await;
    let old = again.cookie("cp_session").unwrap();
    again.get("/login").await;
    again
        .post(
            "/login",
            &[("username", "gast"), ("password", "demo"), ("next", "/")],
        )
        .await;
    let new = again.cookie("cp_session").unwrap();
    assert_ne!(old, new);
    let mut thief = app.client();
    thief.set_cookie("cp_session", &old);
    assert_eq!(
        thief.get("/").await.status,
        StatusCode::SEE_OTHER,
        "the old session is gone"
    );
    let _ = store;
}

#[tokio::test]
async fn origin_static_files_and_transport_security() {
    let config = counterpart_app::Config {
        public_url: Some(url::Url::parse("https://kam.example.com/").unwrap()),
        ..Default::default()
    };
    let web = counterpart_web::WebConfig {
        secure_cookies: true,
        ..Default::default()
    };
    let app = TestApp::demo_with(config, web).await;
    let mut user = app.login("krueger").await;
    let page = user.get("/organizations/new").await;
    assert_eq!(
        page.headers["strict-transport-security"],
        "max-age=31536000"
    );
    // A state-changing request from another origin is refused even with the right token.
    user.origin = Some("https://evil.example".into());
    let forged = user
        .post("/organizations", &[("name", "Fremd"), ("kind", "external")])
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    user.origin = Some("https://kam.example.com".into());
    let ours = user
        .post("/organizations", &[("name", "Eigen"), ("kind", "external")])
        .await;
    assert_eq!(ours.status, StatusCode::SEE_OTHER);
    // Static files are cached by everyone and set no cookie.
    let mut visitor = app.client();
    let css = visitor.get("/static/app.css").await;
    assert!(css.headers.get("set-cookie").is_none());
    assert!(
        css.headers["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
}

#[tokio::test]
async fn uploads_over_the_limit_and_ratings_of_no_account() {
    let app = TestApp::demo().await;
    let ids = Ids::of_demo(&app.db.store).await;
    let mut editor = app.login("krueger").await;
    editor.get(&ids.fill("/organizations/{o}/import")).await;
    let big = vec![b'a'; 50 * 1024 * 1024 + 10];
    let answer = editor
        .upload(
            &ids.fill("/organizations/{o}/import"),
            "big.csv",
            &big,
            true,
        )
        .await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    editor.get("/").await;
    let nowhere = editor
        .post(
            "/accounts/99999/importance",
            &[(&format!("c{}", ids.criterion), "3")],
        )
        .await;
    assert_eq!(nowhere.status, StatusCode::NOT_FOUND);
}

/// A client that goes away in the middle of a write (a closed tab, a load tool that stops)
/// must not leave the database locked: once, a request dropped while its transaction began
/// left a SQLite connection holding the write lock in the pool, and every later write failed
/// until a restart. Thirty-two recordings are cut off at staggered moments; then a write
/// still goes through.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_cut_off_midway_leave_the_database_writable() {
    let app = TestApp::demo().await;
    let store = &app.db.store;
    let account = store
        .accounts(
            &Default::default(),
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap()[0]
        .account
        .id;
    let partner = store.key_contacts(account).await.unwrap()[0].person_id;
    let path = format!("/people/{partner}/insights");
    let mut clients = Vec::new();
    for _ in 0..32 {
        let mut client = app.login("yilmaz").await;
        client.get(&format!("/people/{partner}")).await;
        clients.push(client);
    }
    let tasks: Vec<_> = clients
        .into_iter()
        .map(|mut client| {
            let path = path.clone();
            tokio::spawn(async move {
                client
                    .post(&path, &[("category", "needs"), ("text", "Abgebrochen.")])
                    .await;
            })
        })
        .collect();
    for (i, task) in tasks.into_iter().enumerate() {
        tokio::time::sleep(std::time::Duration::from_micros(40 * (i as u64 % 16))).await;
        task.abort();
    }
    let mut clerk = app.login("yilmaz").await;
    clerk.get(&format!("/people/{partner}")).await;
    let done = clerk
        .post(&path, &[("category", "needs"), ("text", "Danach.")])
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
}
