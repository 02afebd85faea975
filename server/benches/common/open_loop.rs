//! Load at a fixed arrival rate (open loop) over keep-alive HTTP/1.1
//! connections, with latency quantiles and this process's memory.

use std::{
    net::SocketAddr,
    sync::{
        atomic::{AtomicBool, AtomicU64, Ordering},
        Arc, Mutex,
    },
    time::Duration,
};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::{
    client::conn::http1::{handshake, SendRequest},
    Request,
};
use hyper_util::rt::TokioIo;

/// Idle keep-alive connections to the server, shared by a load's requests.
#[derive(Clone)]
pub struct Pool {
    addr: SocketAddr,
    idle: Arc<Mutex<Vec<SendRequest<Full<Bytes>>>>>,
}

impl Pool {
    pub fn new(addr: SocketAddr) -> Self {
        Self {
            addr,
            idle: Arc::default(),
        }
    }

    /// Sends `request` on an idle connection (or a new one): the status,
    /// or 0 when the connection failed.
    pub async fn send(&self, request: Request<Full<Bytes>>) -> u16 {
        let idle = self.idle.lock().expect("pool").pop();
        let mut sender = match idle {
            Some(sender) => sender,
            None => {
                let stream = tokio::net::TcpStream::connect(self.addr)
                    .await
                    .expect("connect");
                stream.set_nodelay(true).expect("nodelay");
                let (sender, connection) =
                    handshake(TokioIo::new(stream)).await.expect("handshake");
                tokio::spawn(connection);
                sender
            }
        };
        if sender.ready().await.is_err() {
            return 0;
        }
        let Ok(response) = sender.send_request(request).await else {
            return 0;
        };
        let status = response.status().as_u16();
        if response.into_body().collect().await.is_ok() {
            self.idle.lock().expect("pool").push(sender);
        }
        status
    }
}

/// Sends `make(n)` at `rate` a second for `seconds`, each at its scheduled
/// time whatever the earlier ones are doing: every status with its latency
/// counted from the scheduled time.
pub async fn open_loop(
    pool: Pool,
    rate: f64,
    seconds: f64,
    make: impl Fn(u64) -> Request<Full<Bytes>>,
) -> Vec<(u16, Duration)> {
    let period = Duration::from_secs_f64(1.0 / rate);
    let count = (rate * seconds) as u64;
    let start = tokio::time::Instant::now();
    let mut tasks = Vec::with_capacity(usize::try_from(count).unwrap_or(0));
    for n in 0..count {
        let scheduled = start + period.mul_f64(n as f64);
        tokio::time::sleep_until(scheduled).await;
        let (pool, request) = (pool.clone(), make(n));
        tasks.push(tokio::spawn(async move {
            let status = pool.send(request).await;
            (status, scheduled.elapsed())
        }));
    }
    let mut outcomes = Vec::with_capacity(tasks.len());
    for task in tasks {
        outcomes.push(task.await.expect("request task"));
    }
    outcomes
}

/// This process's resident memory in bytes (`VmRSS`), or 0 without `/proc`.
pub fn resident() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
            line.split_whitespace().nth(1)?.parse::<u64>().ok()
        })
        .map_or(0, |kib| kib * 1024)
}

/// Samples [`resident`] every 20 ms until stopped: the highest seen.
pub fn watch_memory() -> (Arc<AtomicBool>, tokio::task::JoinHandle<u64>) {
    let stop = Arc::new(AtomicBool::new(false));
    let peak = Arc::new(AtomicU64::new(resident()));
    let handle = tokio::spawn({
        let stop = Arc::clone(&stop);
        async move {
            while !stop.load(Ordering::Relaxed) {
                peak.fetch_max(resident(), Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            peak.load(Ordering::Relaxed)
        }
    });
    (stop, handle)
}

pub fn quantile(sorted: &[Duration], q: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

pub fn mib(bytes: u64) -> String {
    format!("{:.0} MiB", bytes as f64 / (1024.0 * 1024.0))
}

pub fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}
