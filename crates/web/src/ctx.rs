//! Who asks and in which language: the request's context as the middleware leaves it for
//! the handlers, the extractors that admit users by role, and the cookie and redirect-target
//! helpers the pages share.

use axum::extract::FromRequestParts;
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::request::Parts;
use chrono::{DateTime, NaiveDate, Utc};
use counterpart_core::user::{Language, User};
use counterpart_store::{Actor, LoginNotice};

use crate::error::AppError;
use crate::i18n::{self, Texts};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "cp_session";
/// Cookie marking a browser the user has logged in from before (see login throttling).
pub(crate) const DEVICE_COOKIE: &str = "cp_device";
/// Cookie holding a login half done, waiting for its second factor's code (five minutes).
pub(crate) const CHALLENGE_COOKIE: &str = "cp_login";

/// The request's context: who is asking, in which language, and the CSRF token to embed.
#[derive(Clone, Debug)]
pub struct Ctx {
    /// The logged-in user, if any.
    pub user: Option<User>,
    /// The interface language.
    pub lang: Language,
    /// The time zone moments are shown in (the configured one).
    pub time_zone: chrono_tz::Tz,
    /// The CSRF token every form of this page must send back.
    pub csrf: String,
    /// Path and query of this request, to come back to after login or a language switch.
    pub path: String,
    /// The session cookie's value, for logout.
    pub(crate) session_token: Option<String>,
    /// The client's address (see [`crate::client::client_address`]).
    pub(crate) client: Option<std::net::IpAddr>,
    /// Failed attempts at the user's name before this session's login; on the first page only.
    pub login_notice: Option<LoginNotice>,
    /// Whether the logged-in user has a second factor.
    pub(crate) second_factor: bool,
    /// Who asks, for the use cases: one principal per request, so that what they may see is
    /// worked out once however many use cases the page calls.
    pub(crate) who: counterpart_app::Principal,
}

impl Ctx {
    /// The context of a response that is not a page of a session (a feed read by a feed
    /// reader): nobody logged in, the reader's language, the configured time zone.
    pub(crate) fn for_feed(state: &crate::AppState, lang: Language) -> Self {
        Self {
            user: None,
            lang,
            time_zone: state.settings().time_zone,
            csrf: String::new(),
            path: String::new(),
            session_token: None,
            client: None,
            login_notice: None,
            second_factor: false,
            who: Self::principal_of(None),
        }
    }

    /// The principal of a user, or of a visitor who is not logged in (who may do nothing).
    pub(crate) fn principal_of(user: Option<&User>) -> counterpart_app::Principal {
        user.map_or_else(
            || {
                counterpart_app::Principal::new(
                    None,
                    "",
                    counterpart_core::user::Role::Viewer,
                    None,
                )
            },
            counterpart_app::Principal::of,
        )
    }

    /// The texts in the request's language.
    pub fn t(&self) -> &'static Texts {
        i18n::texts(self.lang)
    }

    /// `de` or `en`, for the `lang` attribute.
    pub fn lang_code(&self) -> &'static str {
        self.lang.as_str()
    }

    /// The German or English variant of a stored name.
    pub fn pick<'a>(&self, de: &'a str, en: &'a str) -> &'a str {
        match self.lang {
            Language::De => de,
            Language::En => en,
        }
    }

    /// Whether the current path lies in a section of the navigation.
    pub fn in_section(&self, prefix: &str) -> bool {
        let path = self.path.split('?').next().unwrap_or("");
        path == prefix || path.starts_with(&format!("{prefix}/"))
    }

    /// May the user create and change data?
    pub fn can_edit(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.role.can_edit())
    }

    /// Is the user an administrator?
    pub fn is_admin(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.role.is_admin())
    }

    /// Today in the configured time zone.
    pub fn today(&self) -> NaiveDate {
        chrono::Utc::now()
            .with_timezone(&self.time_zone)
            .date_naive()
    }

    /// A date in the user's language: 27.11.2026 or 27 Nov 2026.
    pub fn date(&self, date: &NaiveDate) -> String {
        i18n::format_date(self.lang, *date)
    }

    /// A moment in the user's language and the configured time zone.
    pub fn datetime(&self, at: &DateTime<Utc>) -> String {
        i18n::format_datetime(self.lang, self.time_zone, *at)
    }

    /// The sentence about failed login attempts before this session, on its first page.
    pub fn login_notice_text(&self) -> Option<String> {
        self.login_notice
            .map(|n| i18n::failed_logins(self.lang, self.time_zone, n.failed, n.last_at))
    }

    /// Who asks, for the use cases; a visitor who is not logged in may do nothing. The same
    /// principal for the whole request.
    pub fn principal(&self) -> counterpart_app::Principal {
        self.who.clone()
    }

    /// Who is acting, for the audit log.
    pub fn actor(&self) -> Actor {
        self.user.as_ref().map_or_else(Actor::system, |u| Actor {
            user_id: Some(u.id),
            name: u.display_name.clone(),
        })
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Ctx>()
            .cloned()
            .ok_or_else(|| AppError::Internal("the context middleware is missing".into()))
    }
}

/// Declares an extractor that admits logged-in users whose role passes a check.
macro_rules! role_extractor {
    ($(#[$doc:meta])* $name:ident, $check:expr) => {
        $(#[$doc])*
        pub struct $name(pub Ctx);

        impl<S: Send + Sync> FromRequestParts<S> for $name {
            type Rejection = AppError;

            async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
                let ctx = Ctx::from_request_parts(parts, state).await?;
                let user = ctx.user.as_ref().ok_or(AppError::Unauthenticated)?;
                let allowed: fn(&User) -> bool = $check;
                if allowed(user) {
                    Ok(Self(ctx))
                } else {
                    Err(AppError::Forbidden)
                }
            }
        }
    };
}

role_extractor!(
    /// Any logged-in user: may read.
    Viewer,
    |_| true
);
role_extractor!(
    /// A user who may create and change data.
    Editor,
    |u| u.role.can_edit()
);
role_extractor!(
    /// An administrator.
    Admin,
    |u| u.role.is_admin()
);

/// Reads one cookie from the request headers.
pub(crate) fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, path /, Secure when configured.
pub(crate) fn set_cookie(
    name: &str,
    value: &str,
    max_age_seconds: i64,
    secure: bool,
) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; Max-Age={max_age_seconds}; HttpOnly; SameSite=Lax{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("invalid=; Max-Age=0"))
}

/// A `next`/`back` target as a path on this site, rebuilt from its parts, or `None` when it
/// is anything else (no open redirects).
///
/// Browsers drop tabs and line breaks from URLs and read a backslash as a slash, so
/// `/<TAB>/other.host` or `/\\other.host` would leave the site: any control character or
/// backslash refuses the target. What is left is resolved against a placeholder origin and
/// must stay on it; the path and query are then written out percent-encoded, so that the
/// `Location` header is always valid.
pub(crate) fn local_target(target: &str) -> Option<String> {
    const ORIGIN: &str = "http://counterpart.invalid/";
    if !target.starts_with('/')
        || target.starts_with("//")
        || target.contains('\\')
        || target.chars().any(char::is_control)
    {
        return None;
    }
    let base = url::Url::parse(ORIGIN).ok()?;
    let url = base.join(target).ok()?;
    if url.origin() != base.origin() || !url.username().is_empty() || url.password().is_some() {
        return None;
    }
    let mut local = url.path().to_owned();
    if let Some(query) = url.query() {
        local.push('?');
        local.push_str(query);
    }
    // The rebuilt path must still be one path, not `//host` after normalising `/./`.
    (local.starts_with('/') && !local.starts_with("//")).then_some(local)
}

/// Percent-encodes a URL component (RFC 3986 unreserved characters stay).
pub(crate) fn encode_component(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; cp_session=abc; b=2"),
        );
        assert_eq!(cookie(&headers, "cp_session"), Some("abc"));
        assert_eq!(cookie(&headers, "cp"), None);
    }

    #[test]
    fn only_local_paths_are_redirect_targets() {
        assert_eq!(
            local_target("/people/3?x=1").as_deref(),
            Some("/people/3?x=1")
        );
        assert_eq!(
            local_target("/people?q=Müller & co").as_deref(),
            Some("/people?q=M%C3%BCller%20&%20co")
        );
        assert_eq!(local_target("/a/../b/./c").as_deref(), Some("/b/c"));
        for bad in [
            "//evil.example/",
            "https://evil.example/",
            "/\\evil.example",
            "/\t/evil.example/x",
            "/\n/evil.example",
            "/\r\nSet-Cookie: x=1",
            "/x\0y",
            "/x\u{7f}",
            "/x\u{85}",
            "",
            "people",
            "/.//evil.example",
            "/..//evil.example",
        ] {
            assert_eq!(local_target(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn components_are_percent_encoded() {
        assert_eq!(
            encode_component("/people?q=Müller & co"),
            "%2Fpeople%3Fq%3DM%C3%BCller%20%26%20co"
        );
    }
}
