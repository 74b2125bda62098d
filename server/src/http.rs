//! The accept loop: every connection speaks HTTP/1.1 to the one router.
//!
//! `axum::serve` is replaced for memory's sake (figures in docs/benchmarks.md,
//! session 19): its protocol-sniffing connection kept about 7 KB more per open
//! connection than hyper's HTTP/1 connection, and every request in flight held the
//! whole middleware stack's state, even while it only waited for a database
//! connection. Here at most [`MAX_IN_FLIGHT`] requests run the stack at once; the rest
//! wait, already parsed, before it. A request keeps its place while its handler reads
//! the body, so a body that stops arriving fails after [`BODY_IDLE_TIMEOUT`] instead of
//! holding the place for as long as its client likes.

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};
use tower::ServiceExt;
use tower_http::timeout::TimeoutBody;

/// Requests handled at once. The pools hold 4 (SQLite) or 16 (PostgreSQL) database
/// connections, so more requests than this only queue in a costlier place.
pub const MAX_IN_FLIGHT: usize = 64;

/// A client gets this long to send a request's headers (slow-loris protection).
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// The longest wait for the next part of a request's body, once its handler reads it (a
/// 5 MB avatar on a slow line still arrives in parts far closer together).
const BODY_IDLE_TIMEOUT: Duration = Duration::from_secs(30);

/// Serves `router` on `listener` until `shutdown` resolves, then stops accepting and
/// lets every open connection finish the request it is on.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    serve_with(listener, router, shutdown, BODY_IDLE_TIMEOUT).await
}

/// [`serve`] with the body's idle timeout given (short in tests).
async fn serve_with(
    listener: TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()>,
    body_idle_timeout: Duration,
) -> std::io::Result<()> {
    let permits = Arc::new(Semaphore::new(MAX_IN_FLIGHT));
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT);
    // Each connection task holds a receiver: `closed()` below waits for the last one.
    let (stopping, stop) = watch::channel(false);
    let mut shutdown = pin!(shutdown);
    loop {
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(error) => {
                    // Out of file descriptors and the like: wait instead of spinning.
                    tracing::warn!(%error, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        // A page is streamed in several writes as its parts resolve. With Nagle's
        // algorithm the last small write waits for the client's delayed ACK of the one
        // before (40 ms on Linux) on a kept-alive connection: the dashboard overview
        // took 44 ms alone instead of 6.
        if let Err(error) = stream.set_nodelay(true) {
            tracing::warn!(%error, "TCP_NODELAY could not be set");
        }
        // The peer's address goes into each request (`ConnectInfo`: sessions record it,
        // sign-in and password-reset throttling count by it), and each request waits
        // for a permit before the router sees it.
        let (router, permits) = (router.clone(), permits.clone());
        let service = hyper::service::service_fn(move |request: http::Request<Incoming>| {
            let (router, permits) = (router.clone(), permits.clone());
            async move {
                // The semaphore is never closed, so acquiring cannot fail.
                let _permit = permits.acquire().await;
                let mut request =
                    request.map(|body| Body::new(TimeoutBody::new(body_idle_timeout, body)));
                request.extensions_mut().insert(ConnectInfo(remote));
                router.oneshot(request).await
            }
        });
        let (mut stop, http) = (stop.clone(), http.clone());
        tokio::spawn(async move {
            let mut connection = pin!(http.serve_connection(TokioIo::new(stream), service));
            tokio::select! {
                _ = connection.as_mut() => return,
                _ = stop.changed() => connection.as_mut().graceful_shutdown(),
            }
            let _ = connection.await;
        });
    }
    drop(listener);
    drop(stop);
    let _ = stopping.send(true);
    stopping.closed().await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::get;
    use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
    use tokio::task::JoinSet;

    /// A router whose one route counts the requests inside it and holds each until
    /// `gate` gives it a permit.
    fn held_router(inside: Arc<AtomicUsize>, gate: Arc<Semaphore>) -> Router {
        Router::new().route(
            "/",
            get(move || async move {
                inside.fetch_add(1, SeqCst);
                let _pass = gate.acquire().await;
                inside.fetch_sub(1, SeqCst);
                "done"
            }),
        )
    }

    async fn until(what: impl Fn() -> bool) {
        for _ in 0..500 {
            if what() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("condition not reached in 5 s");
    }

    fn get_all(url: &str, n: usize) -> JoinSet<u16> {
        let client = reqwest::Client::new();
        let mut requests = JoinSet::new();
        for _ in 0..n {
            let (client, url) = (client.clone(), url.to_string());
            requests.spawn(async move { client.get(url).send().await.unwrap().status().as_u16() });
        }
        requests
    }

    #[tokio::test]
    async fn requests_past_the_limit_wait_outside_the_router_and_are_all_answered() {
        let (inside, gate) = (Arc::new(AtomicUsize::new(0)), Arc::new(Semaphore::new(0)));
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        let router = held_router(inside.clone(), gate.clone());
        tokio::spawn(serve(listener, router, std::future::pending()));

        let mut requests = get_all(&url, MAX_IN_FLIGHT + 40);
        until(|| inside.load(SeqCst) == MAX_IN_FLIGHT).await;
        // The other 40 are sent; without the limit they would be inside by now.
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert_eq!(inside.load(SeqCst), MAX_IN_FLIGHT);

        gate.add_permits(MAX_IN_FLIGHT + 40);
        let mut answered = 0;
        while let Some(status) = requests.join_next().await {
            assert_eq!(status.unwrap(), 200);
            answered += 1;
        }
        assert_eq!(answered, MAX_IN_FLIGHT + 40);
    }

    /// Sends a request's headers and the start of the body they announce, then stalls.
    async fn stalled_upload(addr: std::net::SocketAddr) -> tokio::net::TcpStream {
        use tokio::io::AsyncWriteExt;
        let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        stream
            .write_all(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc")
            .await
            .unwrap();
        stream
    }

    #[tokio::test]
    async fn bodies_that_stop_arriving_give_their_places_back() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let reading = Arc::new(AtomicUsize::new(0));
        let counter = reading.clone();
        let router = Router::new().route(
            "/",
            get(|| async { "done" }).post(move |request: axum::extract::Request| {
                counter.fetch_add(1, SeqCst);
                async move {
                    match axum::body::to_bytes(request.into_body(), usize::MAX).await {
                        Ok(_) => "read",
                        Err(_) => "stalled",
                    }
                }
            }),
        );
        let idle = Duration::from_millis(300);
        tokio::spawn(serve_with(listener, router, std::future::pending(), idle));

        // Every place is taken by a handler waiting for the rest of its body.
        let mut stalled = Vec::new();
        for _ in 0..MAX_IN_FLIGHT {
            stalled.push(stalled_upload(addr).await);
        }
        until(|| reading.load(SeqCst) == MAX_IN_FLIGHT).await;

        // The places come back once the bodies have been idle too long.
        let mut answered = get_all(&format!("http://{addr}/"), 1);
        let status = tokio::time::timeout(Duration::from_secs(5), answered.join_next())
            .await
            .expect("a request is answered once the stalled bodies time out");
        assert_eq!(status.unwrap().unwrap(), 200);
        // The stalled request itself was answered, its handler told of the stall.
        let first = &mut stalled[0];
        let reply = tokio::time::timeout(Duration::from_secs(5), async {
            use tokio::io::AsyncReadExt;
            let (mut reply, mut part) = (String::new(), [0u8; 512]);
            while !reply.ends_with("stalled") {
                let n = first.read(&mut part).await.unwrap();
                if n == 0 {
                    break;
                }
                reply.push_str(&String::from_utf8_lossy(&part[..n]));
            }
            reply
        })
        .await
        .expect("the stalled request is answered");
        assert!(reply.ends_with("stalled"), "{reply}");
    }

    #[tokio::test]
    async fn shutting_down_finishes_the_request_in_flight_first() {
        let (inside, gate) = (Arc::new(AtomicUsize::new(0)), Arc::new(Semaphore::new(0)));
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(serve(
            listener,
            held_router(inside.clone(), gate.clone()),
            async move {
                let _ = stopped.await;
            },
        ));

        let mut request = get_all(&url, 1);
        until(|| inside.load(SeqCst) == 1).await;
        stop.send(()).unwrap();
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert!(
            !server.is_finished(),
            "the server waits for the request in flight"
        );

        gate.add_permits(1);
        assert_eq!(request.join_next().await.unwrap().unwrap(), 200);
        tokio::time::timeout(Duration::from_secs(5), server)
            .await
            .expect("the server stops once the connection is done")
            .unwrap()
            .unwrap();
    }
}
