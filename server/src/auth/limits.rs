//! Brute-force and flood limits on the credential endpoints (login, token):
//! per client IP (per /64 for IPv6) and per account, plus a cap on sign-ins
//! per instance, with the client IP taken from the socket unless the peer
//! is a configured trusted proxy. Sign-ins also need one of the password
//! [`Hashers`]' slots.
//!
//! The limiters keep fixed-size keys, never the caller's text: an account
//! name is counted by a truncated SHA-256 of its normalised form.
//!
//! The counters live in each instance's memory: behind a load balancer with
//! N instances an attacker gets at most N times the quota.

use std::{
    net::{IpAddr, Ipv6Addr},
    num::NonZeroU32,
    sync::atomic::{AtomicU64, Ordering},
    time::Duration,
};

use governor::{
    clock::Clock, DefaultDirectRateLimiter, DefaultKeyedRateLimiter, Quota, RateLimiter,
};
use sha2::{Digest, Sha256};

use super::password::Hashers;
use crate::config::{Config, LoginCapacity};

/// Default attempts per minute against one account (email or client id).
pub const PER_ACCOUNT_PER_MINUTE: u32 = 5;
/// One client IP may make this many times the per-account attempts.
pub const IP_FACTOR: u32 = 6;
/// Bytes of an account name that count; a longer name (no real one is) is
/// counted by its first this many bytes.
pub const MAX_ACCOUNT_BYTES: usize = 320;

/// Which credential an attempt presents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credential {
    /// A user's password: costs an argon2 run, so it also counts against
    /// the per-instance sign-in cap.
    Password,
    /// A service's client secret: a SHA-256 compare, limited per client and
    /// per account only.
    ServiceSecret,
}

/// What the limiters count an account by: the first 16 bytes of the
/// SHA-256 of its trimmed, lower-cased name (at most
/// [`MAX_ACCOUNT_BYTES`] of it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AccountKey([u8; 16]);

impl AccountKey {
    /// The key of `account` as typed.
    pub fn of(account: &str) -> Self {
        let trimmed = account.trim();
        let mut end = trimmed.len().min(MAX_ACCOUNT_BYTES);
        while !trimmed.is_char_boundary(end) {
            end -= 1;
        }
        let normalised = trimmed[..end].to_lowercase();
        let digest = Sha256::digest(normalised.as_bytes());
        let mut key = [0; 16];
        key.copy_from_slice(&digest[..16]);
        Self(key)
    }
}

/// The address a client is counted by: IPv4 as it is (also when written
/// as an IPv4-mapped IPv6 address), IPv6 by its /64 prefix, which one
/// subscriber usually holds whole.
pub fn ip_key(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => IpAddr::V6(Ipv6Addr::from(u128::from(v6) & !u128::from(u64::MAX))),
        v4 => v4,
    }
}

/// Keyed limiters for credential checks, the per-instance sign-in cap and
/// the password-hashing slots.
pub struct CredentialLimits {
    per_ip: DefaultKeyedRateLimiter<IpAddr>,
    per_account: DefaultKeyedRateLimiter<AccountKey>,
    sign_ins: DefaultDirectRateLimiter,
    hashers: Hashers,
    checks: AtomicU64,
}

impl std::fmt::Debug for CredentialLimits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CredentialLimits").finish_non_exhaustive()
    }
}

fn per_minute(n: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN))
}

/// `n` a minute, spread evenly, with at most ten seconds' worth at once.
fn spread_per_minute(n: u32) -> Quota {
    let n = NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN);
    let burst = NonZeroU32::new(n.get() / 6).unwrap_or(NonZeroU32::MIN);
    Quota::with_period(Duration::from_secs(60) / n.get())
        .unwrap_or_else(|| per_minute(n.get()))
        .allow_burst(burst)
}

impl Default for CredentialLimits {
    fn default() -> Self {
        let capacity = LoginCapacity::with_slots(super::password::cores());
        Self::with_capacity(PER_ACCOUNT_PER_MINUTE, capacity)
    }
}

impl CredentialLimits {
    /// `per_account` attempts a minute per account and [`IP_FACTOR`] times
    /// as many per client IP; `sign_ins` password attempts a minute on this
    /// instance; `hash_slots` password hashes at once.
    pub fn new(per_account: u32, sign_ins: u32, hash_slots: usize) -> Self {
        Self {
            per_ip: RateLimiter::keyed(per_minute(per_account.saturating_mul(IP_FACTOR))),
            per_account: RateLimiter::keyed(per_minute(per_account)),
            sign_ins: RateLimiter::direct(spread_per_minute(sign_ins)),
            hashers: Hashers::new(hash_slots),
            checks: AtomicU64::new(0),
        }
    }

    /// The limits `config` sets.
    pub fn from_config(config: &Config) -> Self {
        Self::with_capacity(config.login_attempts_per_minute, config.login_capacity)
    }

    fn with_capacity(per_account: u32, capacity: LoginCapacity) -> Self {
        Self::new(
            per_account,
            capacity.global_per_minute,
            usize::try_from(capacity.hash_concurrency).unwrap_or(1),
        )
    }

    /// The password-hashing slots sign-ins verify in.
    pub fn hashers(&self) -> &Hashers {
        &self.hashers
    }

    /// Counts one attempt; `Err(wait)` when a limit is exhausted. A
    /// password attempt the per-client and per-account limits let through
    /// also counts against the instance's sign-in cap.
    pub fn check(&self, ip: IpAddr, account: &str, kind: Credential) -> Result<(), Duration> {
        // Forget idle keys now and then so memory stays bounded.
        if self.checks.fetch_add(1, Ordering::Relaxed) % 1024 == 1023 {
            self.per_ip.retain_recent();
            self.per_account.retain_recent();
        }
        let by_ip = self.per_ip.check_key(&ip_key(ip));
        let by_account = self.per_account.check_key(&AccountKey::of(account));
        let now = self.per_ip.clock().now();
        let wait = |e: governor::NotUntil<_>| e.wait_time_from(now).max(Duration::from_secs(1));
        match (by_ip, by_account) {
            (Err(e), _) | (_, Err(e)) => Err(wait(e)),
            (Ok(()), Ok(())) if kind == Credential::Password => self.sign_ins.check().map_err(wait),
            (Ok(()), Ok(())) => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("ip")
    }

    #[test]
    fn limits_apply_per_account_and_per_ip() {
        let limits = CredentialLimits::default();
        let me = ip("192.0.2.1");
        let check = |ip, account| limits.check(ip, account, Credential::Password);
        for _ in 0..PER_ACCOUNT_PER_MINUTE {
            assert!(check(me, "Ada@example.com").is_ok());
        }
        let wait = check(me, " ada@example.com ").expect_err("account limit");
        assert!(wait >= Duration::from_secs(1));
        assert!(
            check(ip("192.0.2.2"), "ada@example.com").is_err(),
            "per account, whatever the IP"
        );
        assert!(
            check(me, "grace@example.com").is_ok(),
            "other accounts are fine"
        );
    }

    #[test]
    fn ipv6_clients_are_counted_per_64_prefix() {
        assert_eq!(ip_key(ip("::ffff:192.0.2.7")), ip("192.0.2.7"));
        assert_eq!(ip_key(ip("2001:db8:1:2:aaaa::1")), ip("2001:db8:1:2::"));
        assert_eq!(ip_key(ip("192.0.2.7")), ip("192.0.2.7"));
        let limits = CredentialLimits::new(1, 1000, 1);
        let per_ip = IP_FACTOR;
        for n in 0..per_ip {
            // A new address of the same /64, and a new account, each time.
            let me = ip(&format!("2001:db8:1:2::{:x}", n + 1));
            let account = format!("user{n}@example.com");
            assert!(limits.check(me, &account, Credential::Password).is_ok());
        }
        let next = ip("2001:db8:1:2:ffff:ffff:ffff:ffff");
        assert!(
            limits
                .check(next, "new@example.com", Credential::Password)
                .is_err(),
            "the /64 has used its quota"
        );
        let neighbour = ip("2001:db8:1:3::1");
        assert!(limits
            .check(neighbour, "other@example.com", Credential::Password)
            .is_ok());
    }

    #[test]
    fn account_keys_are_normalised_fixed_size_hashes() {
        assert_eq!(
            AccountKey::of("  Ada@Example.COM "),
            AccountKey::of("ada@example.com")
        );
        assert_ne!(
            AccountKey::of("ada@example.com"),
            AccountKey::of("grace@example.com")
        );
        assert_eq!(std::mem::size_of::<AccountKey>(), 16);
        // Past MAX_ACCOUNT_BYTES only the first bytes count, even when the
        // cut falls inside a character.
        let long = format!("{}{}", "é".repeat(MAX_ACCOUNT_BYTES), "tail");
        let longer = format!("{}{}", "é".repeat(MAX_ACCOUNT_BYTES), "other tail");
        assert_eq!(AccountKey::of(&long), AccountKey::of(&longer));
        let huge = "x".repeat(1 << 20);
        assert_eq!(
            AccountKey::of(&huge),
            AccountKey::of(&"X".repeat(MAX_ACCOUNT_BYTES))
        );
    }

    #[test]
    fn the_instance_caps_sign_ins_whoever_makes_them() {
        // 12 a minute: two at once, then one every 5 s.
        let limits = CredentialLimits::new(1, 12, 1);
        let check = |n: u8, account: &str| {
            limits.check(
                ip(&format!("198.51.100.{n}")),
                account,
                Credential::Password,
            )
        };
        assert!(check(1, "a@example.com").is_ok());
        // Refused per account: does not use up the instance's quota.
        assert!(check(2, "a@example.com").is_err());
        assert!(check(3, "b@example.com").is_ok());
        let wait = check(4, "c@example.com").expect_err("instance cap");
        assert!((Duration::from_secs(1)..=Duration::from_secs(5)).contains(&wait));
        // Service secrets are cheap to check and not capped per instance.
        let service = limits.check(ip("198.51.100.5"), "svc_x", Credential::ServiceSecret);
        assert!(service.is_ok());
    }

    #[test]
    fn the_configured_capacity_reaches_the_limits() {
        let env = std::collections::BTreeMap::from([
            ("TESSERA_PASSWORD_HASH_CONCURRENCY", "3"),
            ("TESSERA_LOGIN_ATTEMPTS_GLOBAL_PER_MINUTE", "6"),
        ]);
        let config = Config::from_lookup(|k| env.get(k).map(|v| (*v).to_owned())).expect("loads");
        let limits = CredentialLimits::from_config(&config);
        assert_eq!(limits.hashers().size(), 3);
        let first = limits.check(ip("192.0.2.1"), "a@example.com", Credential::Password);
        assert!(first.is_ok());
        let second = limits.check(ip("192.0.2.2"), "b@example.com", Credential::Password);
        assert!(second.is_err(), "6 a minute allows one at once");
    }
}
