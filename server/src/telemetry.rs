//! Logging: `tracing` with a filter from `TESSERA_LOG` and pretty or JSON lines.

use tracing_subscriber::{fmt, fmt::MakeWriter, prelude::*, EnvFilter};

use crate::config::{LogFormat, LogSettings};

/// Installs the global subscriber, writing to stdout. Call once, before
/// anything logs.
pub fn init(settings: &LogSettings) {
    init_with_writer(settings, std::io::stdout);
}

/// Installs the global subscriber, writing lines to `writer` (the benches
/// measure the server as deployed, logging to a file instead of the
/// terminal).
pub fn init_with_writer<W>(settings: &LogSettings, writer: W)
where
    W: for<'a> MakeWriter<'a> + Send + Sync + 'static,
{
    // The filter was validated when the configuration was loaded.
    let filter = EnvFilter::builder()
        .parse(with_quiet_defaults(&settings.filter))
        .unwrap_or_else(|_| EnvFilter::new("info"));
    let registry = tracing_subscriber::registry().with(filter);
    let result = match settings.format {
        LogFormat::Pretty => registry
            .with(fmt::layer().with_target(false).with_writer(writer))
            .try_init(),
        LogFormat::Json => registry
            .with(
                fmt::layer()
                    .json()
                    .flatten_event(true)
                    .with_current_span(true)
                    .with_span_list(false)
                    .with_writer(writer),
            )
            .try_init(),
    };
    // A second init (tests) keeps the first subscriber.
    drop(result);
}

/// `filter` plus `warn` for crates that open an `info` span on every
/// request and log nothing useful in it (the session layer's `call`), unless
/// `filter` names them: a span costs a request an allocation and formatted
/// fields even when nothing is logged inside it.
fn with_quiet_defaults(filter: &str) -> String {
    const QUIET: [&str; 2] = ["tower_sessions", "tower_sessions_core"];
    let mut full = filter.to_owned();
    for name in QUIET {
        if !filter.contains(name) {
            full.push_str(&format!(",{name}=warn"));
        }
    }
    full
}

#[cfg(test)]
mod tests {
    use super::with_quiet_defaults;

    #[test]
    fn quiets_the_session_layer_unless_named() {
        assert_eq!(
            with_quiet_defaults("info"),
            "info,tower_sessions=warn,tower_sessions_core=warn"
        );
        assert_eq!(
            with_quiet_defaults("debug,tower_sessions=trace"),
            "debug,tower_sessions=trace,tower_sessions_core=warn"
        );
    }
}
