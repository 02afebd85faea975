//! The access-token cookie: HttpOnly, SameSite=Strict, `Secure` unless the
//! configuration allows plain HTTP on loopback.

use axum::http::{header, HeaderMap, HeaderValue};
use tower_sessions::cookie::{time::Duration, Cookie, SameSite};

/// Name of the cookie carrying the access JWT.
pub const ACCESS_COOKIE: &str = "tessera_access";
/// Name of the session cookie (managed by tower-sessions).
pub const SESSION_COOKIE: &str = "tessera_session";

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
    let cookie = Cookie::build((ACCESS_COOKIE, value.to_owned()))
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
        assert!(!set_access("a.b.c", 900, false)
            .to_str()
            .expect("ascii")
            .contains("Secure"));
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
        assert_eq!(read(&headers, ACCESS_COOKIE), Some("x.y.z"));
        assert_eq!(read(&headers, "b"), Some("2"));
        assert_eq!(read(&headers, "c"), None);
    }
}
