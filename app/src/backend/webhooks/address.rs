//! Where webhooks may go. A creator names the URL, so without a guard the server would
//! send requests into its own network (server-side request forgery): loopback, private,
//! link-local (which holds cloud metadata at 169.254.169.254), shared, multicast and
//! unspecified addresses are refused unless `ENCORA_WEBHOOKS_ALLOW_PRIVATE=1`. The
//! check runs when the endpoint is saved and again on every delivery, against the
//! addresses the name resolves to then, and the request goes to the address checked.

use reqwest::Url;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

/// A slow resolver must not hold a request (or a delivery) for long.
const RESOLVE_TIMEOUT: Duration = Duration::from_secs(5);

/// True for an address a webhook must not reach.
pub fn is_internal(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => internal_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => internal_v4(v4),
            None => internal_v6(v6),
        },
    }
}

fn internal_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        // Shared address space (carrier-grade NAT), 100.64.0.0/10.
        || (a == 100 && (64..128).contains(&b))
        // Benchmarking, 198.18.0.0/15, and the reserved 240.0.0.0/4.
        || (a == 198 && (b == 18 || b == 19))
        || a >= 240
}

fn internal_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        // Unique local fc00::/7 and link-local fe80::/10.
        || (first & 0xfe00) == 0xfc00
        || (first & 0xffc0) == 0xfe80
}

/// The URL as a webhook target, or why not (the message completes "The URL …").
pub fn parse(url: &str) -> Result<Url, &'static str> {
    let parsed = Url::parse(url).map_err(|_| "is not a valid absolute URL")?;
    if !matches!(parsed.scheme(), "https" | "http") {
        return Err("must start with https:// or http://");
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err("must not carry a user name or password");
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err("must name a host");
    }
    Ok(parsed)
}

/// The address to send to: the first the host resolves to, provided none of them is
/// internal (unless allowed).
pub async fn resolve(url: &Url, allow_private: bool) -> Result<SocketAddr, String> {
    let host = url.host_str().ok_or("the URL names no host")?;
    let port = url.port_or_known_default().ok_or("the URL has no port")?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let lookup = tokio::net::lookup_host((host, port));
    let addresses: Vec<SocketAddr> = tokio::time::timeout(RESOLVE_TIMEOUT, lookup)
        .await
        .map_err(|_| format!("{host} did not resolve in time"))?
        .map_err(|e| format!("{host} does not resolve ({e})"))?
        .collect();
    if addresses.is_empty() {
        return Err(format!("{host} does not resolve"));
    }
    if !allow_private && addresses.iter().any(|a| is_internal(a.ip())) {
        return Err(format!("{host} points at a private or reserved address"));
    }
    Ok(addresses[0])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn internal_addresses_are_recognized() {
        for internal in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
        ] {
            assert!(is_internal(ip(internal)), "{internal}");
        }
        for public in [
            "93.184.216.34",
            "1.1.1.1",
            "2606:4700:4700::1111",
            "100.128.0.1",
        ] {
            assert!(!is_internal(ip(public)), "{public}");
        }
    }

    #[test]
    fn only_plain_http_urls_are_targets() {
        assert!(parse("https://example.com/hooks").is_ok());
        assert!(parse("ftp://example.com/").is_err());
        assert!(parse("https://user:pw@example.com/").is_err());
        assert!(parse("/relative").is_err());
    }

    #[tokio::test]
    async fn literal_private_addresses_are_refused_unless_allowed() {
        let url = parse("http://127.0.0.1:9/hook").unwrap();
        assert!(resolve(&url, false).await.is_err());
        assert_eq!(resolve(&url, true).await.unwrap().port(), 9);
        let metadata = parse("http://169.254.169.254/latest/meta-data").unwrap();
        assert!(resolve(&metadata, false).await.is_err());
        let v6 = parse("http://[::1]:8080/").unwrap();
        assert!(resolve(&v6, false).await.is_err());
    }
}
