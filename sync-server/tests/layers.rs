//! The server's source is laid out in layers: `http` (routes) -> `state` -> `services` ->
//! `storage`, each importing only what is below it, so a newcomer can tell each file's place
//! and reach from its folder. These tests read the source and fail when a lower layer
//! reaches up (or when a shared leaf such as `error.rs` reaches into a layer).

use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The `.rs` files at `path` (a file, or a folder walked recursively).
fn sources(path: &Path) -> Vec<PathBuf> {
    if path.is_file() {
        return vec![path.to_path_buf()];
    }
    let mut out = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .map(|e| e.expect("a folder entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            out.extend(sources(&p));
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
    out
}

/// The source without its comments (a comment may name what the code must not use).
fn code(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        out.push_str(line.split("//").next().unwrap_or(""));
        out.push('\n');
    }
    out
}

/// The first path segment after each `crate::` / `aduan_server::`, looking into
/// `crate::{a, b::c}` groups: the crate's top-level modules a file reaches.
fn modules_reached(code: &str) -> Vec<String> {
    let mut found = Vec::new();
    for prefix in ["crate::", "aduan_server::"] {
        let mut rest = code;
        while let Some(at) = rest.find(prefix) {
            let before = rest[..at].chars().next_back();
            rest = &rest[at + prefix.len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
                // `$crate::` in a macro is the crate too; `xcrate::` is not.
                if before != Some('$') {
                    continue;
                }
            }
            let rest_trimmed = rest.trim_start();
            if let Some(group) = rest_trimmed.strip_prefix('{') {
                let mut depth = 1;
                let mut item = String::new();
                for c in group.chars() {
                    match c {
                        '{' => depth += 1,
                        '}' => depth -= 1,
                        _ => {}
                    }
                    if depth == 0 {
                        break;
                    }
                    if depth == 1 && c == ',' {
                        found.push(first_segment(&item));
                        item.clear();
                    } else {
                        item.push(c);
                    }
                }
                found.push(first_segment(&item));
            } else {
                found.push(first_segment(rest_trimmed));
            }
        }
    }
    found.retain(|m| !m.is_empty());
    found
}

fn first_segment(path: &str) -> String {
    path.trim()
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

/// External crates a file names (`axum::...`, `use axum`).
fn crates_named(code: &str, krate: &str) -> bool {
    let mut rest = code;
    let needle = format!("{krate}::");
    while let Some(at) = rest.find(&needle) {
        let before = rest[..at].chars().next_back();
        if !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            return true;
        }
        rest = &rest[at + needle.len()..];
    }
    false
}

/// What a file at `place` must not import: crate modules above it, and HTTP crates.
fn violations(text: &str, forbidden_modules: &[&str], forbidden_crates: &[&str]) -> Vec<String> {
    let code = code(text);
    let mut out: Vec<String> = modules_reached(&code)
        .into_iter()
        .filter(|m| forbidden_modules.contains(&m.as_str()))
        .map(|m| format!("imports crate::{m}"))
        .collect();
    for krate in forbidden_crates {
        if crates_named(&code, krate) {
            out.push(format!("uses {krate}"));
        }
    }
    out.sort();
    out.dedup();
    out
}

const HTTP_CRATES: &[&str] = &["axum", "tower", "tower_http", "hyper", "hyper_util"];

/// Each place, and what it may not reach.
fn rules() -> Vec<(&'static str, Vec<&'static str>, &'static [&'static str])> {
    vec![
        // The bottom: nothing of the layers above, and no HTTP.
        (
            "storage",
            vec!["services", "http", "state", "config", "demo"],
            HTTP_CRATES,
        ),
        // The logic: storage only (and the shared error), no HTTP, no shared state.
        (
            "services",
            vec!["http", "state", "config", "demo"],
            HTTP_CRATES,
        ),
        // The state bundles services for handlers; it knows no route.
        ("state.rs", vec!["http", "demo"], HTTP_CRATES),
        // Shared by every layer, so part of none.
        (
            "error.rs",
            vec![
                "http", "state", "services", "storage", "config", "demo", "tls",
            ],
            HTTP_CRATES,
        ),
    ]
}

#[test]
fn no_layer_reaches_up() {
    let mut broken = Vec::new();
    for (place, modules, crates) in rules() {
        let files = sources(&src().join(place));
        assert!(!files.is_empty(), "no source in src/{place}");
        for file in files {
            let text = std::fs::read_to_string(&file).expect("readable source");
            for v in violations(&text, &modules, crates) {
                broken.push(format!(
                    "{}: {v}",
                    file.strip_prefix(src()).unwrap_or(&file).display()
                ));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "lower layers reach up (routes -> services -> storage):\n{}",
        broken.join("\n")
    );
}

#[test]
fn the_check_sees_imports_in_every_spelling() {
    let storage = &["services", "http", "state"][..];
    for text in [
        "use crate::services::live::Live;",
        "use crate::{error::ApiError, state::AppState};",
        "fn f(s: &crate::http::AppState) {}",
        "use crate::{\n    error::ApiError,\n    services::{live, sync},\n};",
    ] {
        assert!(!violations(text, storage, HTTP_CRATES).is_empty(), "{text}");
    }
    assert_eq!(
        violations("use axum::http::StatusCode;", storage, HTTP_CRATES),
        vec!["uses axum"]
    );
    for text in [
        "use crate::error::ApiError;\nuse crate::storage::{Db, Sql};",
        "// no crate::http here, a comment only\n",
        "&[$($crate::storage::Value::from($v)),*][..]",
    ] {
        assert!(violations(text, storage, HTTP_CRATES).is_empty(), "{text}");
    }
}

#[test]
fn the_layers_are_where_a_newcomer_looks() {
    for place in [
        "http/mod.rs",
        "http/extractor.rs",
        "http/error.rs",
        "state.rs",
    ] {
        assert!(src().join(place).is_file(), "src/{place}");
    }
    for place in ["http", "services", "storage"] {
        assert!(
            src().join(place).join("mod.rs").is_file(),
            "src/{place}/mod.rs"
        );
    }
}
