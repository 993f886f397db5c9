//! Test client: drives the router in-process, keeps cookies, and finds the CSRF token of the
//! last page like a browser would submit it.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use counterpart_store::testing::TestDb;
use counterpart_web::{AppState, WebConfig};
use tower::ServiceExt;

/// A fresh database with the demo dataset and the application on it.
pub struct TestApp {
    pub router: Router,
    pub db: TestDb,
}

impl TestApp {
    pub async fn demo() -> Self {
        let db = TestDb::sqlite().await;
        db.store.load_demo().await.expect("load demo");
        let state = AppState {
            store: db.store.clone(),
            config: Arc::new(WebConfig::default()),
        };
        Self {
            router: counterpart_web::app(state),
            db,
        }
    }

    pub fn client(&self) -> Client {
        Client::new(self.router.clone())
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
}

impl Client {
    /// A client without cookies, speaking German.
    pub fn new(router: Router) -> Self {
        Self {
            router,
            cookies: HashMap::new(),
            csrf: None,
            accept_language: "de-DE,de;q=0.9".into(),
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    async fn send(&mut self, request: Request<Body>) -> Page {
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
