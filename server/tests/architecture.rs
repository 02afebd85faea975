//! The server's layers point one way:
//!
//! `config` ← `storage` ← domain (`auth`, `audit`, `analytics`, `cache`,
//! `accounts`, …) ← `http` ← `startup` / `cli`.
//!
//! This test reads every `crate::…` path in `server/src` (in `use` lines and
//! in code), maps each file to its top-level module and fails when a module
//! names one in a layer above its own, when the top-level modules form a
//! cycle, or when a layer below `http` names the UI crate or the web stack.
//! It also holds every source file under 400 lines.
//!
//! Print the graph: `cargo test -p server --features app/ssr --test
//! architecture -- --nocapture`.

use std::{
    collections::{BTreeMap, BTreeSet},
    fs,
    path::{Path, PathBuf},
};

/// The layer of each top-level module, lowest first.
const LAYERS: &[(&str, &[&str])] = &[
    ("config", &["config"]),
    ("storage", &["storage"]),
    (
        "domain",
        &[
            "accounts",
            "analytics",
            "audit",
            "auth",
            "cache",
            "forecast",
            "imports",
            "jobs",
            "source",
            "upstream",
            "validation",
        ],
    ),
    ("http", &["http"]),
    ("startup", &["startup", "cli", "demo", "telemetry"]),
];

/// Crates that only the `http` and `startup` layers may name.
const WEB_CRATES: &[&str] = &[
    "app::",
    "axum::",
    "axum_extra::",
    "leptos::",
    "leptos_axum::",
    "leptos_meta::",
    "tower_http::",
];

/// The longest a source file may be.
const MAX_LINES: usize = 400;

fn layer_of(module: &str) -> Option<usize> {
    LAYERS
        .iter()
        .position(|(_, modules)| modules.contains(&module))
}

fn source_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("read src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            source_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file belongs to (`None` for `lib.rs`/`main.rs`).
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let relative = file.strip_prefix(src).expect("under src");
    let first = relative.components().next()?.as_os_str().to_str()?;
    let name = first.trim_end_matches(".rs");
    (name != "lib" && name != "main").then(|| name.to_owned())
}

/// The source without comments (doc comments name modules in prose).
fn strip_comments(text: &str) -> String {
    text.lines()
        .map(|line| match line.find("//") {
            Some(i) if !line[..i].contains('"') => &line[..i],
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every top-level module named through `crate::`, including the members
/// of `use crate::{a::…, b::…}` groups.
fn crate_references(code: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + "crate::".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue; // e.g. `api_types_crate::`
        }
        if let Some(group) = rest.strip_prefix('{') {
            found.extend(group_members(group));
        } else {
            found.insert(identifier(rest));
        }
    }
    found.retain(|m| !m.is_empty());
    found
}

fn identifier(text: &str) -> String {
    text.chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

/// The first path segment of each item in a `{…}` group (depth one).
fn group_members(group: &str) -> Vec<String> {
    let mut members = Vec::new();
    let mut depth = 0usize;
    let mut expecting = true;
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => expecting = true,
            c if expecting && depth == 0 && (c.is_alphanumeric() || c == '_') => {
                members.push(identifier(&group[i..]));
                expecting = false;
            }
            _ => {}
        }
    }
    members
}

struct Graph {
    /// module → module → files that make the reference.
    edges: BTreeMap<String, BTreeMap<String, BTreeSet<String>>>,
    lines: BTreeMap<String, usize>,
    web: Vec<String>,
    long: Vec<String>,
}

fn read_graph() -> Graph {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    source_files(&src, &mut files);
    files.sort();
    let mut graph = Graph {
        edges: BTreeMap::new(),
        lines: BTreeMap::new(),
        web: Vec::new(),
        long: Vec::new(),
    };
    for file in files {
        let text = fs::read_to_string(&file).expect("read");
        let shown = file
            .strip_prefix(&src)
            .expect("under src")
            .display()
            .to_string();
        let line_count = text.lines().count();
        if line_count > MAX_LINES {
            graph.long.push(format!("{shown}: {line_count} lines"));
        }
        let Some(module) = module_of(&src, &file) else {
            continue;
        };
        *graph.lines.entry(module.clone()).or_default() += line_count;
        let code = strip_comments(&text);
        for target in crate_references(&code) {
            if target != module && target != "self" && target != "super" {
                graph
                    .edges
                    .entry(module.clone())
                    .or_default()
                    .entry(target)
                    .or_default()
                    .insert(shown.clone());
            }
        }
        if layer_of(&module).is_some_and(|l| l < layer_of("http").unwrap_or(0)) {
            for web in WEB_CRATES {
                if code.contains(web) {
                    graph.web.push(format!("{shown} names {web}"));
                }
            }
        }
    }
    graph
}

fn cycles(edges: &BTreeMap<String, BTreeMap<String, BTreeSet<String>>>) -> Vec<String> {
    let reaches = |from: &str, to: &str| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.to_owned()];
        while let Some(at) = stack.pop() {
            if at == to {
                return true;
            }
            if seen.insert(at.clone()) {
                stack.extend(edges.get(&at).into_iter().flat_map(|t| t.keys().cloned()));
            }
        }
        false
    };
    let mut found = Vec::new();
    for (from, targets) in edges {
        for to in targets.keys() {
            if from < to && reaches(to, from) {
                found.push(format!("{from} ⇄ {to}"));
            }
        }
    }
    found
}

fn print(graph: &Graph) {
    println!("module dependency graph (module -> modules it names):");
    for (module, lines) in &graph.lines {
        let layer = layer_of(module).map_or("?", |l| LAYERS[l].0);
        let targets: Vec<_> = graph
            .edges
            .get(module)
            .map(|t| t.keys().cloned().collect())
            .unwrap_or_default();
        println!(
            "  [{layer:>7}] {module:<10} {lines:>6} lines -> {}",
            targets.join(", ")
        );
    }
    let mut per_layer: BTreeMap<usize, usize> = BTreeMap::new();
    for (module, lines) in &graph.lines {
        *per_layer.entry(layer_of(module).unwrap_or(99)).or_default() += lines;
    }
    println!("lines per layer:");
    for (layer, lines) in per_layer {
        let name = LAYERS.get(layer).map_or("unlayered", |l| l.0);
        println!("  {name:<10} {lines:>6}");
    }
}

#[test]
fn modules_only_name_the_layers_below_them() {
    let graph = read_graph();
    print(&graph);
    let mut problems = Vec::new();
    for module in graph.lines.keys() {
        if layer_of(module).is_none() {
            problems.push(format!("module `{module}` has no layer: add it to LAYERS"));
        }
    }
    for (from, targets) in &graph.edges {
        for (to, files) in targets {
            if let (Some(a), Some(b)) = (layer_of(from), layer_of(to)) {
                if b > a {
                    let files: Vec<_> = files.iter().cloned().collect();
                    problems.push(format!(
                        "{from} ({}) names {to} ({}) in {}",
                        LAYERS[a].0,
                        LAYERS[b].0,
                        files.join(", ")
                    ));
                }
            }
        }
    }
    problems.extend(
        cycles(&graph.edges)
            .into_iter()
            .map(|c| format!("cycle: {c}")),
    );
    problems.extend(graph.web.iter().cloned());
    problems.extend(
        graph
            .long
            .iter()
            .map(|l| format!("over {MAX_LINES} lines: {l}")),
    );
    assert!(
        problems.is_empty(),
        "the layers point the wrong way:\n  {}",
        problems.join("\n  ")
    );
}

#[test]
fn the_reader_sees_groups_and_paths() {
    let code = "use crate::{a::B, c::{d, e}, f};\nlet x = crate::g::h();\nsome_crate::i;";
    let found: Vec<_> = crate_references(code).into_iter().collect();
    assert_eq!(found, ["a", "c", "f", "g"]);
}
