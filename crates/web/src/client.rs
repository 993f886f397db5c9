//! Who is on the other end of a request: the client's address (for login throttling), taken
//! from a forwarded header only when the request comes through a proxy we were told to trust,
//! and whether a state-changing request comes from our own origin.

use std::net::{IpAddr, SocketAddr};

use axum::http::HeaderMap;
use axum::http::header;
use counterpart_app::TrustedProxy;
use counterpart_app::canonical_address as canonical;

/// The client's address. From the TCP peer, unless the peer is a trusted proxy: then the
/// right-most address of `X-Forwarded-For` that is not itself a trusted proxy (the left part of
/// that header is whatever the client chose to send). `None` when the request did not come
/// over a socket (in-process tests).
pub(crate) fn client_address(
    peer: Option<SocketAddr>,
    headers: &HeaderMap,
    trusted: &[TrustedProxy],
) -> Option<IpAddr> {
    let peer = canonical(peer?.ip());
    let is_trusted = |a: IpAddr| trusted.iter().any(|t| t.contains(a));
    if !is_trusted(peer) {
        return Some(peer);
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|a| a.trim().parse::<IpAddr>().map(canonical))
        .collect::<Result<_, _>>()
        .unwrap_or_default();
    Some(
        forwarded
            .into_iter()
            .rev()
            .find(|a| !is_trusted(*a))
            .unwrap_or(peer),
    )
}

/// Whether a state-changing request may come from where its `Origin` header says, as a second
/// line of defence behind the CSRF token. Without the header (older browsers, scripts) it may.
/// With a configured public base URL the origin must be that URL's; otherwise it must name the
/// host the request was sent to.
pub(crate) fn origin_allowed(headers: &HeaderMap, public: Option<&url::Url>) -> bool {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    let Some(origin) = origin.to_str().ok().and_then(|o| url::Url::parse(o).ok()) else {
        // `Origin: null` (sandboxed frames, some redirects) or garbage.
        return false;
    };
    match public {
        Some(public) => origin.origin() == public.origin(),
        None => {
            let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
            let authority = match (origin.host_str(), origin.port()) {
                (Some(h), Some(p)) => format!("{h}:{p}"),
                (Some(h), None) => h.to_owned(),
                (None, _) => return false,
            };
            host.is_some_and(|h| h.eq_ignore_ascii_case(&authority))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn peer(a: &str) -> Option<SocketAddr> {
        Some(SocketAddr::new(a.parse().unwrap(), 40000))
    }

    #[test]
    fn forwarded_headers_count_only_behind_a_trusted_proxy() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            HeaderValue::from_static("203.0.113.9, 198.51.100.4"),
        );
        let trusted: Vec<TrustedProxy> = vec!["10.0.0.0/8".parse().unwrap()];
        // Straight from the internet: the header is the client's own claim.
        assert_eq!(
            client_address(peer("192.0.2.1"), &headers, &trusted),
            Some("192.0.2.1".parse().unwrap())
        );
        // Through our proxy: the right-most address the proxy saw.
        assert_eq!(
            client_address(peer("10.1.2.3"), &headers, &trusted),
            Some("198.51.100.4".parse().unwrap())
        );
        // Through two of our proxies.
        let both: Vec<TrustedProxy> = vec![
            "10.0.0.0/8".parse().unwrap(),
            "198.51.100.4".parse().unwrap(),
        ];
        assert_eq!(
            client_address(peer("10.1.2.3"), &headers, &both),
            Some("203.0.113.9".parse().unwrap())
        );
        // A forged, unparsable header behind the proxy: the proxy's own address.
        headers.insert("x-forwarded-for", HeaderValue::from_static("evil, 1.2.3.4"));
        assert_eq!(
            client_address(peer("10.1.2.3"), &headers, &trusted),
            Some("10.1.2.3".parse().unwrap())
        );
        assert_eq!(client_address(None, &headers, &trusted), None);
        assert_eq!(
            client_address(peer("::ffff:192.0.2.1"), &HeaderMap::new(), &[]),
            Some("192.0.2.1".parse().unwrap())
        );
    }

    #[test]
    fn origins_must_be_our_own() {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
        assert!(origin_allowed(&headers, None), "no Origin header");
        headers.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://127.0.0.1:8080"),
        );
        assert!(origin_allowed(&headers, None));
        headers.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://evil.example"),
        );
        assert!(!origin_allowed(&headers, None));
        headers.insert(header::ORIGIN, HeaderValue::from_static("null"));
        assert!(!origin_allowed(&headers, None));
        let public = url::Url::parse("https://kam.example.com/").unwrap();
        headers.insert(
            header::ORIGIN,
            HeaderValue::from_static("https://kam.example.com"),
        );
        assert!(origin_allowed(&headers, Some(&public)));
        headers.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://kam.example.com"),
        );
        assert!(!origin_allowed(&headers, Some(&public)), "other scheme");
    }
}
