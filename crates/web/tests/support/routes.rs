//! Every page route with the role it needs, and the demo's ids to fill into them.

use counterpart_store::Store;

/// The least role a route needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Needs {
    Viewer,
    Editor,
    Admin,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
}

/// Every page route with the role it needs. `{o}` is an organization, `{u}` a unit, `{p}` a
/// person, `{l}` a level and `{f}` a function of the demo.
pub const ROUTES: &[(Method, &str, Needs)] = &[
    (Method::Get, "/", Needs::Viewer),
    (Method::Get, "/overview", Needs::Viewer),
    (Method::Get, "/organizations", Needs::Viewer),
    (
        Method::Get,
        "/organizations?kind=internal&inactive=1",
        Needs::Viewer,
    ),
    (Method::Get, "/organizations/{o}", Needs::Viewer),
    (Method::Get, "/organizations/new", Needs::Editor),
    (Method::Post, "/organizations", Needs::Editor),
    (Method::Get, "/organizations/{o}/edit", Needs::Editor),
    (Method::Post, "/organizations/{o}/edit", Needs::Editor),
    (Method::Post, "/organizations/{o}/active", Needs::Editor),
    (Method::Get, "/organizations/{o}/units/new", Needs::Editor),
    (Method::Post, "/organizations/{o}/units", Needs::Editor),
    (Method::Get, "/organizations/{o}/people/new", Needs::Editor),
    (Method::Post, "/organizations/{o}/people", Needs::Editor),
    (Method::Get, "/units/{u}", Needs::Viewer),
    (Method::Get, "/units/{u}/edit", Needs::Editor),
    (Method::Post, "/units/{u}/edit", Needs::Editor),
    (Method::Post, "/units/{u}/active", Needs::Editor),
    (Method::Get, "/people", Needs::Viewer),
    (Method::Get, "/people?q=mueller", Needs::Viewer),
    (Method::Get, "/people/{p}", Needs::Viewer),
    (
        Method::Get,
        "/pick?scope=key-contacts&name=other_id&other_id_q=ma",
        Needs::Viewer,
    ),
    (
        Method::Get,
        "/pick?scope=org-{o}&name=reports_to_id&reports_to_id_q=sch&reports_to_id={p}",
        Needs::Viewer,
    ),
    (
        Method::Get,
        "/pick?scope=units-{o}&name=unit_id&unit_id_q=team&unit_id={u}",
        Needs::Viewer,
    ),
    (
        Method::Get,
        "/pick?scope=partners&name=organization_id&organization_id_q=essen",
        Needs::Viewer,
    ),
    (Method::Get, "/people/{p}/edit", Needs::Editor),
    (Method::Post, "/people/{p}/edit", Needs::Editor),
    (Method::Post, "/people/{p}/active", Needs::Editor),
    (Method::Get, "/people/{p}/position", Needs::Editor),
    (Method::Post, "/people/{p}/position", Needs::Editor),
    (Method::Get, "/admin/levels", Needs::Admin),
    (Method::Post, "/admin/levels", Needs::Admin),
    (Method::Post, "/admin/levels/{l}", Needs::Admin),
    (Method::Post, "/admin/levels/{l}/move", Needs::Admin),
    (Method::Get, "/admin/functions", Needs::Admin),
    (Method::Post, "/admin/functions", Needs::Admin),
    (Method::Post, "/admin/functions/{f}", Needs::Admin),
    (Method::Post, "/admin/functions/{f}/move", Needs::Admin),
    (Method::Get, "/admin/audit", Needs::Admin),
    (Method::Get, "/admin/audit?entity=person", Needs::Admin),
    (Method::Get, "/privacy", Needs::Admin),
    (Method::Get, "/privacy/access?person_id={q}", Needs::Admin),
    (
        Method::Get,
        "/pick?scope=all&name=person_id&person_id_q=mue",
        Needs::Admin,
    ),
    (Method::Get, "/privacy/people/{q}/access", Needs::Admin),
    (Method::Get, "/privacy/people/{p}/access", Needs::Admin),
    (Method::Get, "/privacy/people/{q}/access.json", Needs::Admin),
    (Method::Get, "/privacy/people/{q}/erase", Needs::Admin),
    (Method::Post, "/privacy/people/{q}/erase", Needs::Admin),
    (Method::Get, "/privacy/retention", Needs::Admin),
    (
        Method::Get,
        "/privacy/retention?years=1&page=0",
        Needs::Admin,
    ),
    (Method::Post, "/privacy/retention/erase", Needs::Admin),
    (Method::Get, "/accounts", Needs::Viewer),
    (
        Method::Get,
        "/accounts?relation=supplier&side=internal&tier=A",
        Needs::Viewer,
    ),
    (Method::Get, "/accounts/new", Needs::Editor),
    (Method::Post, "/accounts", Needs::Editor),
    (Method::Get, "/accounts/{a}", Needs::Viewer),
    (Method::Get, "/accounts/{a}/edit", Needs::Editor),
    (Method::Post, "/accounts/{a}/edit", Needs::Editor),
    (Method::Post, "/accounts/{a}/active", Needs::Editor),
    (Method::Post, "/accounts/{a}/contacts", Needs::Editor),
    (Method::Post, "/accounts/{a}/importance", Needs::Editor),
    (Method::Post, "/key-contacts/{k}", Needs::Editor),
    (Method::Post, "/key-contacts/{k}/remove", Needs::Editor),
    (Method::Get, "/assignments/{s}", Needs::Viewer),
    (Method::Post, "/assignments/{s}/ratings", Needs::Editor),
    (Method::Post, "/assignments/{s}/end", Needs::Editor),
    (Method::Post, "/assignments/{s}/interval", Needs::Editor),
    (Method::Get, "/units/{u}/digest", Needs::Viewer),
    (
        Method::Get,
        "/units/{u}/digest?since=2026-01-01",
        Needs::Viewer,
    ),
    (Method::Post, "/units/{u}/digest/feed", Needs::Viewer),
    (Method::Post, "/feeds/revoke", Needs::Viewer),
    (Method::Post, "/people/{p}/counterparts", Needs::Editor),
    (Method::Get, "/importance", Needs::Viewer),
    (Method::Post, "/importance/proposals", Needs::Editor),
    (Method::Post, "/importance/criteria", Needs::Admin),
    (Method::Post, "/importance/criteria/{c}", Needs::Admin),
    (Method::Post, "/importance/tiers", Needs::Admin),
    (Method::Get, "/matrix", Needs::Viewer),
    (Method::Get, "/matrix?tier=A&side=external", Needs::Viewer),
    (Method::Get, "/portfolio", Needs::Viewer),
    (
        Method::Get,
        "/matrix/export?sheet=current&sheet=internal",
        Needs::Viewer,
    ),
    (Method::Get, "/matrix/import", Needs::Editor),
    (Method::Post, "/matrix/import", Needs::Editor),
    (Method::Get, "/organizations/{o}/chart", Needs::Viewer),
    (Method::Get, "/organizations/{o}/import", Needs::Editor),
    (
        Method::Get,
        "/organizations/{o}/export?format=csv",
        Needs::Editor,
    ),
    (Method::Post, "/organizations/{o}/import", Needs::Editor),
    (
        Method::Get,
        "/organizations/{o}/chart?unit={u}&levels=3&collapse={u}",
        Needs::Viewer,
    ),
    (Method::Get, "/mirror", Needs::Viewer),
    (Method::Get, "/mirror?unit={u}", Needs::Viewer),
    (Method::Get, "/mirror/suggestions", Needs::Viewer),
    (Method::Get, "/mirror/suggestions?unit={u}", Needs::Viewer),
    (Method::Get, "/accounts/{a}/mirror", Needs::Viewer),
    (
        Method::Get,
        "/accounts/{a}/suggestions?deputies=1",
        Needs::Viewer,
    ),
    (Method::Post, "/suggestions/accept", Needs::Editor),
    (Method::Post, "/locks", Needs::Editor),
    (Method::Post, "/people/{p}/capacity", Needs::Editor),
    (Method::Get, "/people/{q}", Needs::Viewer),
    (Method::Get, "/people/{q}/briefing", Needs::Viewer),
    (Method::Get, "/search?q=zufriedenheit", Needs::Viewer),
    (Method::Get, "/search/quick?q=zufriedenheit", Needs::Viewer),
    (Method::Get, "/accounts/{a}/briefing", Needs::Viewer),
    (Method::Post, "/people/{q}/insights", Needs::Editor),
    (Method::Post, "/people/{q}/contacts", Needs::Editor),
    (Method::Post, "/accounts/{a}/contact-log", Needs::Editor),
    (Method::Post, "/accounts/{a}/insights", Needs::Editor),
    (Method::Get, "/accounts/{a}/guiding", Needs::Viewer),
    (Method::Post, "/accounts/{a}/guiding", Needs::Editor),
    (Method::Get, "/accounts/{a}/supplier-rating", Needs::Viewer),
    (Method::Post, "/accounts/{a}/supplier-rating", Needs::Editor),
    (Method::Get, "/units/{u}/guiding", Needs::Viewer),
    (Method::Get, "/insights/{g}/edit", Needs::Editor),
    (Method::Post, "/insights/{g}/edit", Needs::Editor),
    (Method::Post, "/insights/{g}/withdraw", Needs::Editor),
    (Method::Get, "/people/{p}/merge", Needs::Editor),
    (Method::Post, "/people/{p}/merge", Needs::Editor),
    (Method::Get, "/admin/users", Needs::Admin),
    (Method::Get, "/admin/users?q=kr%25&page=0", Needs::Admin),
    (Method::Get, "/admin/users/new", Needs::Admin),
    (Method::Post, "/admin/users", Needs::Admin),
    (Method::Get, "/admin/users/link", Needs::Admin),
    (Method::Post, "/admin/users/link", Needs::Admin),
    (Method::Get, "/admin/users/{n}", Needs::Admin),
    (Method::Post, "/admin/users/{n}", Needs::Admin),
    (Method::Post, "/admin/users/{n}/active", Needs::Admin),
    (Method::Post, "/admin/users/{n}/password", Needs::Admin),
    (
        Method::Post,
        "/admin/users/{n}/sessions/revoke",
        Needs::Admin,
    ),
    (
        Method::Post,
        "/admin/users/{n}/second-factor/reset",
        Needs::Admin,
    ),
    (Method::Get, "/account/password", Needs::Viewer),
    (Method::Post, "/account/password", Needs::Viewer),
    (Method::Get, "/account/tokens", Needs::Viewer),
    (Method::Post, "/account/tokens", Needs::Viewer),
    (Method::Post, "/account/tokens/revoke", Needs::Viewer),
    (Method::Post, "/account/sessions/revoke", Needs::Viewer),
    (
        Method::Post,
        "/account/sessions/revoke-others",
        Needs::Viewer,
    ),
    (Method::Get, "/account/second-factor", Needs::Viewer),
    (Method::Post, "/account/second-factor", Needs::Viewer),
    (
        Method::Post,
        "/account/second-factor/disable",
        Needs::Viewer,
    ),
    (Method::Get, "/admin/tokens", Needs::Admin),
    (Method::Post, "/admin/tokens/revoke", Needs::Admin),
    (Method::Get, "/jour-fixe", Needs::Viewer),
    (Method::Post, "/jour-fixe/calendar", Needs::Viewer),
    (Method::Post, "/jour-fixe/calendar/revoke", Needs::Viewer),
    (Method::Get, "/jour-fixe/new", Needs::Editor),
    (Method::Post, "/jour-fixe/new", Needs::Editor),
    (Method::Get, "/jour-fixe/{j}", Needs::Viewer),
    (Method::Get, "/jour-fixe/{j}?account_q=isar", Needs::Viewer),
    (Method::Get, "/jour-fixe/{j}/invitation.ics", Needs::Viewer),
    (Method::Get, "/jour-fixe/{j}/edit", Needs::Editor),
    (Method::Post, "/jour-fixe/{j}/edit", Needs::Editor),
    (Method::Post, "/jour-fixe/{j}/cancel", Needs::Editor),
    (Method::Post, "/jour-fixe/{j}/participants", Needs::Editor),
    (
        Method::Post,
        "/jour-fixe/{j}/participants/remove",
        Needs::Editor,
    ),
    (Method::Post, "/jour-fixe/{j}/accounts", Needs::Editor),
    (
        Method::Post,
        "/jour-fixe/{j}/accounts/remove",
        Needs::Editor,
    ),
    (
        Method::Post,
        "/jour-fixe/{j}/occurrences/prepare",
        Needs::Editor,
    ),
    (
        Method::Post,
        "/jour-fixe/{j}/occurrences/cancel",
        Needs::Editor,
    ),
    (Method::Post, "/accounts/{a}/jour-fixe", Needs::Editor),
    (Method::Get, "/meetings/{m}", Needs::Viewer),
    (Method::Get, "/meetings/{m}/live?rev=0", Needs::Viewer),
    (Method::Get, "/meetings/{m}/minutes", Needs::Viewer),
    (Method::Get, "/meetings/{m}/minutes.md", Needs::Viewer),
    (Method::Get, "/meetings/{m}/invitation.ics", Needs::Viewer),
    (Method::Post, "/meetings/{m}/move", Needs::Editor),
    (Method::Post, "/meetings/{m}/prepare-again", Needs::Editor),
    (Method::Post, "/meetings/{m}/items", Needs::Editor),
    (Method::Post, "/meetings/{m}/items/{t}/move", Needs::Editor),
    (
        Method::Post,
        "/meetings/{m}/items/{t}/contributions",
        Needs::Editor,
    ),
    (
        Method::Post,
        "/meetings/{m}/items/{t}/decisions",
        Needs::Editor,
    ),
    (
        Method::Post,
        "/meetings/{m}/items/{t}/actions",
        Needs::Editor,
    ),
    (Method::Post, "/actions/{x}/done", Needs::Editor),
];

/// Routes about an uploaded file (`{i}`), which only its uploader reaches: they need the
/// role named, and answer 404 for an upload that does not exist.
pub const UPLOAD_ROUTES: &[(Method, &str, Needs)] = &[
    (Method::Get, "/imports/{i}", Needs::Editor),
    (Method::Post, "/imports/{i}/mapping", Needs::Editor),
    (Method::Post, "/imports/{i}/rows", Needs::Editor),
    (Method::Post, "/imports/{i}/commit", Needs::Editor),
    (Method::Post, "/imports/{i}/cancel", Needs::Editor),
    (Method::Post, "/matrix/import/{i}/commit", Needs::Editor),
];

/// Ids of the demo to fill into route templates.
#[derive(Clone, Debug)]
pub struct Ids {
    pub account: i64,
    pub contact: i64,
    pub assignment: i64,
    pub criterion: i64,
    pub own: i64,
    pub unit: i64,
    pub person: i64,
    pub level: i64,
    pub function: i64,
    pub user: i64,
    /// A partner person: the first key contact's.
    pub partner: i64,
    /// An insight the demo's editor (krueger) wrote.
    pub insight: i64,
    /// The demo's jour-fixe series, its latest meeting, that meeting's first item and an
    /// open action.
    pub series: i64,
    pub meeting: i64,
    pub item: i64,
    pub action: i64,
}

impl Ids {
    /// The first of each kind in the demo.
    pub async fn of_demo(store: &Store) -> Self {
        let own = store.own_organization().await.unwrap().unwrap();
        let unit = store.units(own.id).await.unwrap()[0].id;
        let person = store.people(own.id, None, false, 1, 0).await.unwrap()[0]
            .person
            .id;
        let account = store
            .accounts(
                &Default::default(),
                &counterpart_store::Visibility::everything(),
            )
            .await
            .unwrap()[0]
            .account
            .id;
        let contact = store.key_contacts(account).await.unwrap()[0].id;
        let partner = store.key_contacts(account).await.unwrap()[0].person_id;
        let krueger = store.user_named("krueger").await.unwrap().id;
        let insight = store
            .insights_about_account(account, &counterpart_store::Visibility::everything())
            .await
            .unwrap()
            .into_iter()
            .find(|i| i.insight.author_id == krueger)
            .expect("the demo's editor wrote an insight on the first account")
            .insight
            .id;
        let assignment = store
            .counterparts_of(
                store.key_contacts(account).await.unwrap()[0].person_id,
                false,
                &counterpart_store::Visibility::everything(),
            )
            .await
            .unwrap()[0]
            .assignment
            .id;
        let series = store.series_list().await.unwrap()[0].series.id;
        let meeting = store
            .meetings_of(series)
            .await
            .unwrap()
            .into_iter()
            .rfind(|m| m.prepared_at.is_some())
            .expect("the demo's jour fixe has meetings")
            .id;
        let item = store.agenda(meeting).await.unwrap()[0].id;
        let action = store
            .actions_of_meeting(meeting)
            .await
            .unwrap()
            .into_iter()
            .find(|a| a.action.done_on.is_none())
            .expect("an open action")
            .action
            .id;
        Self {
            series: series.get(),
            meeting: meeting.get(),
            item: item.get(),
            action: action.get(),
            account: account.get(),
            contact: contact.get(),
            assignment: assignment.get(),
            criterion: store.criteria().await.unwrap()[0].id.get(),
            own: own.id.get(),
            unit: unit.get(),
            person: person.get(),
            level: store.levels().await.unwrap()[0].id.get(),
            function: store.functions().await.unwrap()[0].id.get(),
            user: store.user_named("gast").await.unwrap().id.get(),
            partner: partner.get(),
            insight: insight.get(),
        }
    }

    /// A route template with `{a}` account, `{k}` key contact, `{s}` assignment, `{c}`
    /// criterion, `{o}` own organization, `{u}` unit, `{p}` person, `{l}` level, `{f}`
    /// function, `{n}` the demo's guest user and `{i}` an upload that does not exist filled in.
    pub fn fill(&self, path: &str) -> String {
        path.replace("{a}", &self.account.to_string())
            .replace("{k}", &self.contact.to_string())
            .replace("{s}", &self.assignment.to_string())
            .replace("{c}", &self.criterion.to_string())
            .replace("{o}", &self.own.to_string())
            .replace("{u}", &self.unit.to_string())
            .replace("{p}", &self.person.to_string())
            .replace("{l}", &self.level.to_string())
            .replace("{f}", &self.function.to_string())
            .replace("{n}", &self.user.to_string())
            .replace("{q}", &self.partner.to_string())
            .replace("{g}", &self.insight.to_string())
            .replace("{i}", "987654")
            .replace("{j}", &self.series.to_string())
            .replace("{m}", &self.meeting.to_string())
            .replace("{t}", &self.item.to_string())
            .replace("{x}", &self.action.to_string())
    }
}
