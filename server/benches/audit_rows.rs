//! Audit row benchmark: what one audit row costs the writer, step by step,
//! on SQLite, without HTTP in the way: building the event, linking it into
//! the chain (canonical context + SHA-256), and appending batches of 500
//! through the writer's own connection, with and without the secondary
//! indexes, and, for comparison, appending the same linked rows as JSON
//! lines to a plain file (fsync per batch): the floor for a purpose-built log
//! file instead of an indexed table. Single-threaded, so the times are CPU
//! per row.
//!
//! Run: `cargo bench -p server --bench audit_rows`. Settings:
//! `TESSERA_BENCH_ROWS` (default 200000). Report: target/bench-audit-rows.md.

mod common;

use std::{fmt::Write as _, path::Path};

use app::api::{AuditOutcome, Role};
use common::{cpu_time, env_or};
use server::{
    audit::{
        chain::{canonical_json, linked_fields, row_hash_with, GENESIS},
        AuditEvent,
    },
    config::DatabaseSettings,
    storage::{audit_sqlite::SqliteAppender, DatabaseUrl, Db},
};

const BATCH: usize = 500;

/// Distinct sessions the rows come from (`TESSERA_BENCH_SESSIONS`).
fn sessions() -> usize {
    env_or("TESSERA_BENCH_SESSIONS", 50)
}

/// An event like the one a dashboard read records.
fn event(i: usize) -> AuditEvent {
    let mut event = AuditEvent::now(
        "analytics.kpis",
        AuditOutcome::Ok,
        serde_json::json!({
            "from": "2026-08-23", "to": "2026-11-20", "compare": "previous",
            "regions": ["eu", "na"], "categories": [],
        }),
    );
    event.session_hash = Some(format!("{:064x}", i % sessions()));
    event.principal = Some("viewer@tessera.local".to_owned());
    event.role = Some(Role::Viewer);
    event.status = Some(200);
    event.client_ip = Some("127.0.0.1".to_owned());
    event.user_agent = Some(
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) \
         Chrome/156.0.0.0 Safari/537.36"
            .to_owned(),
    );
    event.request_id = Some(format!("{:032x}", i.wrapping_mul(2_654_435_761)));
    event
}

/// A new audit file (migrated) in `dir`, without the indexes in `drop`.
async fn audit_file(dir: &Path, name: &str, drop: &[&str]) -> std::path::PathBuf {
    let main = dir.join(format!("{name}.db"));
    let settings = DatabaseSettings {
        url: DatabaseUrl::parse(&format!("sqlite://{}", main.display())).expect("url"),
        max_connections: 1,
    };
    let db = Db::connect(&settings).await.expect("connect");
    db.migrate().await.expect("migrate");
    let file = db.audit_file().expect("a file-backed log");
    db.close().await;
    let conn = rusqlite::Connection::open(&file).expect("open");
    for index in drop {
        conn.execute_batch(&format!("DROP INDEX audit_log_{index}"))
            .expect("drop index");
    }
    file
}

/// Appends `events` in batches; CPU µs per row.
fn append_all(file: &Path, events: &[AuditEvent]) -> f64 {
    let mut appender = SqliteAppender::open(file).expect("appender");
    let started = cpu_time();
    for batch in events.chunks(BATCH) {
        appender.append(batch).expect("append");
    }
    (cpu_time() - started).as_secs_f64() * 1e6 / events.len() as f64
}

/// Links `events` and appends them as JSON lines to a new file at `path`,
/// syncing after every batch; CPU µs per row.
fn append_lines(path: &Path, events: &[AuditEvent]) -> f64 {
    use std::io::Write as _;
    let file = std::fs::File::create(path).expect("log file");
    let mut out = std::io::BufWriter::with_capacity(1 << 20, &file);
    let started = cpu_time();
    let mut prev = GENESIS.to_owned();
    let mut id = 0;
    for batch in events.chunks(BATCH) {
        for event in batch {
            id += 1;
            let context = canonical_json(&event.context);
            let hash = row_hash_with(id, event, &context, &prev);
            let fields = linked_fields(id, event, &context, &prev);
            serde_json::to_writer(&mut out, &(fields, &hash)).expect("write");
            out.write_all(b"\n").expect("write");
            prev = hash;
        }
        out.flush().expect("flush");
        file.sync_data().expect("sync");
    }
    (cpu_time() - started).as_secs_f64() * 1e6 / events.len() as f64
}

#[tokio::main]
async fn main() {
    let rows: usize = env_or("TESSERA_BENCH_ROWS", 200_000);
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target");
    std::fs::create_dir_all(&target).expect("target dir");
    let dir = tempfile::tempdir_in(&target).expect("temp dir");
    let per_row =
        |started: std::time::Duration| (cpu_time() - started).as_secs_f64() * 1e6 / rows as f64;

    let started = cpu_time();
    let events: Vec<AuditEvent> = (0..rows).map(event).collect();
    let make = per_row(started);

    let started = cpu_time();
    let mut prev = GENESIS.to_owned();
    for (id, event) in (1..).zip(&events) {
        let context = canonical_json(&event.context);
        prev = row_hash_with(id, event, &context, &prev);
    }
    let link = per_row(started);
    let hashed = prev;

    let size = |file: &Path| std::fs::metadata(file).map_or(0, |m| m.len()) as f64 / rows as f64;
    let mut appends = Vec::new();
    for (name, drop) in [
        ("all 4 indexes", &[][..]),
        (
            "no secondary index",
            &["session", "time", "principal", "action"][..],
        ),
        ("time only", &["session", "principal", "action"][..]),
        ("session only", &["time", "principal", "action"][..]),
        ("principal + action", &["session", "time"][..]),
    ] {
        let file = audit_file(dir.path(), &name.replace(' ', "_"), drop).await;
        let cost = append_all(&file, &events);
        eprintln!("{name}: {cost:.2} µs, {:.0} bytes per row", size(&file));
        appends.push((name, cost, size(&file)));
    }

    let lines = dir.path().join("audit.jsonl");
    let line_cost = append_lines(&lines, &events);
    appends.push(("plain JSON-lines file, no index", line_cost, size(&lines)));

    let mut report = String::new();
    let _ = writeln!(report, "# Audit row benchmark (SQLite)\n");
    let _ = writeln!(
        report,
        "{rows} rows like a dashboard read's, batches of {BATCH}, one thread.\n"
    );
    let _ = writeln!(report, "| step | µs per row |\n|---|---|");
    let _ = writeln!(report, "| build the event | {make:.2} |");
    let _ = writeln!(report, "| link: canonical context + SHA-256 | {link:.2} |");
    for (name, cost, bytes) in &appends {
        let _ = writeln!(
            report,
            "| append (link + write), {name} | {cost:.2} ({bytes:.0} bytes) |"
        );
    }
    let _ = writeln!(report, "\nLast hash: `{hashed}`");
    print!("{report}");
    std::fs::write(target.join("bench-audit-rows.md"), report).expect("report");
}
