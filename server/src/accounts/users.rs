//! Users: creating one (`POST /api/v1/admin/users`, `tessera create-user`)
//! and changing one's role or disabling / enabling them
//! (`PATCH /api/v1/admin/users/{id}`).

use api_types::Role;
use serde_json::json;

use super::{check, parse_name, AccountError};
use crate::{
    audit::{AuditDescription, Audited},
    auth::{
        email::Email,
        password::{Hashers, Password},
        principal::PrincipalKind,
        principal_cache::PrincipalCache,
    },
    storage::{Db, User},
    validation::FieldErrors,
};

/// A user was created.
pub const CREATED: &str = "user.created";
/// A user's role was changed.
pub const ROLE_CHANGED: &str = "user.role_changed";
/// A user was disabled.
pub const DISABLED: &str = "user.disabled";
/// A user was enabled again.
pub const ENABLED: &str = "user.enabled";
/// A user's role and disabled flag were changed at once (or nothing was
/// asked for).
pub const CHANGED: &str = "user.changed";

/// A user to create, every field valid. The password stays secret: it is
/// never shown by `Debug`, and only its hash is stored.
#[derive(Debug)]
pub struct NewUser {
    email: Email,
    display_name: String,
    role: Role,
    password: Password,
}

impl NewUser {
    /// Checks every field and reports every problem at once, under the
    /// keys `email`, `display_name`, `role` and `password`: a valid email,
    /// a display name of 1 to 100 characters without control or
    /// bidirectional-text characters, a role by name, and a password of
    /// 12 to 1024 characters. Without a display name (the command line's
    /// default) the email's part before `@` is used.
    pub fn parse(
        email: &str,
        display_name: Option<&str>,
        role: &str,
        password: String,
    ) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let email = check(&mut errors, "email", Email::parse(email));
        let display_name = match (display_name, &email) {
            (Some(name), _) => check(&mut errors, "display_name", parse_name(name)),
            (None, Some(email)) => {
                check(&mut errors, "display_name", parse_name(local_part(email)))
            }
            (None, None) => None,
        };
        let role = check(&mut errors, "role", Role::parse(role));
        let password = check(&mut errors, "password", Password::parse(password));
        match (email, display_name, role, password) {
            (Some(email), Some(display_name), Some(role), Some(password)) => Ok(Self {
                email,
                display_name,
                role,
                password,
            }),
            _ => Err(errors),
        }
    }

    /// The normalised email.
    pub fn email(&self) -> &Email {
        &self.email
    }

    /// The trimmed display name.
    pub fn display_name(&self) -> &str {
        &self.display_name
    }

    /// The role.
    pub fn role(&self) -> Role {
        self.role
    }
}

fn local_part(email: &Email) -> &str {
    email.as_str().split('@').next().unwrap_or_default()
}

/// What the `user.created` row says of an attempt before its input is
/// checked (kept when the attempt is refused): the email and role asked for.
pub fn create_attempt(email: &str, role: Role) -> AuditDescription {
    AuditDescription::new(CREATED, json!({"email": email.trim(), "role": role}))
}

/// Creates `user`, hashing the password in one of `hashers`' slots (waiting
/// for one: account creation is rare and must not fail for load). The
/// row says who was created: `user_id`, `email`, `role`.
pub async fn create(
    db: &Db,
    hashers: &Hashers,
    user: NewUser,
) -> Result<Audited<User>, AccountError> {
    let hash = hashers
        .hash(user.password)
        .await
        .map_err(AccountError::Hashing)?;
    let created = db
        .create_user(
            user.email.as_str(),
            &user.display_name,
            user.role,
            hash.expose(),
        )
        .await?;
    let audit = AuditDescription::new(
        CREATED,
        json!({"user_id": created.id, "email": created.email, "role": created.role}),
    );
    tracing::info!(user = ?created.email, role = %created.role, "user created");
    Ok(Audited {
        value: created,
        audit,
    })
}

/// A change to a user's access: a new role, disabled or enabled, or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UserChange {
    role: Option<Role>,
    disabled: Option<bool>,
}

impl UserChange {
    /// A change asking for at least one of a role and a disabled flag;
    /// [`AccountError::NothingToChange`] otherwise.
    pub fn parse(role: Option<Role>, disabled: Option<bool>) -> Result<Self, AccountError> {
        if role.is_none() && disabled.is_none() {
            return Err(AccountError::NothingToChange);
        }
        Ok(Self { role, disabled })
    }

    /// Its audit action: [`ROLE_CHANGED`], [`DISABLED`], [`ENABLED`], or
    /// [`CHANGED`] for a role and a flag at once.
    pub fn action(self) -> &'static str {
        action_of(self.role, self.disabled)
    }
}

fn action_of(role: Option<Role>, disabled: Option<bool>) -> &'static str {
    match (role, disabled) {
        (Some(_), None) => ROLE_CHANGED,
        (None, Some(true)) => DISABLED,
        (None, Some(false)) => ENABLED,
        _ => CHANGED,
    }
}

/// What the row of an attempt to change user `id` says before it is
/// checked (kept when it is refused; an empty change is `user.changed`).
pub fn change_attempt(id: i64, role: Option<Role>, disabled: Option<bool>) -> AuditDescription {
    AuditDescription::new(
        action_of(role, disabled),
        json!({"user_id": id, "role": role, "disabled": disabled}),
    )
}

/// Applies `change` to user `id`, refusing to leave no active admin. The
/// user's live tokens stop working on their next request (their access
/// version changes and `principals` forgets the cached state). The row
/// says `user_id`, `email`, and the `role` / `disabled` asked for.
pub async fn change(
    db: &Db,
    principals: &PrincipalCache,
    id: i64,
    change: UserChange,
) -> Result<Audited<User>, AccountError> {
    let user = db.change_user(id, change.role, change.disabled).await?;
    principals.forget(PrincipalKind::User, id).await;
    let audit = AuditDescription::new(
        change.action(),
        json!({
            "user_id": id,
            "email": user.email,
            "role": change.role,
            "disabled": change.disabled,
        }),
    );
    tracing::info!(user = ?user.email, role = %user.role, disabled = user.disabled, "user changed");
    Ok(Audited { value: user, audit })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::{CONTROL_CHARACTERS, NAME_LENGTH};

    fn why<'a>(errors: &'a FieldErrors, field: &str) -> Option<&'a str> {
        errors.0.get(field).map(String::as_str)
    }

    const PASSWORD: &str = "a fine long password";

    fn parse(
        email: &str,
        name: Option<&str>,
        role: &str,
        password: &str,
    ) -> Result<NewUser, FieldErrors> {
        NewUser::parse(email, name, role, password.to_owned())
    }

    #[test]
    fn a_valid_user_is_normalised() {
        let user = parse(
            " Grace@Example.COM ",
            Some("  Grace Hopper "),
            "Analyst",
            PASSWORD,
        )
        .expect("valid");
        assert_eq!(user.email().as_str(), "grace@example.com");
        assert_eq!(user.display_name(), "Grace Hopper");
        assert_eq!(user.role(), Role::Analyst);
    }

    #[test]
    fn without_a_display_name_the_email_names_the_user() {
        let user = parse("Grace@Example.com", None, "viewer", PASSWORD).expect("valid");
        assert_eq!(user.display_name(), "grace");
        let refused = parse("nope", None, "viewer", PASSWORD).expect_err("bad email");
        assert_eq!(refused.0.keys().collect::<Vec<_>>(), ["email"]);
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let refused = parse("nope", Some(""), "root", "short").expect_err("invalid");
        assert_eq!(
            why(&refused, "email"),
            Some("must look like name@example.com")
        );
        assert_eq!(why(&refused, "display_name"), Some(NAME_LENGTH));
        assert!(why(&refused, "role").is_some_and(|m| m.contains("'root' is not a role")));
        assert_eq!(
            why(&refused, "password"),
            Some("must be at least 12 characters")
        );
    }

    #[test]
    fn a_display_name_with_control_characters_is_refused() {
        for name in ["Grace\u{1b}[2J", "Grace\u{202E}reppoH", "tab\there"] {
            let refused = parse("grace@example.com", Some(name), "viewer", PASSWORD)
                .expect_err("unsafe name");
            assert_eq!(
                why(&refused, "display_name"),
                Some(CONTROL_CHARACTERS),
                "{name:?}"
            );
        }
        let long = "x".repeat(101);
        let refused =
            parse("grace@example.com", Some(&long), "viewer", PASSWORD).expect_err("long");
        assert_eq!(why(&refused, "display_name"), Some(NAME_LENGTH));
    }

    #[test]
    fn a_change_asks_for_something_and_is_named_by_it() {
        assert!(matches!(
            UserChange::parse(None, None),
            Err(AccountError::NothingToChange)
        ));
        let action = |role, disabled| UserChange::parse(role, disabled).expect("change").action();
        assert_eq!(action(Some(Role::Admin), None), ROLE_CHANGED);
        assert_eq!(action(None, Some(true)), DISABLED);
        assert_eq!(action(None, Some(false)), ENABLED);
        assert_eq!(action(Some(Role::Viewer), Some(true)), CHANGED);
        assert_eq!(change_attempt(7, None, None).action, CHANGED);
        assert_eq!(
            change_attempt(7, Some(Role::Viewer), None).context,
            json!({"user_id": 7, "role": "viewer", "disabled": null})
        );
    }

    #[test]
    fn an_attempt_records_the_email_as_typed_but_trimmed() {
        let attempt = create_attempt("  Grace@Example.com ", Role::Viewer);
        assert_eq!(attempt.action, CREATED);
        assert_eq!(
            attempt.context,
            json!({"email": "Grace@Example.com", "role": "viewer"})
        );
    }
}
