//! Input that failed validation, field by field. Every domain use case and
//! parameter parser reports bad input this way; the HTTP layer answers 400
//! with the map as `fields`, the command line prints one line per field.

use std::collections::BTreeMap;

use crate::audit::clean::is_unsafe;

/// Why text with control or bidirectional-text characters is refused.
pub const CONTROL_CHARACTERS: &str = "must not contain control or bidirectional-text characters";

/// Refuses text holding a control or bidirectional-text character (one the
/// audit log would have to escape): names, sign-in emails, client ids.
pub fn refuse_unsafe(text: &str) -> Result<(), String> {
    if text.chars().any(is_unsafe) {
        Err(CONTROL_CHARACTERS.to_owned())
    } else {
        Ok(())
    }
}

/// What is wrong with each field of some input (field name → message).
#[derive(Debug, Clone, Default, PartialEq, Eq, thiserror::Error)]
#[error("invalid input: {}", describe(.0))]
pub struct FieldErrors(pub BTreeMap<String, String>);

impl FieldErrors {
    /// Records `message` for `field` (the first message for a field wins).
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.entry(field.into()).or_insert_with(|| message.into());
    }

    /// `Ok(value)` when nothing was recorded, else `Err(self)`.
    pub fn finish<T>(self, value: T) -> Result<T, FieldErrors> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }

    /// True when no field has a problem.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

fn describe(fields: &BTreeMap<String, String>) -> String {
    let parts: Vec<_> = fields.iter().map(|(f, m)| format!("{f}: {m}")).collect();
    parts.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_message_per_field_wins_and_all_are_shown() {
        let mut errors = FieldErrors::default();
        errors.add("email", "is required");
        errors.add("email", "second");
        errors.add("role", "unknown");
        assert_eq!(errors.0["email"], "is required");
        assert_eq!(
            errors.to_string(),
            "invalid input: email: is required; role: unknown"
        );
        assert!(errors.finish(()).is_err());
        assert_eq!(FieldErrors::default().finish(7), Ok(7));
    }
}
