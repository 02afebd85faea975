//! `Debug` for the bodies that carry a secret (a password, a client
//! secret, an access token): every other field is shown, the secret never,
//! so a body logged with `?` leaks nothing.

use std::fmt;

use crate::{CreatedServiceAccount, LoginRequest, NewUser, TokenRequest, TokenResponse};

const REDACTED: &str = "[redacted]";

impl fmt::Debug for TokenRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenRequest")
            .field("client_id", &self.client_id)
            .field("client_secret", &REDACTED)
            .finish()
    }
}

impl fmt::Debug for TokenResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenResponse")
            .field("access_token", &REDACTED)
            .field("token_type", &self.token_type)
            .field("expires_in", &self.expires_in)
            .finish()
    }
}

impl fmt::Debug for LoginRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginRequest")
            .field("email", &self.email)
            .field("password", &REDACTED)
            .finish()
    }
}

impl fmt::Debug for NewUser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewUser")
            .field("email", &self.email)
            .field("display_name", &self.display_name)
            .field("role", &self.role)
            .field("password", &REDACTED)
            .finish()
    }
}

impl fmt::Debug for CreatedServiceAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreatedServiceAccount")
            .field("account", &self.account)
            .field("client_secret", &REDACTED)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Role;

    #[test]
    fn secrets_never_show_in_debug() {
        let shown = [
            format!(
                "{:?}",
                TokenRequest {
                    client_id: "svc_1".into(),
                    client_secret: "s3cret-a".into(),
                }
            ),
            format!(
                "{:?}",
                TokenResponse {
                    access_token: "s3cret-b".into(),
                    token_type: "Bearer".into(),
                    expires_in: 900,
                }
            ),
            format!(
                "{:?}",
                LoginRequest {
                    email: "ada@example.com".into(),
                    password: "s3cret-c".into(),
                }
            ),
            format!(
                "{:?}",
                NewUser {
                    email: "ada@example.com".into(),
                    display_name: "Ada".into(),
                    role: Role::Viewer,
                    password: "s3cret-d".into(),
                }
            ),
        ];
        for text in shown {
            assert!(!text.contains("s3cret"), "{text}");
            assert!(text.contains(REDACTED), "{text}");
        }
    }
}
