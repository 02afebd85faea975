//! The scripted upstream: a bare TCP server (not axum) so that it can also
//! hang up without answering; it counts every request it reads.

use std::{
    collections::VecDeque,
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc, Mutex,
    },
    time::Duration,
};

use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
};

/// The Java service's flat summary.
pub(super) const GOOD: &str = r#"{"horizonDays":30,"forecastRevenue":81234.5,"orders":1234}"#;

/// What the fake upstream does with one request.
#[derive(Debug, Clone)]
pub(super) enum Reply {
    /// 200 with this JSON body.
    Json(&'static str),
    /// This status with a small JSON body.
    Status(u16),
    /// Closes the connection without answering.
    HangUp,
    /// Waits, then answers [`GOOD`].
    Slow(Duration),
    /// 200 with an HTML page.
    Garbage,
}

#[derive(Default)]
pub(super) struct Script {
    pub(super) first: VecDeque<Reply>,
    pub(super) then: Option<Reply>,
    pub(super) heads: Vec<String>,
}

/// A scripted upstream on port 0.
#[derive(Clone)]
pub(super) struct Fake {
    pub(super) base: String,
    pub(super) hits: Arc<AtomicUsize>,
    pub(super) script: Arc<Mutex<Script>>,
}

impl Fake {
    pub(super) async fn start(then: Reply) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let fake = Self {
            base: format!("http://{}", listener.local_addr().expect("addr")),
            hits: Arc::default(),
            script: Arc::new(Mutex::new(Script {
                then: Some(then),
                ..Script::default()
            })),
        };
        let server = fake.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(server.clone().serve(stream));
            }
        });
        fake
    }

    /// Replies given before the standing one, in order.
    pub(super) fn first(&self, replies: impl IntoIterator<Item = Reply>) {
        self.lock().first.extend(replies);
    }

    /// The standing reply.
    pub(super) fn then(&self, reply: Reply) {
        self.lock().then = Some(reply);
    }

    pub(super) fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }

    pub(super) fn last_head(&self) -> String {
        self.lock().heads.last().cloned().unwrap_or_default()
    }

    pub(super) fn lock(&self) -> std::sync::MutexGuard<'_, Script> {
        self.script.lock().expect("script")
    }

    pub(super) async fn serve(self, mut stream: TcpStream) {
        let mut head = Vec::new();
        let mut buf = [0u8; 1024];
        while !head.windows(4).any(|w| w == b"\r\n\r\n") {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => head.extend_from_slice(&buf[..n]),
            }
        }
        self.hits.fetch_add(1, Ordering::SeqCst);
        let reply = {
            let mut script = self.lock();
            script
                .heads
                .push(String::from_utf8_lossy(&head).into_owned());
            let then = script.then.clone().expect("a standing reply");
            script.first.pop_front().unwrap_or(then)
        };
        let (status, kind, body) = match reply {
            Reply::HangUp => return,
            Reply::Json(body) => (200, "application/json", body),
            Reply::Status(code) => (code, "application/json", r#"{"error":"boom"}"#),
            Reply::Slow(pause) => {
                tokio::time::sleep(pause).await;
                (200, "application/json", GOOD)
            }
            Reply::Garbage => (
                200,
                "text/html",
                "<html><body>Whitelabel Error Page</body></html>",
            ),
        };
        let response = format!(
            "HTTP/1.1 {status} X\r\ncontent-type: {kind}\r\ncontent-length: {}\r\n\
             connection: close\r\n\r\n{body}",
            body.len()
        );
        let _ = stream.write_all(response.as_bytes()).await;
        let _ = stream.shutdown().await;
    }
}
