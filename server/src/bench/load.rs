//! The load client: many keep-alive connections on loopback, each sending one request
//! after another for a fixed time; latencies of every answer give p50 and p99.

use std::sync::Arc;
use std::time::{Duration, Instant};

/// Who sends a scenario's requests, as the server sees them.
#[derive(Clone)]
pub enum Caller {
    /// An API client without a token. It accepts gzip, as the HTTP clients of Go,
    /// Python (requests) and Node (fetch) do unless told otherwise.
    Anonymous,
    /// An API client with its bearer token, accepting gzip.
    Api(String),
    /// An API client with its bearer token that accepts no compression (curl's default).
    ApiUncompressed(String),
    /// A signed-in browser: its session cookie, and the encodings browsers accept.
    Browser(String),
}

impl Caller {
    fn headers(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match self {
            Caller::Anonymous => request.header("accept-encoding", "gzip"),
            Caller::Api(token) => request.bearer_auth(token).header("accept-encoding", "gzip"),
            Caller::ApiUncompressed(token) => request.bearer_auth(token),
            Caller::Browser(cookie) => request
                .header("cookie", cookie)
                .header("accept-encoding", "gzip, deflate, br, zstd"),
        }
    }
}

/// One scenario's figures.
#[derive(Clone, Debug, Default)]
pub struct Figures {
    pub requests: usize,
    /// Answers other than 2xx (they count in the latencies too).
    pub failures: usize,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub per_second: f64,
}

/// How long each scenario runs before its answers are counted. The first requests of a
/// scenario open the client's connections and, behind them, the server's database
/// connections with their prepared statements; a running server has done that long
/// before. Counted, they were most of the first members scenario's p99 on PostgreSQL
/// (`ab -k -c 32 -t 2` on a server just started: p99 37–44 ms, then 26–29 ms at once after).
pub const WARM_UP: Duration = Duration::from_millis(500);

/// Sends GETs to `urls` (round robin per connection) over `connections` connections
/// for `WARM_UP`, then for `length` counting every answer.
pub async fn drive(
    urls: &[String],
    caller: &Caller,
    connections: usize,
    length: Duration,
) -> Figures {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(connections)
        .timeout(Duration::from_secs(30))
        .build()
        .expect("an HTTP client");
    let urls = Arc::new(urls.to_vec());
    let counted_from = Instant::now() + WARM_UP;
    let deadline = counted_from + length;
    let mut workers = Vec::new();
    for n in 0..connections {
        let (client, urls, caller) = (client.clone(), urls.clone(), caller.clone());
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut failures = 0;
            let mut i = n;
            while Instant::now() < deadline {
                let url = &urls[i % urls.len()];
                i += 1;
                let request = caller.headers(client.get(url));
                let sent = Instant::now();
                let ok = match request.send().await {
                    Ok(response) => {
                        let ok = response.status().is_success();
                        ok && response.bytes().await.is_ok()
                    }
                    Err(_) => false,
                };
                if sent < counted_from {
                    continue;
                }
                latencies.push(sent.elapsed().as_micros() as u32);
                if !ok {
                    failures += 1;
                }
            }
            (latencies, failures)
        }));
    }
    let mut latencies = Vec::new();
    let mut failures = 0;
    for worker in workers {
        if let Ok((mine, failed)) = worker.await {
            latencies.extend(mine);
            failures += failed;
        }
    }
    let elapsed = counted_from.elapsed().as_secs_f64();
    latencies.sort_unstable();
    let at = |q: f64| {
        latencies
            .get(((latencies.len() as f64 - 1.0) * q).round() as usize)
            .map_or(0.0, |us| f64::from(*us) / 1000.0)
    };
    Figures {
        requests: latencies.len(),
        failures,
        p50_ms: at(0.50),
        p99_ms: at(0.99),
        per_second: latencies.len() as f64 / elapsed,
    }
}

/// The resident set of process `pid` in bytes (Linux), if it can be read.
pub fn rss_bytes(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}
