//! The client's address behind trusted proxies.

use std::net::IpAddr;

use axum::http::HeaderMap;

/// The client's address: the socket peer, or, when the peer is a trusted
/// proxy, the last `X-Forwarded-For` hop that is not itself trusted.
/// Addresses are compared in canonical form: an IPv4-mapped IPv6 peer
/// (`::ffff:10.0.0.1`, as a dual-stack socket reports IPv4 clients) is the
/// IPv4 address it carries.
pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    let peer = peer.to_canonical();
    let trusted_hop = |ip: &IpAddr| trusted.iter().any(|t| t.to_canonical() == *ip);
    if !trusted_hop(&peer) {
        return peer;
    }
    let forwarded = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|hop| hop.trim().parse::<IpAddr>().ok())
        .map(|hop| hop.to_canonical())
        .collect::<Vec<_>>();
    forwarded
        .into_iter()
        .rev()
        .find(|hop| !trusted_hop(hop))
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
    fn ipv4_mapped_peers_are_their_ipv4_address() {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", HeaderValue::from_static("1.2.3.4"));
        let trusted = [ip("10.0.0.1")];
        // A dual-stack socket reports an IPv4 proxy as ::ffff:10.0.0.1.
        assert_eq!(
            client_ip(ip("::ffff:10.0.0.1"), &headers, &trusted),
            ip("1.2.3.4")
        );
        assert_eq!(
            client_ip(ip("::ffff:10.0.0.9"), &headers, &trusted),
            ip("10.0.0.9")
        );
        // A trusted proxy written mapped, a mapped hop in the header.
        headers.insert(
            "x-forwarded-for",
            HeaderValue::from_static("::ffff:1.2.3.4, ::ffff:10.0.0.2"),
        );
        let trusted = [ip("10.0.0.1"), ip("::ffff:10.0.0.2")];
        assert_eq!(client_ip(ip("10.0.0.1"), &headers, &trusted), ip("1.2.3.4"));
    }
}
