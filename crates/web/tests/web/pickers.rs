//! Choosing a person among thousands: every picker is a search over the whole organization,
//! and no page lists everyone (issue 10: the page about one of our people once held 68,313
//! options and took 70,000 queries).

use axum::http::StatusCode;
use counterpart_core::exchange::mapping::detect;
use counterpart_core::exchange::read::{Limits, read_csv};
use counterpart_store::{Actor, ImportTarget};

use crate::support::TestApp;
use crate::support::routes::Ids;

#[tokio::test]
async fn pickers_search_the_whole_organization_and_pages_list_no_one() {
    let app = TestApp::demo().await;
    let store = &app.db.store;
    let ids = Ids::of_demo(store).await;
    // An organization of 2,100 people: more than any list offered before.
    let org = store
        .create_organization(
            &Actor::system(),
            &counterpart_core::org::OrganizationInput::parse("Großkunde AG", "external", "")
                .unwrap(),
        )
        .await
        .unwrap();
    let mut csv = String::from("Vorname;Nachname;Position\n");
    for n in 0..2100 {
        csv.push_str(&format!("Vera;Muster{n:04};Referentin\n"));
    }
    csv.push_str("Zoë;Zweitausendeinhundert;Leiterin\n");
    let table = read_csv(csv.as_bytes(), &Limits::default()).unwrap();
    store
        .apply_import(
            &Actor::system(),
            ImportTarget::Existing(org.id),
            &table,
            &detect(&table.headers),
            None,
            &|_| {},
        )
        .await
        .unwrap();
    let last = store
        .search_people("Zweitausendeinhundert", Some(org.id), 1)
        .await
        .unwrap()
        .remove(0)
        .person;
    let mut editor = app.login("krueger").await;

    // The person form: manager and assistant are searched, not listed.
    let form = editor.get(&format!("/people/{}/edit", last.id)).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains(r#"id="f-reports_to_id-q""#));
    assert!(
        form.body.matches("<option").count() < 100,
        "the form lists no organization"
    );
    assert!(form.body.len() < 60_000, "{} bytes", form.body.len());
    let found = editor
        .get(&format!(
            "/pick?scope=org-{}&name=reports_to_id&reports_to_id_q=zweitausend",
            org.id
        ))
        .await;
    found.assert_contains("Zweitausendeinhundert, Zoë – Leiterin");
    found.assert_contains(&format!(r#"value="{}""#, last.id));
    found.assert_contains("1 Treffer.");
    // Too many matches: the first twenty, and a hint to narrow the search. The "nobody"
    // choice stays in the form, outside what a search replaces.
    assert_eq!(form.body.matches(r#"id="f-reports_to_id-none""#).count(), 1);
    let many = editor
        .get(&format!(
            "/pick?scope=org-{}&name=reports_to_id&reports_to_id_q=muster",
            org.id
        ))
        .await;
    assert_eq!(many.body.matches(r#"type="radio""#).count(), 20);
    many.assert_contains("Die ersten 20 Treffer");
    // The current choice stays checked while searching; a search needs two letters.
    let keep = editor
        .get(&format!(
            "/pick?scope=org-{}&name=reports_to_id&reports_to_id_q=z&reports_to_id={}",
            org.id, last.id
        ))
        .await;
    keep.assert_contains(&format!(r#"value="{}" checked"#, last.id));
    keep.assert_contains("Mindestens zwei Buchstaben");
    // Saving with a picked manager works like the select did.
    let mut edit = form.form(&format!("/people/{}/edit", last.id)).unwrap();
    let manager = store
        .search_people("Muster0007", Some(org.id), 1)
        .await
        .unwrap()
        .remove(0)
        .person;
    edit.set("reports_to_id", &manager.id.to_string());
    let saved = editor
        .post(&format!("/people/{}/edit", last.id), &edit.pairs())
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(
        store.person(last.id).await.unwrap().reports_to_id,
        Some(manager.id)
    );
    let again = editor.get(&format!("/people/{}/edit", last.id)).await;
    again.assert_contains(&format!(r#"value="{}" checked"#, manager.id));

    // One of ours: the key contacts of every account are searched, with their accounts.
    let own_page = editor.get(&ids.fill("/people/{p}")).await;
    assert!(own_page.body.contains(r#"id="f-other_id-q""#));
    assert!(own_page.body.matches("<option").count() < 20);
    let contacts = editor
        .get("/pick?scope=key-contacts&name=other_id&other_id_q=kiessling")
        .await;
    contacts.assert_contains("Kießling");
    contacts.assert_contains("(Brandt");
    // Nothing but our own field names and scopes.
    for bad in [
        "/pick?scope=key-contacts&name=x%22onmouseover&x_q=ab",
        "/pick?scope=everyone&name=other_id&other_id_q=ab",
        "/pick?name=other_id&other_id_q=ab",
    ] {
        assert_eq!(
            editor.get(bad).await.status,
            StatusCode::BAD_REQUEST,
            "{bad}"
        );
    }
}

#[tokio::test]
async fn units_are_searched_where_an_organization_has_too_many_to_list() {
    let app = TestApp::demo().await;
    let store = &app.db.store;
    let ids = Ids::of_demo(store).await;
    let own = store.own_organization().await.unwrap().unwrap();
    let sued = store
        .units(own.id)
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.name == "Team Großkunden Süd")
        .unwrap();
    let mut editor = app.login("krueger").await;

    // The demo's 15 units of ours are listed, as a select.
    let listed = editor.get("/accounts/new").await;
    listed.assert_contains(r#"<select id="f-responsible_unit_id""#);

    // A house of 115 units: every form searches them instead.
    for n in 0..100 {
        let input = counterpart_core::org::UnitInput::parse(
            &format!("Projektteam {n:03}"),
            "team",
            &ids.unit.to_string(),
        )
        .unwrap();
        store
            .create_unit(&Actor::system(), own.id, &input)
            .await
            .unwrap();
    }
    for (path, field) in [
        ("/accounts/new", "responsible_unit_id"),
        ("/jour-fixe/new", "unit_id"),
        ("/jour-fixe/new", "rule_unit_id"),
        ("/accounts?tier=A", "unit"),
        ("/matrix", "unit"),
        (&ids.fill("/accounts/{a}/guiding") as &str, "unit_id"),
        (&ids.fill("/people/{p}/edit"), "unit_id"),
        (&ids.fill("/people/{p}/position"), "unit_id"),
        (&format!("/organizations/{}/units/new", own.id), "parent_id"),
    ] {
        let page = editor.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        page.assert_contains(&format!(r#"id="f-{field}-q""#));
        page.assert_contains(&format!("/pick?scope=units-{}&#38;name={field}", own.id));
        assert!(
            !page.body.contains("Projektteam 042"),
            "{path} lists no unit"
        );
    }
    // The organization's page shows the top two levels of its 115 units; a unit chosen opens
    // the way to it and the level below it.
    let units = store.units(own.id).await.unwrap();
    let parent = units.iter().find(|u| Some(u.id) == sued.parent_id).unwrap();
    let link = |unit: &counterpart_core::org::Unit| {
        format!(r#"href="/organizations/{}?unit={}""#, own.id, unit.id)
    };
    let top = editor.get(&format!("/organizations/{}", own.id)).await;
    assert!(!top.body.contains(&link(&sued)), "a team three levels down");
    assert!(!top.body.contains(&link(parent)));
    top.assert_contains("weitere Einheiten · Wählen Sie eine Einheit");
    let opened = editor
        .get(&format!("/organizations/{}?unit={}", own.id, parent.id))
        .await;
    opened.assert_contains(&link(&sued));
    opened.assert_contains(&link(parent));

    // A series needs its unit: no "nobody" there; its rule may hold for every unit.
    let series = editor.get("/jour-fixe/new").await;
    assert!(!series.body.contains(r#"id="f-unit_id-none""#));
    series.assert_contains(r#"id="f-rule_unit_id-none""#);

    // The search finds a unit however its name is spelled, with the unit above it; inactive
    // ones it does not offer.
    let found = editor
        .get(&format!(
            "/pick?scope=units-{}&name=responsible_unit_id&responsible_unit_id_q=grosskunden%20sued",
            own.id
        ))
        .await;
    found.assert_contains("Team Großkunden Süd (in Key Account Industrie)");
    found.assert_contains(&format!(r#"value="{}""#, sued.id));
    found.assert_contains("1 Treffer.");
    let many = editor
        .get(&format!(
            "/pick?scope=units-{}&name=unit&unit_q=projektteam",
            own.id
        ))
        .await;
    assert_eq!(many.body.matches(r#"type="radio""#).count(), 20);
    many.assert_contains("Die ersten 20 Treffer");
    let retired = store
        .set_unit_active(&Actor::system(), sued.id, sued.version, false)
        .await
        .unwrap();
    let gone = editor
        .get(&format!(
            "/pick?scope=units-{}&name=unit_id&unit_id_q=grosskunden",
            own.id
        ))
        .await;
    gone.assert_contains("Keine Treffer.");
    store
        .set_unit_active(&Actor::system(), sued.id, retired.version, true)
        .await
        .unwrap();

    // More than 100 organizations: the account's partner and a person's new employer are
    // searched too; choosing one reloads the form with its units.
    for n in 0..100 {
        let input = counterpart_core::org::OrganizationInput::parse(
            &format!("Zulieferer {n:03} GmbH"),
            "external",
            "",
        )
        .unwrap();
        store
            .create_organization(&Actor::system(), &input)
            .await
            .unwrap();
    }
    let new_account = editor.get("/accounts/new").await;
    new_account.assert_contains(r#"id="f-organization_id-q""#);
    new_account.assert_contains("/pick?scope=partners&#38;name=organization_id");
    new_account.assert_contains(r#"<fieldset class="pick-results" hx-get="/accounts/new""#);
    assert!(
        !new_account.body.contains("Zulieferer 042"),
        "no organization listed"
    );
    let partners = editor
        .get("/pick?scope=partners&name=organization_id&organization_id_q=nordlicht")
        .await;
    partners.assert_contains("(eigenes Haus – eine Nachbarabteilung)");
    let employers = editor
        .get("/pick?scope=organizations&name=organization_id&organization_id_q=nordlicht")
        .await;
    employers.assert_contains(&format!(r#"value="{}""#, own.id));
    employers.assert_contains("(Eigenes Haus)");
    let position = editor.get(&ids.fill("/people/{p}/position")).await;
    position.assert_contains(&format!(
        r#"name="organization_id" value="{}" checked"#,
        own.id
    ));
    position.assert_contains(r#"hx-get="/people/"#);

    // A new account with the unit picked: stored, and shown checked when edited.
    let mut form = editor.get("/accounts/new").await.form("/accounts").unwrap();
    let partner = store
        .organizations(&Default::default())
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.organization.kind.is_partner())
        .unwrap()
        .organization;
    form.set("organization_id", &partner.id.to_string())
        .set("name", "Gesuchte Einheit")
        .set("relation", "customer")
        .set("mode", "hierarchical")
        .set("responsible_unit_id", &sued.id.to_string());
    let created = editor.post("/accounts", &form.pairs()).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let account = created
        .location()
        .trim_start_matches("/accounts/")
        .split(['?', '/'])
        .next()
        .unwrap()
        .parse::<i64>()
        .unwrap();
    let stored = store
        .account(counterpart_core::ids::AccountId::new(account))
        .await
        .unwrap();
    assert_eq!(stored.responsible_unit_id, Some(sued.id));
    let edit = editor.get(&format!("/accounts/{account}/edit")).await;
    edit.assert_contains(&format!(r#"value="{}" checked"#, sued.id));
    edit.assert_contains("Team Großkunden Süd");
    // The list filtered by it shows it chosen.
    let filtered = editor.get(&format!("/accounts?unit={}", sued.id)).await;
    filtered.assert_contains(&format!(r#"value="{}" checked"#, sued.id));
    filtered.assert_contains("Gesuchte Einheit");

    // Only our own scopes: no unit picker without an organization.
    assert_eq!(
        editor
            .get("/pick?scope=units-x&name=unit_id&unit_id_q=ab")
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
}
