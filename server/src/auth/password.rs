//! Password hashing with argon2id (OWASP parameters: 19 MiB, 2 passes, 1 lane).
//! Hashing is CPU-bound, so it runs on the blocking pool, and each run holds
//! 19 MiB and a core: [`Hashers`] hands out one slot per core, so a flood
//! of sign-ins is turned away ([`Busy`]) instead of queueing hundreds of
//! hashes. Verifying an unknown account still costs one verification, against
//! a dummy hash (in a slot like any other), so response times do not reveal
//! which emails exist.

use std::{
    sync::{Arc, LazyLock},
    time::Duration,
};

use argon2::{
    password_hash::{
        rand_core::OsRng, PasswordHash as Phc, PasswordHasher, PasswordVerifier, SaltString,
    },
    Algorithm, Argon2, Params, Version,
};
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::email::Email;
pub use crate::config::secrets::{Password, MAX_LEN, MIN_LEN};
use crate::storage::{Db, User};

fn hasher() -> Argon2<'static> {
    // 19 MiB, t=2, p=1: valid constants, so `new` cannot fail.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// A stored argon2id hash in PHC format.
#[derive(Clone)]
pub struct PasswordHash(SecretString);

impl PasswordHash {
    /// Wraps a hash read from the database.
    pub fn from_stored(phc: String) -> Self {
        Self(SecretString::from(phc))
    }

    /// The PHC string, for storing.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl std::fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordHash([redacted])")
    }
}

/// The user with `email` and their password hash (wrapped as soon as it is
/// read), if any.
pub async fn user_with_password(
    db: &Db,
    email: &Email,
) -> Result<Option<(User, PasswordHash)>, sqlx::Error> {
    let found = db.user_with_password(email.as_str()).await?;
    Ok(found.map(|(user, phc)| (user, PasswordHash::from_stored(phc))))
}

/// How long a sign-in waits for a free hashing slot before it is turned
/// away: long enough to absorb a few people signing in at once, short
/// enough that a flood keeps only a handful of waiters per slot.
pub const SLOT_WAIT: Duration = Duration::from_millis(500);

/// What a sign-in turned away for lack of a slot is told to wait.
pub const BUSY_RETRY_AFTER: Duration = Duration::from_secs(1);

/// Every hashing slot stayed taken for [`SLOT_WAIT`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("every password-hashing slot is busy")]
pub struct Busy;

pub use crate::config::cores;

/// Slots for argon2 runs: at most this many hash at once (one per core by
/// default), each holding 19 MiB for its run.
#[derive(Debug, Clone)]
pub struct Hashers {
    slots: Arc<Semaphore>,
    size: usize,
}

impl Hashers {
    /// `slots` hashes at once (at least one).
    pub fn new(slots: usize) -> Self {
        let size = slots.max(1);
        Self {
            slots: Arc::new(Semaphore::new(size)),
            size,
        }
    }

    /// How many hashes may run at once.
    pub fn size(&self) -> usize {
        self.size
    }

    /// A slot for one verification, if one frees up within [`SLOT_WAIT`].
    pub async fn slot(&self) -> Result<HashSlot, Busy> {
        if let Ok(permit) = Arc::clone(&self.slots).try_acquire_owned() {
            return Ok(HashSlot { _permit: permit });
        }
        match tokio::time::timeout(SLOT_WAIT, Arc::clone(&self.slots).acquire_owned()).await {
            Ok(Ok(_permit)) => Ok(HashSlot { _permit }),
            _ => Err(Busy),
        }
    }

    /// Hashes `password` with a fresh salt, waiting as long as it takes for
    /// a slot (account creation is rare and must not fail for load).
    pub async fn hash(&self, password: Password) -> anyhow::Result<PasswordHash> {
        let permit = Arc::clone(&self.slots).acquire_owned().await?;
        tokio::task::spawn_blocking(move || {
            let _slot = permit;
            hash_blocking(&password)
        })
        .await?
    }
}

/// The right to run one argon2 verification now.
pub struct HashSlot {
    _permit: OwnedSemaphorePermit,
}

impl std::fmt::Debug for HashSlot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HashSlot")
    }
}

impl HashSlot {
    /// Whether `password` matches `stored`. With `None` (unknown account) it
    /// verifies against a dummy hash and returns false. The slot is held by
    /// the blocking task itself, so it stays taken until the hash is done
    /// even when the request is dropped half-way.
    pub async fn verify(self, password: Password, stored: Option<PasswordHash>) -> bool {
        tokio::task::spawn_blocking(move || {
            let _slot = self;
            verify_blocking(&password, stored)
        })
        .await
        .unwrap_or(false)
    }
}

/// The slots [`hash`] waits on: one per core, shared by the whole process.
static SHARED: LazyLock<Hashers> = LazyLock::new(|| Hashers::new(cores()));

/// Hashes `password` with a fresh salt, off the async threads, waiting for
/// one of the process-wide slots (the CLI and demo seeding; a running
/// server's admin API uses its sign-in [`Hashers`]).
pub async fn hash(password: Password) -> anyhow::Result<PasswordHash> {
    SHARED.hash(password).await
}

/// The process-wide slots behind [`hash`], for a use case run outside a
/// server (the command line).
pub fn process_hashers() -> &'static Hashers {
    &SHARED
}

/// Whether `password` matches `stored` (see [`HashSlot::verify`]), waiting
/// as long as it takes for one of the process-wide slots: for tools and
/// tests. Sign-ins take a [`Hashers::slot`] instead, which can refuse.
pub async fn verify(password: Password, stored: Option<PasswordHash>) -> bool {
    match Arc::clone(&SHARED.slots).acquire_owned().await {
        Ok(_permit) => HashSlot { _permit }.verify(password, stored).await,
        Err(_) => false,
    }
}

fn hash_blocking(password: &Password) -> anyhow::Result<PasswordHash> {
    let salt = SaltString::generate(&mut OsRng);
    let phc = hasher()
        .hash_password(password.expose().as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("hashing failed: {e}"))?;
    Ok(PasswordHash(SecretString::from(phc.to_string())))
}

/// A hash of a random password with the same parameters, verified against
/// when the account does not exist so that both paths cost the same.
static DUMMY_HASH: LazyLock<PasswordHash> = LazyLock::new(|| {
    let random = Password::generated(super::secret::random_token(24));
    hash_blocking(&random).unwrap_or_else(|_| PasswordHash::from_stored(String::new()))
});

fn verify_blocking(password: &Password, stored: Option<PasswordHash>) -> bool {
    let known = stored.is_some();
    let phc = stored.unwrap_or_else(|| DUMMY_HASH.clone());
    let matches = Phc::new(phc.expose()).is_ok_and(|parsed| {
        hasher()
            .verify_password(password.expose().as_bytes(), &parsed)
            .is_ok()
    });
    known && matches
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pw(raw: &str) -> Password {
        Password::parse(raw.to_owned()).expect("valid password")
    }

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let stored = hash(pw("correct horse battery")).await.expect("hash");
        assert!(stored
            .expose()
            .starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify(pw("correct horse battery"), Some(stored.clone())).await);
        assert!(!verify(pw("wrong horse battery"), Some(stored.clone())).await);
        let hashers = Hashers::new(1);
        let slot = hashers.slot().await.expect("a free slot");
        assert!(slot.verify(pw("correct horse battery"), Some(stored)).await);
    }

    #[tokio::test]
    async fn unknown_accounts_never_verify() {
        assert!(!verify(pw("correct horse battery"), None).await);
        let slot = Hashers::new(1).slot().await.expect("a free slot");
        assert!(!slot.verify(pw("correct horse battery"), None).await);
    }

    #[tokio::test]
    async fn a_verification_past_the_slots_is_turned_away_after_a_short_wait() {
        let hashers = Hashers::new(1);
        assert_eq!(hashers.size(), 1);
        let held = hashers.slot().await.expect("the one slot");
        let started = std::time::Instant::now();
        assert_eq!(hashers.slot().await.err(), Some(Busy));
        assert!(started.elapsed() >= SLOT_WAIT);
        drop(held);
        assert!(hashers.slot().await.is_ok(), "a freed slot is handed out");
    }

    #[tokio::test]
    async fn a_waiting_verification_gets_the_slot_as_it_frees_up() {
        let hashers = Hashers::new(1);
        let held = hashers.slot().await.expect("the one slot");
        let waiter = tokio::spawn({
            let hashers = hashers.clone();
            async move { hashers.slot().await.map(drop) }
        });
        tokio::time::sleep(SLOT_WAIT / 5).await;
        drop(held);
        assert_eq!(waiter.await.expect("join"), Ok(()));
    }

    #[tokio::test]
    async fn the_slot_stays_taken_until_the_hash_is_done_even_if_the_caller_gives_up() {
        let hashers = Hashers::new(1);
        let slot = hashers.slot().await.expect("the one slot");
        // The caller (a cancelled request) drops the future at once; the
        // blocking hash still runs and holds the slot.
        let verification = tokio::spawn(slot.verify(pw("correct horse battery"), None));
        tokio::task::yield_now().await;
        verification.abort();
        assert_eq!(
            hashers.slots.available_permits(),
            0,
            "released before the hash ended"
        );
        // Once the hash ends the slot comes back.
        drop(hashers.slots.acquire().await.expect("the slot again"));
    }

    #[test]
    fn at_least_one_slot() {
        assert_eq!(Hashers::new(0).size(), 1);
        assert!(cores() >= 1);
    }

    #[test]
    fn length_limits_apply() {
        assert!(Password::parse("short".into()).is_err());
        assert!(Password::parse("x".repeat(MAX_LEN + 1)).is_err());
    }

    #[test]
    fn debug_is_redacted() {
        assert_eq!(
            format!("{:?}", pw("correct horse battery")),
            "Password([redacted])"
        );
        let stored = PasswordHash::from_stored("$argon2id$secret".into());
        assert_eq!(format!("{stored:?}"), "PasswordHash([redacted])");
    }
}
