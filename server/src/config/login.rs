//! Sign-in capacity: how many password hashes run at once and how many
//! sign-in attempts one instance takes a minute, all accounts together.

use super::{parse_with, ConfigError};

/// Sign-ins a minute each hashing slot admits by default: ten a second,
/// a third of a core at argon2id's 19 MiB, so a flood of sign-ins leaves
/// most of the CPU to everything else.
pub const ATTEMPTS_PER_SLOT_PER_MINUTE: u32 = 600;

/// Most password hashes at once that can be configured.
pub const MAX_HASH_CONCURRENCY: u32 = 256;

/// Most sign-in attempts a minute per instance that can be configured.
pub const MAX_GLOBAL_PER_MINUTE: u32 = 600_000;

/// Limits on the work sign-ins may cause on one instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginCapacity {
    /// Password hashes (19 MiB and a core each) running at once; more
    /// sign-ins wait briefly, then get 503.
    pub hash_concurrency: u32,
    /// Sign-in attempts a minute on this instance, whatever the account
    /// or client; more get 429.
    pub global_per_minute: u32,
}

impl LoginCapacity {
    /// `slots` hashes at once (clamped to 1..=[`MAX_HASH_CONCURRENCY`]) and
    /// [`ATTEMPTS_PER_SLOT_PER_MINUTE`] sign-ins a minute for each.
    pub fn with_slots(slots: usize) -> Self {
        let slots = u32::try_from(slots)
            .unwrap_or(MAX_HASH_CONCURRENCY)
            .clamp(1, MAX_HASH_CONCURRENCY);
        Self {
            hash_concurrency: slots,
            global_per_minute: slots * ATTEMPTS_PER_SLOT_PER_MINUTE,
        }
    }

    /// Reads `TESSERA_PASSWORD_HASH_CONCURRENCY` (default: `cores`) and
    /// `TESSERA_LOGIN_ATTEMPTS_GLOBAL_PER_MINUTE` (default:
    /// [`ATTEMPTS_PER_SLOT_PER_MINUTE`] per hashing slot).
    pub fn from_lookup(
        get: &impl Fn(&str) -> Option<String>,
        cores: usize,
    ) -> Result<Self, ConfigError> {
        let default = Self::with_slots(cores).hash_concurrency;
        let hash_concurrency = parse_with(
            get,
            "TESSERA_PASSWORD_HASH_CONCURRENCY",
            &default.to_string(),
            |v| whole(v, MAX_HASH_CONCURRENCY),
        )?;
        let derived = hash_concurrency * ATTEMPTS_PER_SLOT_PER_MINUTE;
        let global_per_minute = parse_with(
            get,
            "TESSERA_LOGIN_ATTEMPTS_GLOBAL_PER_MINUTE",
            &derived.to_string(),
            |v| whole(v, MAX_GLOBAL_PER_MINUTE),
        )?;
        Ok(Self {
            hash_concurrency,
            global_per_minute,
        })
    }
}

fn whole(raw: &str, max: u32) -> Result<u32, String> {
    match raw.parse::<u32>() {
        Ok(n) if (1..=max).contains(&n) => Ok(n),
        _ => Err(format!("expected a whole number from 1 to {max}")),
    }
}
