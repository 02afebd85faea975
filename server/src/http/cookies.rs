//! Tessera's cookies: their names, and the access-token cookie (HttpOnly,
//! SameSite=Strict, `Secure` unless the configuration allows plain HTTP on
//! loopback).

use axum::http::{header, HeaderMap, HeaderValue};
use tower_sessions::cookie::{time::Duration, Cookie, SameSite};

/// The names of Tessera's two cookies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CookieNames {
    /// The cookie carrying the access JWT.
    pub access: &'static str,
    /// The session cookie (managed by tower-sessions).
    pub session: &'static str,
}

/// The names when the cookies are `Secure`: with the `__Host-` prefix, a
/// browser takes them only from this very host over HTTPS, with `Path=/`
/// and no `Domain`, so a sibling subdomain cannot plant or shadow them.
const SECURE_NAMES: CookieNames = CookieNames {
    access: "__Host-tessera_access",
    session: "__Host-tessera_session",
};

/// The names on plain HTTP (loopback only), where browsers refuse prefixed cookies.
const PLAIN_NAMES: CookieNames = CookieNames {
    access: "tessera_access",
    session: "tessera_session",
};

/// The cookie names for `secure` cookies or plain ones.
pub const fn cookie_names(secure: bool) -> CookieNames {
    if secure {
        SECURE_NAMES
    } else {
        PLAIN_NAMES
    }
}

/// Whether the request carries any of Tessera's cookies, under either set of names.
pub fn carries_ours(headers: &HeaderMap) -> bool {
    [SECURE_NAMES, PLAIN_NAMES].iter().any(|names| {
        read(headers, names.access).is_some() || read(headers, names.session).is_some()
    })
}

/// `Set-Cookie` for an access token valid `max_age_secs`.
pub fn set_access(token: &str, max_age_secs: u64, secure: bool) -> HeaderValue {
    build(
        token,
        Duration::seconds(i64::try_from(max_age_secs).unwrap_or(i64::MAX)),
        secure,
    )
}

/// `Set-Cookie` that removes the access token.
pub fn clear_access(secure: bool) -> HeaderValue {
    build("", Duration::ZERO, secure)
}

fn build(value: &str, max_age: Duration, secure: bool) -> HeaderValue {
    let cookie = Cookie::build((cookie_names(secure).access, value.to_owned()))
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure)
        .path("/")
        .max_age(max_age)
        .build();
    // A cookie built from a JWT (base64url and dots) is a valid header value.
    HeaderValue::from_str(&cookie.to_string()).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The value of cookie `name` in the request, if present.
pub fn read<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find_map(|(k, v)| (k == name).then_some(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_cookie_attributes() {
        let set = set_access("a.b.c", 900, true);
        let text = set.to_str().expect("ascii");
        for part in [
            "tessera_access=a.b.c",
            "HttpOnly",
            "SameSite=Strict",
            "Secure",
            "Path=/",
            "Max-Age=900",
        ] {
            assert!(text.contains(part), "{text} lacks {part}");
        }
        assert!(text.starts_with("__Host-tessera_access=a.b.c"), "{text}");
        assert!(!text.contains("Domain"), "{text}");
        let plain = set_access("a.b.c", 900, false);
        let plain = plain.to_str().expect("ascii");
        assert!(
            plain.starts_with("tessera_access=a.b.c") && !plain.contains("Secure"),
            "{plain}"
        );
        assert!(clear_access(false)
            .to_str()
            .expect("ascii")
            .contains("Max-Age=0"));
    }

    #[test]
    fn reads_cookies_from_any_cookie_header() {
        let mut headers = HeaderMap::new();
        headers.append(
            header::COOKIE,
            HeaderValue::from_static("a=1; tessera_access=x.y.z"),
        );
        headers.append(header::COOKIE, HeaderValue::from_static("b=2"));
        assert_eq!(read(&headers, cookie_names(false).access), Some("x.y.z"));
        assert_eq!(read(&headers, cookie_names(true).access), None);
        assert_eq!(read(&headers, "b"), Some("2"));
        assert_eq!(read(&headers, "c"), None);
    }

    #[test]
    fn either_set_of_names_counts_as_ours() {
        let with = |cookie: &'static str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::COOKIE, HeaderValue::from_static(cookie));
            carries_ours(&headers)
        };
        assert!(with("__Host-tessera_session=abc"));
        assert!(with("a=1; tessera_access=x"));
        assert!(!with("tessera=1; other_session=2"));
    }
}
