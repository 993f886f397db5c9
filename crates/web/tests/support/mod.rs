//! Test client: drives the router in-process, keeps cookies, and finds the CSRF token of the
//! last page like a browser would submit it. Every test app's logs are watched for personal
//! data (`logs`): a test that logs a demo person's name or address fails when its app ends.

pub mod logs;
pub mod routes;

use std::collections::HashMap;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use counterpart_app::{App, Config};
use counterpart_core::audit::EntityKind;
use counterpart_core::ids::AccountId;
use counterpart_store::testing::TestDb;
use counterpart_store::{AuditFilter, Store, Visibility};
use counterpart_web::{AppState, WebConfig};
use tower::ServiceExt;

/// The audit rows about one record.
pub async fn audit_count(store: &Store, entity: EntityKind, id: i64) -> usize {
    store
        .audit_entries(&AuditFilter {
            entity: Some(entity),
            entity_id: Some(id),
            before_id: None,
            limit: 500,
        })
        .await
        .unwrap()
        .len()
}

/// Today where the application runs (its configured time zone): between midnight there and
/// midnight in UTC the two days differ.
pub fn today() -> chrono::NaiveDate {
    chrono::Utc::now()
        .with_timezone(&counterpart_app::Config::default().time_zone)
        .date_naive()
}

/// The first account whose name holds `name`, restricted ones too.
pub async fn account_named(store: &Store, name: &str) -> AccountId {
    store
        .accounts(&Default::default(), &Visibility::everything())
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.account.name.contains(name))
        .unwrap_or_else(|| panic!("no account {name}"))
        .account
        .id
}

/// A fresh database with the demo dataset and the application on it. Everything the test
/// logs meanwhile is checked for the demo people's names and addresses when it is dropped.
pub struct TestApp {
    pub router: Router,
    pub db: TestDb,
    logs: logs::Watch,
}

impl TestApp {
    pub async fn demo() -> Self {
        let watch = logs::start();
        let db = TestDb::sqlite().await;
        db.store.load_demo().await.expect("load demo");
        Self::on(db, Config::default(), WebConfig::default(), watch)
    }

    /// A fresh database with nothing but the default ladder and functions, for tests that
    /// build their own world (`counterpart_store::testing::World`).
    pub async fn empty() -> Self {
        let watch = logs::start();
        let db = TestDb::sqlite().await;
        db.store.seed_defaults().await.expect("seed defaults");
        Self::on(db, Config::default(), WebConfig::default(), watch)
    }

    /// A client logged in with the password every test world's users have.
    pub async fn login_to_world(&self, username: &str) -> Client {
        let (answer, client) = self
            .try_login(username, counterpart_store::testing::WORLD_PASSWORD)
            .await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "login as {username}");
        client
    }

    /// The demo on a fresh PostgreSQL schema, or `None` outside CI without a server.
    pub async fn demo_postgres() -> Option<Self> {
        let watch = logs::start();
        let db = TestDb::postgres().await?;
        db.store.load_demo().await.expect("load demo");
        Some(Self::on(db, Config::default(), WebConfig::default(), watch))
    }

    /// The demo with other web settings.
    pub async fn demo_with(config: Config, web: WebConfig) -> Self {
        let watch = logs::start();
        let db = TestDb::sqlite().await;
        db.store.load_demo().await.expect("load demo");
        Self::on(db, config, web, watch)
    }

    fn on(db: TestDb, config: Config, web: WebConfig, logs: logs::Watch) -> Self {
        let state = AppState::new(App::new(db.store.clone(), config), web);
        Self {
            router: logs::traced(counterpart_web::app(state), &logs),
            db,
            logs,
        }
    }

    /// How many events the test has logged so far (requests, errors, the store's work).
    pub fn events_logged(&self) -> usize {
        self.logs.events()
    }

    pub fn client(&self) -> Client {
        Client::new(self.router.clone())
    }

    /// A client that tried to log in with a password: the login's answer and the client.
    pub async fn try_login(&self, username: &str, password: &str) -> (Page, Client) {
        let mut client = self.client();
        client.get("/login").await;
        let answer = client
            .post(
                "/login",
                &[
                    ("username", username),
                    ("password", password),
                    ("next", "/"),
                ],
            )
            .await;
        (answer, client)
    }

    /// A client logged in as a demo user (password "demo").
    pub async fn login(&self, username: &str) -> Client {
        let mut client = self.client();
        client.get("/login").await;
        let response = client
            .post(
                "/login",
                &[("username", username), ("password", "demo"), ("next", "/")],
            )
            .await;
        assert_eq!(
            response.status,
            StatusCode::SEE_OTHER,
            "login as {username}: {}",
            response.body
        );
        client.get("/").await;
        client
    }
}

impl Drop for TestApp {
    /// The test fails here if it logged a demo person's name or address (unless it is
    /// failing already).
    fn drop(&mut self) {
        if !std::thread::panicking() {
            self.logs.check();
        }
    }
}

/// What came back.
#[derive(Debug)]
pub struct Page {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Page {
    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// Asserts the body contains the text (HTML-escaped as a template would write it).
    #[track_caller]
    pub fn assert_contains(&self, text: &str) {
        let escaped = text.replace('&', "&#38;");
        assert!(
            self.body.contains(text) || self.body.contains(&escaped),
            "expected {text:?} in the page (status {}):\n{}",
            self.status,
            self.body
        );
    }
}

/// A browser-like client: cookies and the page's CSRF token.
pub struct Client {
    router: Router,
    cookies: HashMap<String, String>,
    csrf: Option<String>,
    pub accept_language: String,
    /// An `Origin` header to send with every request, as a browser would on a form post.
    pub origin: Option<String>,
    /// A `User-Agent` header to send with every request.
    pub user_agent: Option<String>,
}

impl Client {
    /// A client without cookies, speaking German.
    pub fn new(router: Router) -> Self {
        Self {
            router,
            cookies: HashMap::new(),
            csrf: None,
            accept_language: "de-DE,de;q=0.9".into(),
            origin: None,
            user_agent: None,
        }
    }

    /// The value of a cookie the client keeps.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.cookies.get(name).cloned()
    }

    /// Sets a cookie, as a stolen or forged one would be.
    pub fn set_cookie(&mut self, name: &str, value: &str) {
        self.cookies.insert(name.to_owned(), value.to_owned());
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    async fn send(&mut self, mut request: Request<Body>) -> Page {
        if let Some(origin) = &self.origin {
            request
                .headers_mut()
                .insert(header::ORIGIN, origin.parse().unwrap());
        }
        if let Some(agent) = &self.user_agent {
            request
                .headers_mut()
                .insert(header::USER_AGENT, agent.parse().unwrap());
        }
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("infallible");
        for value in response.headers().get_all(header::SET_COOKIE) {
            let text = value.to_str().unwrap_or("");
            if let Some((pair, _)) = text.split_once(';')
                && let Some((name, value)) = pair.split_once('=')
            {
                if text.contains("Max-Age=0") {
                    self.cookies.remove(name);
                } else {
                    self.cookies.insert(name.to_owned(), value.to_owned());
                }
            }
        }
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        let body = String::from_utf8_lossy(&bytes).into_owned();
        if let Some(token) = csrf_in(&body) {
            self.csrf = Some(token);
        }
        Page {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let request = Request::get(path)
            .header(header::COOKIE, self.cookie_header())
            .header(header::ACCEPT_LANGUAGE, &self.accept_language)
            .body(Body::empty())
            .unwrap();
        self.send(request).await
    }

    /// An API call: no cookies, the bearer token if given, and other headers.
    pub async fn api_get(&mut self, path: &str, headers: &[(&str, &str)]) -> Page {
        let mut request = Request::get(path);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        self.send(request.body(Body::empty()).unwrap()).await
    }

    /// An API call with another method than GET: no cookies, no body.
    pub async fn api_request(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
    ) -> Page {
        let mut request = Request::builder().method(method).uri(path);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        self.send(request.body(Body::empty()).unwrap()).await
    }

    /// An API call with a body (JSON unless `headers` say otherwise): no cookies.
    pub async fn api_send(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: impl Into<String>,
    ) -> Page {
        let mut request = Request::builder().method(method).uri(path);
        if !headers
            .iter()
            .any(|(name, _)| name.eq_ignore_ascii_case("content-type"))
        {
            request = request.header(header::CONTENT_TYPE, "application/json");
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        self.send(request.body(Body::from(body.into())).unwrap())
            .await
    }

    /// A download: status, content disposition, bytes.
    pub async fn get_bytes(&mut self, path: &str) -> (StatusCode, String, Vec<u8>) {
        let request = Request::get(path)
            .header(header::COOKIE, self.cookie_header())
            .header(header::ACCEPT_LANGUAGE, &self.accept_language)
            .body(Body::empty())
            .unwrap();
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("infallible");
        let status = response.status();
        let disposition = response
            .headers()
            .get(header::CONTENT_DISPOSITION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        (status, disposition, bytes.to_vec())
    }

    /// Posts a form with the CSRF token of the last page.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        let token = self.csrf.clone().unwrap_or_default();
        all.push(("_csrf", &token));
        self.post_raw(path, &all).await
    }

    /// Posts exactly these fields (no CSRF token added).
    pub async fn post_raw(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let body = serde_urlencoded::to_string(fields).unwrap();
        let request = Request::post(path)
            .header(header::COOKIE, self.cookie_header())
            .header(header::ACCEPT_LANGUAGE, &self.accept_language)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }

    /// Uploads a file as `multipart/form-data`, the CSRF token in the body's first part as the
    /// form sends it (`with_token = false` leaves it out).
    pub async fn upload(
        &mut self,
        path: &str,
        filename: &str,
        content: &[u8],
        with_token: bool,
    ) -> Page {
        let boundary = "----counterpart-test-boundary";
        let mut body = Vec::new();
        if with_token {
            let token = self.csrf.clone().unwrap_or_default();
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{token}\r\n"
                )
                .as_bytes(),
            );
        }
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n\
                 Content-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(content);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let request = Request::post(path)
            .header(header::COOKIE, self.cookie_header())
            .header(header::ACCEPT_LANGUAGE, &self.accept_language)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }

    /// Posts a body of the given size.
    pub async fn post_bytes(&mut self, path: &str, size: usize) -> Page {
        let request = Request::post(path)
            .header(header::COOKIE, self.cookie_header())
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("x-csrf-token", self.csrf.clone().unwrap_or_default())
            .body(Body::from(vec![b'a'; size]))
            .unwrap();
        self.send(request).await
    }
}

fn csrf_in(body: &str) -> Option<String> {
    let start = body.find(r#"<meta name="csrf-token" content=""#)? + 33;
    Some(body[start..start + 64].to_owned())
}

/// Finds the id of the first person whose page link text is `name`.
pub fn person_id(body: &str, name: &str) -> Option<i64> {
    let at = body.find(&format!(">{name}</a>"))?;
    let href = body[..at].rfind("/people/")?;
    body[href + 8..at]
        .split('"')
        .next()
        .and_then(|id| id.parse().ok())
}

/// A form of a page as a browser would submit it: its action and its fields with their
/// current values (checked boxes only, selected options, text areas), buttons left out.
#[derive(Clone, Debug)]
pub struct Form {
    pub fields: Vec<(String, String)>,
    /// Every field the user types text into: (name, kind), kind `text`, `email`, `tel`,
    /// `date`, `textarea` …
    pub text_fields: Vec<(String, String)>,
}

impl Form {
    /// Sets a field, adding it when missing.
    pub fn set(&mut self, name: &str, value: &str) -> &mut Self {
        match self.fields.iter_mut().find(|(n, _)| n == name) {
            Some(field) => field.1 = value.to_owned(),
            None => self.fields.push((name.to_owned(), value.to_owned())),
        }
        self
    }

    /// Adds a field even if one of that name exists (checkboxes, buttons).
    pub fn add(&mut self, name: &str, value: &str) -> &mut Self {
        self.fields.push((name.to_owned(), value.to_owned()));
        self
    }

    /// The fields without the CSRF token (the client adds the current one).
    pub fn pairs(&self) -> Vec<(&str, &str)> {
        self.fields
            .iter()
            .filter(|(n, _)| n != "_csrf")
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect()
    }
}

/// Decodes the entities askama writes (`&#38;`, `&#34;` …) and the named basics.
pub fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let Some(end) = rest.find(';').filter(|&e| e <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..end];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix('#')
                .and_then(|n| n.parse::<u32>().ok())
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The value of an attribute in one tag's text, decoded.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let needle = format!(" {name}=\"");
    let start = tag.find(&needle)? + needle.len();
    let end = tag[start..].find('"')? + start;
    Some(unescape(&tag[start..end]))
}

impl Page {
    /// The first form whose action (without its query) is `action`.
    pub fn form(&self, action: &str) -> Option<Form> {
        let mut search = 0;
        while let Some(at) = self.body[search..].find("<form") {
            let start = search + at;
            let tag_end = self.body[start..].find('>')? + start;
            let tag = &self.body[start..tag_end];
            search = tag_end;
            let found = attribute(tag, "action").unwrap_or_default();
            if found.split('?').next() != Some(action) {
                continue;
            }
            let end = self.body[tag_end..].find("</form>")? + tag_end;
            return Some(parse_form(&self.body[tag_end..end]));
        }
        None
    }

    /// The values of every element with `name="{name}"` and a `value` (checkboxes, buttons).
    pub fn values_of(&self, name: &str) -> Vec<String> {
        let needle = format!(" name=\"{name}\"");
        self.body
            .match_indices(&needle)
            .filter_map(|(at, _)| {
                let start = self.body[..at].rfind('<')?;
                let end = self.body[at..].find('>')? + at;
                attribute(&self.body[start..end], "value")
            })
            .collect()
    }
}

fn parse_form(html: &str) -> Form {
    let mut form = Form {
        fields: Vec::new(),
        text_fields: Vec::new(),
    };
    let mut pos = 0;
    while let Some(at) = html[pos..].find('<') {
        let start = pos + at;
        let Some(tag_end) = html[start..].find('>').map(|e| e + start) else {
            break;
        };
        let tag = &html[start..tag_end];
        pos = tag_end;
        // Elements that belong to another form (`form="…"`) are not this form's.
        if attribute(tag, "form").is_some() {
            continue;
        }
        if tag.starts_with("<input") {
            let kind = attribute(tag, "type").unwrap_or_else(|| "text".into());
            let Some(name) = attribute(tag, "name") else {
                continue;
            };
            let given = attribute(tag, "value");
            match kind.as_str() {
                "submit" | "button" | "file" | "reset" => {}
                "checkbox" | "radio" => {
                    // A browser sends "on" only for a box without a value attribute.
                    if tag.contains(" checked") {
                        form.fields
                            .push((name, given.unwrap_or_else(|| "on".into())));
                    }
                }
                _ => {
                    // A picker's search field only finds people; its radio is the value.
                    if kind != "hidden" && kind != "search" {
                        form.text_fields.push((name.clone(), kind));
                    }
                    form.fields.push((name, given.unwrap_or_default()));
                }
            }
        } else if tag.starts_with("<textarea") {
            let Some(name) = attribute(tag, "name") else {
                continue;
            };
            let end = html[tag_end..]
                .find("</textarea>")
                .map_or(tag_end, |e| e + tag_end);
            let value = unescape(&html[tag_end + 1..end]);
            form.text_fields.push((name.clone(), "textarea".into()));
            form.fields.push((name, value));
        } else if tag.starts_with("<select") {
            let Some(name) = attribute(tag, "name") else {
                continue;
            };
            let end = html[tag_end..]
                .find("</select>")
                .map_or(tag_end, |e| e + tag_end);
            let options = &html[tag_end..end];
            let mut chosen = None;
            let mut first = None;
            for (at, _) in options.match_indices("<option") {
                let close = options[at..].find('>').map_or(at, |e| e + at);
                let option = &options[at..close];
                let value = attribute(option, "value").unwrap_or_default();
                first.get_or_insert(value.clone());
                if option.contains(" selected") {
                    chosen = Some(value);
                }
            }
            form.fields
                .push((name, chosen.or(first).unwrap_or_default()));
        }
    }
    form
}
