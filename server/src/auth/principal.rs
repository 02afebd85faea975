//! Who is calling: a user or a service account, with their current role.

use api_types::{Me, Role};

pub use crate::storage::{PrincipalKind, PrincipalState};

// `PrincipalKind` and `PrincipalState` are plain stored data, defined in
// storage; the domain's methods on them live here.
impl PrincipalKind {
    fn prefix(self) -> &'static str {
        match self {
            PrincipalKind::User => "user",
            PrincipalKind::Service => "service",
        }
    }
}

/// An authenticated caller, as handlers see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// User or service account.
    pub kind: PrincipalKind,
    /// Database id within its kind.
    pub id: i64,
    /// Email (users) or name (service accounts).
    pub name: String,
    /// Current role (read from the database, not trusted from the token).
    pub role: Role,
}

impl Principal {
    /// The caller as the API and the UI describe it.
    pub fn me(&self) -> Me {
        Me {
            kind: self.kind.prefix().into(),
            name: self.name.clone(),
            role: self.role,
        }
    }
}

/// The JWT `sub` of a principal: `user:<id>` or `service:<id>`.
pub fn subject(kind: PrincipalKind, id: i64) -> String {
    format!("{}:{id}", kind.prefix())
}

/// Parses a JWT `sub`.
pub fn parse_subject(sub: &str) -> Option<(PrincipalKind, i64)> {
    let (prefix, id) = sub.split_once(':')?;
    let kind = match prefix {
        "user" => PrincipalKind::User,
        "service" => PrincipalKind::Service,
        _ => return None,
    };
    Some((kind, id.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_round_trip() {
        for kind in [PrincipalKind::User, PrincipalKind::Service] {
            assert_eq!(parse_subject(&subject(kind, 42)), Some((kind, 42)));
        }
        for bad in ["", "user", "user:", "user:x", "admin:1", "1"] {
            assert_eq!(parse_subject(bad), None, "{bad:?}");
        }
    }
}
