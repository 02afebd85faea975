//! Which pages need which role. The server enforces it on every page load
//! (anonymous visitors are sent to the sign-in page; a page above the
//! caller's role answers 403) and the API enforces it on every call; the UI
//! uses the same table to show only what the caller may use.

use crate::Role;

/// The sign-in page.
pub const LOGIN_PATH: &str = "/login";

/// The role a page needs; `None` for pages anyone may see.
pub fn page_minimum(path: &str) -> Option<Role> {
    let path = path.trim_end_matches('/');
    match path {
        LOGIN_PATH => None,
        "/jobs" | "/data" => Some(Role::Analyst),
        "/admin" => Some(Role::Admin),
        _ if path.starts_with("/admin/") => Some(Role::Admin),
        _ => Some(Role::Viewer),
    }
}

/// A safe place to go after signing in: a local path, or `/`. Refuses
/// absolute URLs, protocol-relative `//host`, backslashes and API paths.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.contains('\\')
                && !path.starts_with("/api")
                && !path.starts_with(LOGIN_PATH)
                && path.chars().all(|c| !c.is_control()) =>
        {
            path.to_owned()
        }
        _ => "/".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_have_the_documented_minimum_roles() {
        assert_eq!(page_minimum("/login"), None);
        assert_eq!(page_minimum("/"), Some(Role::Viewer));
        assert_eq!(page_minimum("/forecast"), Some(Role::Viewer));
        assert_eq!(page_minimum("/jobs"), Some(Role::Analyst));
        assert_eq!(page_minimum("/data"), Some(Role::Analyst));
        assert_eq!(page_minimum("/admin"), Some(Role::Admin));
        assert_eq!(page_minimum("/admin/users"), Some(Role::Admin));
        assert_eq!(page_minimum("/anything-else"), Some(Role::Viewer));
    }

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(safe_next(Some("/admin?tab=users")), "/admin?tab=users");
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/\\evil",
            "/api/v1/me",
            "/login?next=/",
            "javascript:alert(1)",
            "",
        ] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad}");
        }
        assert_eq!(safe_next(None), "/");
    }
}
