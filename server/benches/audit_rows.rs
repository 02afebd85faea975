//! Audit row benchmark: what one audit row costs the writer, step by step,
//! on SQLite, without HTTP in the way: building the event, linking it into
//! the chain (canonical context + SHA-256), and appending batches of 500
//! through the writer's own connection, with and without the secondary
//! indexes, and, for comparison, appending the same linked rows as JSON
//! lines to a plain file (fsync per batch): the floor for a purpose-built log
//! file instead of an indexed table. Single-threaded, so the times are CPU
//! per row.
//!
//! Then "one driver or two": the same linked rows appended to fresh,
//! identical audit files by the writer's rusqlite connection
//! (`SqliteAppender::append` on a blocking thread, one prepared single-row
//! `INSERT` per event, as the writer runs it) and by the sqlx pool
//! (`Db::append_audit`: the batch as one JSON parameter unpacked with
//! `json_each`), also with the pool's connection given the appender's
//! pragmas, at several batch sizes; the paths alternate within each round
//! (their order rotating), and the report gives each path's median over the
//! rounds of wall and process CPU time per row.
//!
//! Run: `cargo bench -p server --bench audit_rows`. Settings:
//! `TESSERA_BENCH_ROWS` (default 200000), `TESSERA_BENCH_ROUNDS` (rounds of
//! the driver comparison, default 3), `TESSERA_BENCH_BATCHES` (its batch
//! sizes, comma-separated, default `64,500`: 500 is the writer's largest
//! batch). Report: target/bench-audit-rows.md.

#![allow(
    clippy::too_many_lines,
    reason = "scenarios read top to bottom; the 80-line limit is for the server's code"
)]

mod audit_drivers;
mod common;

use std::{fmt::Write as _, path::Path, sync::Arc, time::Duration};

use app::api::{AuditOutcome, Role};
use audit_drivers::{append_with, load_average, median, Driver, Run};
use common::{cpu_time, env_or};
use server::{
    audit::{
        chain::{canonical_json, linked_fields, row_hash_with, GENESIS},
        AuditEvent,
    },
    config::DatabaseSettings,
    storage::{audit::sqlite::SqliteAppender, DatabaseUrl, Db},
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
            "regions": ["Europe", "North America"], "categories": [],
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

    // One driver or two: each round appends the rows once per batch size
    // and driver, the drivers' order rotating from round to round.
    let rounds: usize = env_or("TESSERA_BENCH_ROUNDS", 3).max(1);
    let batches: Vec<usize> = std::env::var("TESSERA_BENCH_BATCHES")
        .ok()
        .map(|v| v.split(',').filter_map(|b| b.trim().parse().ok()).collect())
        .filter(|b: &Vec<usize>| !b.is_empty() && b.iter().all(|&b| b > 0))
        .unwrap_or_else(|| vec![64, BATCH]);
    let load_before = load_average();
    let events = Arc::new(events);
    let mut runs: Vec<(usize, Driver, Run)> = Vec::new();
    let mut run_id = 0;
    for round in 0..rounds {
        for &batch in &batches {
            let mut order = Driver::ALL;
            order.rotate_left(round % Driver::ALL.len());
            for driver in order {
                run_id += 1;
                let run = append_with(driver, dir.path(), run_id, &events, batch, &hashed).await;
                eprintln!(
                    "round {}, batch {batch}, {}: wall {:.2} µs, CPU {:.2} µs per row",
                    round + 1,
                    driver.name(),
                    run.wall.as_secs_f64() * 1e6 / rows as f64,
                    run.cpu.as_secs_f64() * 1e6 / rows as f64,
                );
                runs.push((batch, driver, run));
            }
        }
    }
    let load_after = load_average();

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

    let _ = writeln!(report, "\n## One driver or two\n");
    let _ = writeln!(
        report,
        "The same {rows} linked rows appended to a fresh, migrated audit file (all 4 \
         indexes, WAL, `synchronous = NORMAL`) per run, by (a) the writer's rusqlite \
         connection, one prepared single-row `INSERT` per event in a `BEGIN IMMEDIATE` \
         transaction, on a blocking thread per batch as the writer runs it (32 MiB cache, \
         checkpoint every 4,000 pages); (b) the sqlx pool's `Db::append_audit`, the batch as \
         one JSON parameter unpacked with `json_each` in a pool transaction (SQLite's \
         default 2 MiB cache and 1,000-page checkpoints); (b') as (b) with (a)'s two \
         pragmas on the pool's connection. One SQLite library (libsqlite3-sys) serves both \
         drivers. Every run ends at the last hash above. Median of {rounds} rounds; within a \
         round the paths alternate, their order rotating from round to round. CPU is the \
         whole process's (user + system, 10 ms ticks: the driver's threads included); \
         rows/s from the median wall time. Ratios: (b) or (b') over (a) at that batch size.\n"
    );
    let _ = writeln!(
        report,
        "| batch | path | wall µs/row | CPU µs/row | rows/s | wall × (a) | CPU × (a) | min–max wall | min–max CPU |\n\
         |---|---|---|---|---|---|---|---|---|"
    );
    let per = |d: Duration| d.as_secs_f64() * 1e6 / rows as f64;
    for &batch in &batches {
        let stats = |driver: Driver| {
            let mine: Vec<Run> = runs
                .iter()
                .filter(|(b, d, _)| *b == batch && *d == driver)
                .map(|(_, _, run)| *run)
                .collect();
            let walls: Vec<f64> = mine.iter().map(|r| per(r.wall)).collect();
            let cpus: Vec<f64> = mine.iter().map(|r| per(r.cpu)).collect();
            let range = |v: &[f64]| {
                let (lo, hi) = v
                    .iter()
                    .fold((f64::MAX, f64::MIN), |(lo, hi), &x| (lo.min(x), hi.max(x)));
                format!("{lo:.2}–{hi:.2}")
            };
            let ranges = (range(&walls), range(&cpus));
            (median(walls), median(cpus), ranges)
        };
        let (base_wall, base_cpu, ..) = stats(Driver::Rusqlite);
        for driver in Driver::ALL {
            let (wall, cpu, (walls, cpus)) = stats(driver);
            let _ = writeln!(
                report,
                "| {batch} | {} | {wall:.2} | {cpu:.2} | {:.0} | {:.2} | {:.2} | {walls} | {cpus} |",
                driver.name(),
                1e6 / wall,
                wall / base_wall,
                cpu / base_cpu,
            );
        }
    }
    let _ = writeln!(
        report,
        "\nMachine: {} cores, shared with other work while this ran (load average \
         {load_before} before the comparison, {load_after} after), so wall times carry \
         others' load; the alternation spreads it over the paths.\n",
        std::thread::available_parallelism().map_or(0, std::num::NonZero::get)
    );
    let _ = writeln!(
        report,
        "Command: `TESSERA_BENCH_ROWS={rows} TESSERA_BENCH_ROUNDS={rounds} \
         TESSERA_BENCH_BATCHES={} cargo bench -p server --bench audit_rows`",
        batches
            .iter()
            .map(usize::to_string)
            .collect::<Vec<_>>()
            .join(",")
    );
    print!("{report}");
    std::fs::write(target.join("bench-audit-rows.md"), report).expect("report");
}
