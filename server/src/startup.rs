//! Building and running the application: database, migrations, router,
//! listener. Tests call [`Application::build`] with port 0.

use std::{
    future::Future,
    net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr},
    sync::Arc,
    time::Duration,
};

use anyhow::Context;
use axum::{
    http::{header, HeaderValue},
    middleware, Router,
};
use leptos::config::LeptosOptions;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tokio::net::TcpListener;
use tower::ServiceBuilder;
use tower_http::{
    compression::CompressionLayer, sensitive_headers::SetSensitiveRequestHeadersLayer,
    set_header::SetResponseHeaderLayer, trace::TraceLayer,
};

use crate::{
    analytics::Analytics,
    audit::Audit,
    auth::{
        jwt::JwtKeys, keyring::key_ring, limits::CredentialLimits, principal_cache::PrincipalCache,
    },
    config::{Config, Mode},
    demo,
    http::{
        access_log::{access_log, request_span},
        api_router,
        error::layer as error_layer,
        middleware::{
            render_key::RenderKey,
            request_id,
            security_headers::{self, with_security_headers, EVERY_ANSWER},
        },
        probe::WithProbe,
        session_layer, with_request_limits, AppState, Shared,
    },
    jobs::{
        retention,
        worker::{self, JobContext},
    },
    source::Source,
    storage::Db,
    upstream::Upstream,
};

/// Longest wait for pooled connections to come back when closing the pool.
const POOL_CLOSE_TIMEOUT: Duration = Duration::from_secs(5);

/// A configured instance whose listener is bound but not yet serving.
pub struct Application {
    listener: TcpListener,
    local_addr: SocketAddr,
    router: WithProbe<Router>,
    db: Db,
    shutdown_timeout: Duration,
    background: Vec<tokio::task::JoinHandle<()>>,
    audit: Audit,
    audit_writer: Option<tokio::task::JoinHandle<()>>,
}

impl Application {
    /// Connects to and migrates the database, seeds demo content on a demo
    /// installation's first start, and binds the listener.
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        let db = connect_and_migrate(&config).await?;
        if config.mode == Mode::Demo {
            demo::seed_on_first_start(&db, &config)
                .await
                .context("seeding demo content failed")?;
            demo::seed_orders_on_first_start(&db, &config)
                .await
                .context("seeding demo orders failed")?;
        }
        let analytics = Arc::new(Analytics::new(&config.analytics));
        analytics
            .dataset
            .sync(&db)
            .await
            .context("reading the dataset version")?;
        let mut background = vec![
            analytics
                .dataset
                .spawn_poller(db.clone(), config.analytics.version_poll),
            analytics
                .dataset
                .spawn_refresher(db.clone(), config.analytics.refresh_interval),
            retention::spawn_sweeper(db.clone(), config.jobs.clone(), config.data_dir.clone()),
            analytics.sketches.spawn_warmer(
                db.clone(),
                analytics.dataset.clone(),
                config.analytics.version_poll,
            ),
        ];
        let source = (config.source.clone().map(Source::new).transpose())
            .context("TESSERA_SOURCE_URL cannot be used")?
            .map(Arc::new);
        if let Some(source) = &source {
            background.push(source.spawn_puller(db.clone(), analytics.clone()));
        }
        background.extend(worker::spawn_workers(
            job_context(&db, &config, &analytics),
            config.jobs.workers,
        ));
        let listener = TcpListener::bind(config.http.bind)
            .await
            .with_context(|| format!("cannot listen on {} (TESSERA_BIND)", config.http.bind))?;
        let local_addr = listener.local_addr()?;
        let shutdown_timeout = config.http.shutdown_timeout;
        let keys = Arc::new(key_ring(&config).context("loading the JWT signing key")?);
        let (audit, audit_writer) = if config.audit {
            let (audit, writer) = Audit::start(db.clone());
            (audit, Some(writer))
        } else {
            (Audit::disabled(), None)
        };
        let services = Services {
            db: db.clone(),
            keys,
            analytics,
            audit: audit.clone(),
            source,
            upstream: (config.upstream.as_ref().map(Upstream::new).transpose())
                .context("building the upstream HTTP client")?
                .map(Arc::new),
        };
        let router = router(Arc::new(config), services, local_addr);
        Ok(Self {
            listener,
            local_addr,
            router,
            db,
            shutdown_timeout,
            background,
            audit,
            audit_writer,
        })
    }

    /// The port actually bound (useful with port 0).
    pub fn port(&self) -> u16 {
        self.local_addr.port()
    }

    /// The address actually bound.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// Serves until `shutdown` resolves, then stops accepting connections,
    /// lets in-flight requests finish (at most the shutdown timeout) and
    /// closes the database pool.
    pub async fn run_until_stopped<F>(self, shutdown: F) -> anyhow::Result<()>
    where
        F: Future<Output = ()> + Send + 'static,
    {
        let (began_tx, began_rx) = tokio::sync::oneshot::channel::<()>();
        let server = axum::serve(
            self.listener,
            axum::ServiceExt::<axum::extract::Request>::into_make_service_with_connect_info::<
                SocketAddr,
            >(self.router),
        )
        .with_graceful_shutdown(async move {
            shutdown.await;
            tracing::info!("shutting down: finishing in-flight requests");
            let _ = began_tx.send(());
        });
        let timeout = self.shutdown_timeout;
        let deadline = async move {
            match began_rx.await {
                Ok(()) => tokio::time::sleep(timeout).await,
                Err(_) => std::future::pending().await,
            }
        };
        tokio::select! {
            result = server => result.context("the HTTP server failed")?,
            () = deadline => tracing::warn!(?timeout, "in-flight requests outlived the shutdown timeout"),
        }
        self.background.iter().for_each(|task| task.abort());
        // Every answered request has queued its audit row; write them all.
        self.audit.shutdown().await;
        if let Some(writer) = self.audit_writer {
            let _ = writer.await;
        }
        if tokio::time::timeout(POOL_CLOSE_TIMEOUT, self.db.close())
            .await
            .is_err()
        {
            tracing::warn!("database pool did not close in time");
        }
        tracing::info!("stopped");
        Ok(())
    }
}

/// What job workers need, from the configuration and shared services.
pub fn job_context(db: &Db, config: &Config, analytics: &Arc<Analytics>) -> Arc<JobContext> {
    Arc::new(JobContext {
        db: db.clone(),
        settings: config.jobs.clone(),
        analytics: Arc::clone(analytics),
        data_dir: config.data_dir.clone(),
    })
}

/// Opens the database named by the configuration and applies migrations.
pub async fn connect_and_migrate(config: &Config) -> anyhow::Result<Db> {
    let url = &config.database.url;
    let db = Db::connect(&config.database)
        .await
        .with_context(|| format!("cannot open the database at {url} (TESSERA_DATABASE_URL)"))?;
    db.migrate()
        .await
        .with_context(|| format!("migrating the database at {url} failed"))?;
    tracing::info!(backend = db.backend().as_str(), database = %url, "database ready");
    Ok(db)
}

/// The shared services the API state is built from.
struct Services {
    db: Db,
    keys: Arc<JwtKeys>,
    analytics: Arc<Analytics>,
    audit: Audit,
    source: Option<Arc<Source>>,
    upstream: Option<Arc<Upstream>>,
}

/// The whole HTTP surface: `/api` (JSON), the server-rendered pages, the
/// static site files, and the layers every request passes through.
fn router(config: Arc<Config>, services: Services, local_addr: SocketAddr) -> WithProbe<Router> {
    let Services {
        db,
        keys,
        analytics,
        audit,
        source,
        upstream,
    } = services;
    let leptos_options = leptos_options(&config, local_addr);
    let routes = route_list();
    // Pages rendered on the server fetch their data through the same REST
    // API as the browser, over loopback to this very instance.
    let api = app::api::ApiClient::new(format!("http://{}", loopback(local_addr)));
    let context = move || {
        leptos::prelude::provide_context(api.clone());
        security_headers::provide_page_nonce();
    };
    let pages = Router::new()
        .leptos_routes_with_context(&leptos_options, routes, context.clone(), {
            let options = leptos_options.clone();
            move || app::shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context(
            context,
            app::shell,
        ))
        .with_state(leptos_options)
        .layer(middleware::from_fn(security_headers::page_nonce));

    let state = AppState::new(Shared {
        db,
        config: Arc::clone(&config),
        keys,
        limits: Arc::new(CredentialLimits::from_config(&config)),
        analytics,
        principals: Arc::new(PrincipalCache::new(config.auth_recheck)),
        audit,
        render_key: RenderKey::default(),
        source,
        upstream,
    });
    let pages = with_request_limits(pages, &config.http).layer(middleware::from_fn_with_state(
        state.clone(),
        crate::http::middleware::page_gate::gate,
    ));
    let sessions = session_layer(&state);
    let routes = Router::new()
        .nest_service("/api", api_router(state))
        .merge(pages);
    // Around the router as one service, not around each route (see
    // `api_router`).
    let routes =
        Router::new().fallback_service(ServiceBuilder::new().layer(sessions).service(routes));
    let secure = config.secure_cookies();
    WithProbe::new(
        with_security_headers(with_http_layers(routes), secure),
        secure,
    )
}

/// Wraps `routes` in the layers every request passes through. Each `.layer`
/// wraps everything above it, so the last one sees a request first: request
/// id, then the tracing span, then error rendering, so that every error
/// (panic, timeout, oversized body) gets the JSON shape and the id.
///
/// The limits on one request (body size, time, panics) are not here: they
/// sit inside the audit layer, so that a request they end is still
/// recorded ([`with_request_limits`], applied to the API and the pages).
pub fn with_http_layers(routes: Router) -> Router {
    let [nosniff, frame, referrer] = EVERY_ANSWER.map(|(name, value)| {
        SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
    });
    let layered = ServiceBuilder::new()
        .layer(middleware::from_fn(request_id::assign))
        .layer(SetSensitiveRequestHeadersLayer::new([
            header::AUTHORIZATION,
            header::COOKIE,
            header::SET_COOKIE,
        ]))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_response(access_log),
        )
        .layer(nosniff)
        .layer(frame)
        .layer(referrer)
        .layer(CompressionLayer::new())
        .layer(middleware::from_fn(error_layer::render))
        .service(routes);
    // One service around the router (see `api_router`).
    Router::new().fallback_service(layered)
}

/// The app's routes, listed once per process. Listing them renders the app
/// with resource loading switched off by a process-wide flag, so a page
/// rendered at the same moment by another instance in this process (tests
/// run many) would wait forever on its resources. Listed once, before any
/// instance can serve, no render ever overlaps it.
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(app::App)).clone()
}

/// The address this instance can reach itself on: loopback when bound to
/// every interface.
fn loopback(addr: SocketAddr) -> SocketAddr {
    match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => (Ipv4Addr::LOCALHOST, addr.port()).into(),
        IpAddr::V6(ip) if ip.is_unspecified() => (Ipv6Addr::LOCALHOST, addr.port()).into(),
        _ => addr,
    }
}

fn leptos_options(config: &Config, local_addr: SocketAddr) -> LeptosOptions {
    // cargo-leptos passes its settings (reload port, env) as LEPTOS_*
    // variables; without them (tests, a deployed binary) defaults apply.
    let mut options = leptos::config::get_configuration(None)
        .map(|conf| conf.leptos_options)
        .unwrap_or_else(|_| LeptosOptions::builder().output_name("tessera").build());
    // The bundle's name is fixed by `[workspace.metadata.leptos] name`.
    options.output_name = "tessera".into();
    options.site_root = config.site_root.to_string_lossy().as_ref().into();
    options.site_addr = local_addr;
    options
}
