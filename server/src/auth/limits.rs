//! Brute-force limits on the credential endpoints (login, token): per client
//! IP and per account, with the client IP taken from the socket unless the
//! peer is a configured trusted proxy.
//!
//! The counters live in each instance's memory: behind a load balancer with
//! N instances an attacker gets at most N times the quota.

use std::{
    net::IpAddr,
    num::NonZeroU32,
    sync::atomic::{AtomicU64, Ordering},
    time::Duration,
};

use axum::http::HeaderMap;
use governor::{clock::Clock, DefaultKeyedRateLimiter, Quota, RateLimiter};

/// Default attempts per minute against one account (email or client id).
pub const PER_ACCOUNT_PER_MINUTE: u32 = 5;
/// One client IP may make this many times the per-account attempts.
pub const IP_FACTOR: u32 = 6;

/// Keyed limiters for credential checks.
pub struct CredentialLimits {
    per_ip: DefaultKeyedRateLimiter<IpAddr>,
    per_account: DefaultKeyedRateLimiter<String>,
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

impl Default for CredentialLimits {
    fn default() -> Self {
        Self::new(PER_ACCOUNT_PER_MINUTE)
    }
}

impl CredentialLimits {
    /// `per_account` attempts a minute per account, [`IP_FACTOR`] times as
    /// many per client IP.
    pub fn new(per_account: u32) -> Self {
        Self {
            per_ip: RateLimiter::keyed(per_minute(per_account.saturating_mul(IP_FACTOR))),
            per_account: RateLimiter::keyed(per_minute(per_account)),
            checks: AtomicU64::new(0),
        }
    }

    /// Counts one attempt; `Err(wait)` when either limit is exhausted.
    pub fn check(&self, ip: IpAddr, account: &str) -> Result<(), Duration> {
        // Forget idle keys now and then so memory stays bounded.
        if self.checks.fetch_add(1, Ordering::Relaxed) % 1024 == 1023 {
            self.per_ip.retain_recent();
            self.per_account.retain_recent();
        }
        let account = account.trim().to_lowercase();
        let by_ip = self.per_ip.check_key(&ip);
        let by_account = self.per_account.check_key(&account);
        let now = self.per_ip.clock().now();
        match (by_ip, by_account) {
            (Ok(()), Ok(())) => Ok(()),
            (Err(e), _) | (_, Err(e)) => Err(e.wait_time_from(now).max(Duration::from_secs(1))),
        }
    }
}

/// The client's address: the socket peer, or, when the peer is a trusted
/// proxy, the last `X-Forwarded-For` hop that is not itself trusted.
pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let forwarded = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|hop| hop.trim().parse::<IpAddr>().ok())
        .collect::<Vec<_>>();
    forwarded
        .into_iter()
        .rev()
        .find(|hop| !trusted.contains(hop))
        .unwrap_or(peer)
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("ip")
    }

    #[test]
    fn forged_forwarded_for_from_an_untrusted_peer_changes_nothing() {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", HeaderValue::from_static("1.2.3.4"));
        assert_eq!(client_ip(ip("10.0.0.9"), &headers, &[]), ip("10.0.0.9"));
        assert_eq!(
            client_ip(ip("10.0.0.9"), &headers, &[ip("10.0.0.1")]),
            ip("10.0.0.9")
        );
    }

    #[test]
    fn a_trusted_proxy_passes_on_the_last_untrusted_hop() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            HeaderValue::from_static("6.6.6.6, 1.2.3.4, 10.0.0.2"),
        );
        let trusted = [ip("10.0.0.1"), ip("10.0.0.2")];
        // The client may prepend anything; only the hop our proxies saw counts.
        assert_eq!(client_ip(ip("10.0.0.1"), &headers, &trusted), ip("1.2.3.4"));
        assert_eq!(
            client_ip(ip("10.0.0.1"), &HeaderMap::new(), &trusted),
            ip("10.0.0.1")
        );
    }

    #[test]
    fn limits_apply_per_account_and_per_ip() {
        let limits = CredentialLimits::default();
        let me = ip("192.0.2.1");
        for _ in 0..PER_ACCOUNT_PER_MINUTE {
            assert!(limits.check(me, "Ada@example.com").is_ok());
        }
        let wait = limits
            .check(me, "ada@example.com")
            .expect_err("account limit");
        assert!(wait >= Duration::from_secs(1));
        assert!(
            limits.check(ip("192.0.2.2"), "ada@example.com").is_err(),
            "per account, whatever the IP"
        );
        assert!(
            limits.check(me, "grace@example.com").is_ok(),
            "other accounts are fine"
        );
    }
}
