//! `spawn_app()` and friends.

use std::{collections::BTreeMap, net::SocketAddr, time::Duration};

use app::api::{ApiClient, NewServiceAccount, Role};
use rstest_reuse::template;
use server::{config::Config, startup::Application};
use tokio::{sync::oneshot, task::JoinHandle};

/// A signing key for tests that run in production mode.
pub const TEST_JWT_SECRET: &str = "test-only-signing-key-0123456789abcdef";

/// Which database a test app runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs a behavioural test once per database, each its own test case
/// (`<test>::case_1_sqlite`, `<test>::case_2_postgres`), so a failure on one
/// does not hide the other's result:
/// `#[apply(each_backend)] #[tokio::test] async fn name(backend: Backend)`.
///
/// rstest evaluates a case's argument first thing in the generated test, so
/// without `TESSERA_TEST_POSTGRES_URL` the `return` below ends the
/// PostgreSQL case, passed, before it makes a database.
#[template]
#[rstest::rstest]
#[case::sqlite(crate::helpers::Backend::Sqlite)]
#[case::postgres(match crate::helpers::postgres_or_skip() { Some(backend) => backend, None => return })]
pub fn each_backend(#[case] backend: Backend) {}

/// PostgreSQL when `TESSERA_TEST_POSTGRES_URL` names a server; otherwise
/// `None`, after a one-line note on stderr.
pub fn postgres_or_skip() -> Option<Backend> {
    if postgres_admin_url().is_some() {
        Some(Backend::Postgres)
    } else {
        eprintln!("skipped: set TESSERA_TEST_POSTGRES_URL");
        None
    }
}

pub fn postgres_admin_url() -> Option<String> {
    std::env::var("TESSERA_TEST_POSTGRES_URL")
        .ok()
        .filter(|v| !v.is_empty())
}

/// A running server with its own database, stopped and cleaned up on drop.
pub struct TestApp {
    pub addr: SocketAddr,
    pub base: String,
    pub api: ApiClient,
    pub http: reqwest::Client,
    db: Option<TestDb>,
    shutdown: Option<oneshot::Sender<()>>,
    pub handle: Option<JoinHandle<anyhow::Result<()>>>,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Graceful shutdown, as on SIGTERM: the server's result, and the
    /// database, kept for a restart.
    pub async fn stop(mut self) -> (anyhow::Result<()>, TestDb) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let result = match self.handle.take() {
            Some(handle) => handle.await.map_err(anyhow::Error::from).and_then(|r| r),
            None => Ok(()),
        };
        (result, self.db.take().expect("database"))
    }

    /// The test database.
    pub fn db(&self) -> &TestDb {
        self.db.as_ref().expect("database")
    }
}

impl TestApp {
    /// Has `admin` create service account `name` with `role` and returns a
    /// client calling with its bearer token.
    pub async fn service_account_client(
        &self,
        admin: &ApiClient,
        name: &str,
        role: Role,
    ) -> ApiClient {
        let (_, token) = self.service_account_token(admin, name, role).await;
        self.api.clone().with_bearer(token)
    }

    /// Has `admin` create service account `name` with `role`: its id and
    /// an access token.
    pub async fn service_account_token(
        &self,
        admin: &ApiClient,
        name: &str,
        role: Role,
    ) -> (i64, String) {
        let created = admin
            .create_service_account(&NewServiceAccount {
                name: name.to_owned(),
                role,
            })
            .await
            .expect("service account");
        let token = self
            .api
            .token(&created.account.client_id, &created.client_secret)
            .await
            .expect("token");
        (created.account.id, token.access_token)
    }

    /// Signs in over plain HTTP and returns the `Cookie` header a browser
    /// would send afterwards (session and access cookies).
    pub async fn login_cookies(&self, email: &str, password: &str) -> String {
        let response = self
            .http
            .post(self.url("/api/v1/auth/login"))
            .json(&serde_json::json!({"email": email, "password": password}))
            .send()
            .await
            .expect("login");
        assert_eq!(response.status(), 200, "login as {email}");
        response
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok()?.split(';').next().map(str::to_owned))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// `GET /api/v1/me` with a browser's `Cookie` header: the status.
    pub async fn me_status(&self, cookies: &str) -> u16 {
        self.http
            .get(self.url("/api/v1/me"))
            .header("cookie", cookies)
            .send()
            .await
            .expect("send")
            .status()
            .as_u16()
    }

    /// Signs out the session of a browser's `Cookie` header: the status.
    pub async fn logout_status(&self, cookies: &str) -> u16 {
        self.http
            .post(self.url("/api/v1/auth/logout"))
            .header("cookie", cookies)
            .header("sec-fetch-site", "same-origin")
            .send()
            .await
            .expect("logout")
            .status()
            .as_u16()
    }

    /// Runs one SQL statement on the app's database, whichever backend.
    pub async fn execute_sql(&self, sql: &str) {
        match self.db().connect().await {
            server::storage::Db::Sqlite(pool) => sqlx::query(sql).execute(&pool).await.map(drop),
            server::storage::Db::Postgres(pool) => sqlx::query(sql).execute(&pool).await.map(drop),
        }
        .expect("execute SQL");
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, &[]).await
}

/// Starts the app with extra `TESSERA_*` settings.
pub async fn spawn_app_with(backend: Backend, settings: &[(&str, &str)]) -> TestApp {
    let db = TestDb::create(backend).await;
    spawn_on(db, settings).await
}

/// Starts the app on an existing test database.
pub async fn spawn_on(db: TestDb, settings: &[(&str, &str)]) -> TestApp {
    let mut app = start(&db.url, db.data_dir(), settings).await;
    app.db = Some(db);
    app
}

impl TestApp {
    /// Another instance on this app's database and data directory (so the
    /// same signing key), as behind a load balancer.
    pub async fn spawn_another(&self, settings: &[(&str, &str)]) -> TestApp {
        let db = self.db();
        start(&db.url, db.data_dir(), settings).await
    }
}

/// A test's request fails after this instead of hanging the whole run.
pub const REQUEST_DEADLINE: Duration = Duration::from_secs(60);

async fn start(url: &str, data_dir: &str, settings: &[(&str, &str)]) -> TestApp {
    // `TEST_LOG=tower_http=debug` (any filter) shows the server's log with
    // a failing test's output.
    if let Ok(filter) = std::env::var("TEST_LOG") {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
            .with_test_writer()
            .try_init();
    }
    let mut env = BTreeMap::from([
        ("TESSERA_BIND".to_owned(), "127.0.0.1:0".to_owned()),
        ("TESSERA_DATA_DIR".to_owned(), data_dir.to_owned()),
        ("TESSERA_SITE_ROOT".to_owned(), data_dir.to_owned()),
        ("TESSERA_DATABASE_URL".to_owned(), url.to_owned()),
        ("TESSERA_LOG".to_owned(), "warn".to_owned()),
        // Tests seed the orders they need; no scheduled refresh.
        ("TESSERA_DEMO_ORDERS".to_owned(), "0".to_owned()),
        ("TESSERA_REFRESH_INTERVAL".to_owned(), "off".to_owned()),
    ]);
    for (key, value) in settings {
        env.insert((*key).to_owned(), (*value).to_owned());
    }
    let config = Config::from_lookup(|key| env.get(key).cloned()).expect("valid test config");
    let app = Application::build(config)
        .await
        .expect("application builds");
    let addr = app.local_addr();
    let (tx, rx) = oneshot::channel::<()>();
    let handle = tokio::spawn(app.run_until_stopped(async move {
        let _ = rx.await;
    }));
    let base = format!("http://{addr}");
    TestApp {
        addr,
        api: ApiClient::new(base.clone()),
        base,
        http: reqwest::Client::builder()
            .timeout(REQUEST_DEADLINE)
            .build()
            .expect("an HTTP client"),
        db: None,
        shutdown: Some(tx),
        handle: Some(handle),
    }
}

/// A database that exists for one test: a SQLite file in a temp directory,
/// or a PostgreSQL database dropped on drop.
pub struct TestDb {
    /// The URL the app connects with (may be changed to go through a proxy).
    pub url: String,
    dir: tempfile::TempDir,
    pg_name: Option<String>,
}

impl TestDb {
    pub async fn create(backend: Backend) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        match backend {
            Backend::Sqlite => Self {
                url: format!("sqlite://{}", dir.path().join("tessera.db").display()),
                dir,
                pg_name: None,
            },
            Backend::Postgres => {
                let admin = postgres_admin_url().expect("TESSERA_TEST_POSTGRES_URL");
                let name = format!("tessera_test_{}", uuid::Uuid::new_v4().simple());
                let mut conn = pg_admin(&admin).await;
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&mut conn)
                    .await
                    .expect("create test database");
                Self {
                    url: database_url(&admin, &name),
                    dir,
                    pg_name: Some(name),
                }
            }
        }
    }

    /// Opens the test database the way the server does.
    pub async fn connect(&self) -> server::storage::Db {
        let settings = server::config::DatabaseSettings {
            url: server::storage::DatabaseUrl::parse(&self.url).expect("url"),
            max_connections: 2,
        };
        server::storage::Db::connect(&settings)
            .await
            .expect("connect")
    }

    pub fn data_dir(&self) -> &str {
        self.dir.path().to_str().expect("utf-8 temp path")
    }
}

/// `admin` with its database name replaced by `name`.
pub fn database_url(admin: &str, name: &str) -> String {
    let mut url = url::Url::parse(admin).expect("postgres url");
    url.set_path(name);
    url.to_string()
}

async fn pg_admin(admin: &str) -> sqlx::PgConnection {
    use sqlx::Connection;
    sqlx::PgConnection::connect(admin)
        .await
        .expect("connect to TESSERA_TEST_POSTGRES_URL")
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let (Some(name), Some(admin)) = (self.pg_name.take(), postgres_admin_url()) else {
            return;
        };
        // Drop runs inside the test's runtime; use a thread with its own.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async move {
                let mut conn = pg_admin(&admin).await;
                sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut conn)
                    .await
                    .map(drop)
            })
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!("warning: could not drop a test database");
        }
    }
}

/// Runs the `tessera` binary on `db`'s data directory against the database
/// at `url`, with `stdin` as its input, as operating-system user `ops`.
pub fn run_tessera(url: &str, db: &TestDb, args: &[&str], stdin: &str) -> std::process::Output {
    use std::{io::Write as _, process::Stdio};
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_tessera"))
        .args(args)
        .env("TESSERA_DATABASE_URL", url)
        .env("TESSERA_DATA_DIR", db.data_dir())
        .env("TESSERA_LOG", "warn")
        .env("USER", "ops")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn tessera");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("wait for tessera")
}

/// What a command printed, standard output then standard error.
pub fn output_text(output: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}
