//! How numbers and dates read on every page: money with its currency, dates in one
//! unambiguous form (UTC until users have a timezone setting).

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

/// `USD 9.99`: the amount keeps its currency's decimals, as the API sends them.
pub fn money(amount: Decimal, currency: &str) -> String {
    format!("{currency} {amount}")
}

/// `Dec 22, 2026`
pub fn date(at: DateTime<Utc>) -> String {
    at.format("%b %-d, %Y").to_string()
}

/// `Dec 22, 2026 14:05 UTC`, for hover titles.
pub fn date_time(at: DateTime<Utc>) -> String {
    at.format("%b %-d, %Y %H:%M UTC").to_string()
}

/// `value` as a URL query component: unreserved characters as they are, every other
/// byte as `%XX`.
pub fn query_component(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `2026-03` → `Mar 2026`; anything else is shown as it is.
pub fn month(key: &str) -> String {
    chrono::NaiveDate::parse_from_str(&format!("{key}-01"), "%Y-%m-%d")
        .map_or_else(|_| key.to_string(), |d| d.format("%b %Y").to_string())
}

/// "in 3 days", "today", "3 days ago", to the nearest day: 29 days and 23 hours away
/// reads "in 30 days", as a countdown that was just started should.
pub fn relative_days(at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let seconds = (at - now).num_seconds();
    let days = (seconds + seconds.signum() * 43_200) / 86_400;
    match days {
        0 => "today".into(),
        1 => "in 1 day".into(),
        -1 => "1 day ago".into(),
        d if d > 0 => format!("in {d} days"),
        d => format!("{} days ago", -d),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_components_escape_all_but_unreserved_characters() {
        assert_eq!(query_component("Ada L."), "Ada%20L.");
        assert_eq!(query_component("a&b=c/é"), "a%26b%3Dc%2F%C3%A9");
    }

    #[test]
    fn formats_read_the_same_everywhere() {
        let at: DateTime<Utc> = "2026-12-02T14:05:00Z".parse().unwrap();
        assert_eq!(date(at), "Dec 2, 2026");
        assert_eq!(date_time(at), "Dec 2, 2026 14:05 UTC");
        assert_eq!(money(Decimal::new(999, 2), "USD"), "USD 9.99");
        assert_eq!(
            relative_days(at + chrono::Duration::days(3), at),
            "in 3 days"
        );
        assert_eq!(
            relative_days(at - chrono::Duration::days(2), at),
            "2 days ago"
        );
        let almost_30 = chrono::Duration::days(30) - chrono::Duration::seconds(5);
        assert_eq!(relative_days(at + almost_30, at), "in 30 days");
        assert_eq!(relative_days(at + chrono::Duration::hours(11), at), "today");
    }
}
