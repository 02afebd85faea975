//! Load generators for the warm phases: `connections` workers, each sending
//! one request after another on its own keep-alive connection, for a fixed
//! time.
//!
//! The server and the load generator share this machine's two cores, so
//! every microsecond the client spends is one the server does not get.
//! Two clients are offered (`TESSERA_BENCH_CLIENT`):
//!
//! - `hyper` (default): one bare hyper HTTP/1.1 connection per worker, as
//!   wrk or oha drive a server; it measures the server, not the client;
//! - `reqwest`: the pooled client other Rust services would use, which
//!   costs several times more CPU per request on this side.

use std::{
    net::SocketAddr,
    time::{Duration, Instant},
};

use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper::{
    client::conn::http1::{handshake, SendRequest},
    header, Request,
};
use hyper_util::rt::TokioIo;

/// Which client drives the load.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Client {
    /// Bare hyper connections.
    Hyper,
    /// A pooled reqwest client.
    Reqwest,
}

impl Client {
    /// From `TESSERA_BENCH_CLIENT` (`hyper` or `reqwest`; default hyper).
    pub fn from_env() -> Self {
        match std::env::var("TESSERA_BENCH_CLIENT").as_deref() {
            Ok("reqwest") => Client::Reqwest,
            _ => Client::Hyper,
        }
    }

    /// Its name in reports.
    pub fn name(self) -> &'static str {
        match self {
            Client::Hyper => "hyper (one bare HTTP/1.1 connection per worker)",
            Client::Reqwest => "reqwest (pooled)",
        }
    }
}

/// One keep-alive connection sending GETs.
struct Connection {
    sender: SendRequest<Empty<Bytes>>,
    host: String,
}

impl Connection {
    async fn open(addr: SocketAddr) -> Self {
        let stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
        stream.set_nodelay(true).expect("nodelay");
        let (sender, connection) = handshake(TokioIo::new(stream)).await.expect("handshake");
        tokio::spawn(connection);
        Self {
            sender,
            host: addr.to_string(),
        }
    }

    /// GET `path` with `headers`; panics unless 200.
    async fn get(&mut self, path: &str, headers: &[(&str, String)]) {
        let mut request = Request::get(path).header(header::HOST, &self.host);
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        let request = request.body(Empty::new()).expect("request");
        self.sender.ready().await.expect("connection ready");
        let response = self.sender.send_request(request).await.expect("send");
        assert_eq!(response.status(), 200, "{path}");
        response.into_body().collect().await.expect("body");
    }
}

/// `connections` workers asking `paths` (worker `w`'s `n`-th request asks
/// `paths[(w + n) % len]`) with `headers` for `seconds`: requests per
/// second and every latency.
pub async fn hammer(
    client: Client,
    addr: SocketAddr,
    connections: usize,
    paths: &[String],
    headers: &[(&'static str, String)],
    seconds: f64,
) -> (f64, Vec<Duration>) {
    let reqwest = reqwest::Client::builder()
        .pool_max_idle_per_host(connections)
        .build()
        .expect("client");
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let started = Instant::now();
    let workers: Vec<_> = (0..connections)
        .map(|worker| {
            let (paths, headers, reqwest) = (paths.to_vec(), headers.to_vec(), reqwest.clone());
            tokio::spawn(async move {
                let mut connection = match client {
                    Client::Hyper => Some(Connection::open(addr).await),
                    Client::Reqwest => None,
                };
                let mut samples = Vec::new();
                while Instant::now() < deadline {
                    let path = &paths[(worker + samples.len()) % paths.len()];
                    let start = Instant::now();
                    match &mut connection {
                        Some(connection) => connection.get(path, &headers).await,
                        None => reqwest_get(&reqwest, addr, path, &headers).await,
                    }
                    samples.push(start.elapsed());
                }
                samples
            })
        })
        .collect();
    let mut all = Vec::new();
    for worker in workers {
        all.extend(worker.await.expect("worker"));
    }
    (all.len() as f64 / started.elapsed().as_secs_f64(), all)
}

async fn reqwest_get(
    http: &reqwest::Client,
    addr: SocketAddr,
    path: &str,
    headers: &[(&str, String)],
) {
    let mut request = http.get(format!("http://{addr}{path}"));
    for (name, value) in headers {
        request = request.header(*name, value);
    }
    let response = request.send().await.expect("send");
    assert_eq!(response.status(), 200, "{path}");
    let _ = response.bytes().await;
}
