//! Accounts: the use cases the admin API and the command line share.
//! Creating a user or a service account, changing a user's access and
//! revoking a service account each live here once, with the rules their
//! input must follow, the audit row they leave and the ways they fail;
//! `http::admin` and `cli` only translate to and from them.

pub mod service_accounts;
pub mod users;

pub use crate::validation::CONTROL_CHARACTERS;
use crate::{
    storage,
    validation::{refuse_unsafe, FieldErrors},
};

/// Why a name is refused for its length.
pub const NAME_LENGTH: &str = "must be 1 to 100 characters";

/// Longest display or service account name, in characters.
pub const MAX_NAME: usize = 100;

/// Why an account use case did not happen.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// The input broke a rule; every field's problem.
    #[error(transparent)]
    Invalid(FieldErrors),
    /// A change that asks for nothing.
    #[error("nothing to change: send role and/or disabled")]
    NothingToChange,
    /// The email or name (the field named) belongs to another account.
    #[error("{0} is already taken")]
    Taken(&'static str),
    /// The change would leave no active admin.
    #[error("the last active admin cannot be demoted or disabled")]
    LastAdmin,
    /// No such account (`user`, `service account`).
    #[error("no such {0}")]
    NotFound(&'static str),
    /// The password could not be hashed.
    #[error("hashing the password failed: {0:#}")]
    Hashing(anyhow::Error),
    /// The database failed.
    #[error(transparent)]
    Storage(#[from] sqlx::Error),
}

impl From<FieldErrors> for AccountError {
    fn from(fields: FieldErrors) -> Self {
        AccountError::Invalid(fields)
    }
}

impl From<storage::AccountError> for AccountError {
    fn from(error: storage::AccountError) -> Self {
        match error {
            storage::AccountError::Taken(what) => AccountError::Taken(what),
            storage::AccountError::Database(e) => AccountError::Storage(e),
        }
    }
}

impl From<storage::UserChangeError> for AccountError {
    fn from(error: storage::UserChangeError) -> Self {
        match error {
            storage::UserChangeError::NotFound => AccountError::NotFound("user"),
            storage::UserChangeError::LastAdmin => AccountError::LastAdmin,
            storage::UserChangeError::Database(e) => AccountError::Storage(e),
        }
    }
}

/// `result`'s value, or `None` with its error recorded against `field`.
pub fn check<T>(errors: &mut FieldErrors, field: &str, result: Result<T, String>) -> Option<T> {
    result.map_err(|why| errors.add(field, why)).ok()
}

/// A display or service account name: trimmed, 1 to [`MAX_NAME`]
/// characters, none of them control or bidirectional-text characters.
pub fn parse_name(raw: &str) -> Result<String, String> {
    let name = raw.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME {
        return Err(NAME_LENGTH.into());
    }
    refuse_unsafe(name)?;
    Ok(name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(parse_name("  Grace Hopper ").as_deref(), Ok("Grace Hopper"));
        assert_eq!(parse_name(&"é".repeat(100)).map(|n| n.len()), Ok(200));
        for raw in ["", "   ", &"a".repeat(101)] {
            assert_eq!(parse_name(raw), Err(NAME_LENGTH.to_owned()), "{raw:?}");
        }
    }

    #[test]
    fn names_refuse_control_and_bidi_characters() {
        for raw in [
            "Grace\u{7}",
            "a\u{1b}[31mb",
            "evil\u{202E}txt",
            "a\u{2028}b",
        ] {
            assert_eq!(
                parse_name(raw),
                Err(CONTROL_CHARACTERS.to_owned()),
                "{raw:?}"
            );
        }
    }

    #[test]
    fn checks_record_each_refused_field() {
        let mut errors = FieldErrors::default();
        let role = check(&mut errors, "role", api_types::Role::parse("admin"));
        assert_eq!(role, Some(api_types::Role::Admin));
        assert!(errors.is_empty());
        assert_eq!(
            check::<()>(&mut errors, "email", Err("is required".into())),
            None
        );
        assert_eq!(errors.to_string(), "invalid input: email: is required");
    }
}
