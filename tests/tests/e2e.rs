//! The end-to-end suites, one test program: each file beside this one is a module (one link
//! instead of twenty, and one suite's slow test no longer holds the others back, since the
//! harness runs every test of the program on its threads). `tests/Cargo.toml` turns off
//! Cargo's one-program-per-file discovery; `every_suite_file_is_a_module_here` keeps a new
//! file from being left out silently.

mod attacks;
mod bridge;
mod cadre_area;
mod escalation;
mod faults;
mod figures;
mod live;
mod notifications;
mod open311;
mod photos;
mod public;
mod reporters;
mod resources;
mod scale_out;
mod sessions;
mod sms;
mod sync;
mod sync_trust;
mod transport;
mod zones;

#[test]
fn every_suite_file_is_a_module_here() {
    let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let declared: Vec<String> = include_str!("e2e.rs")
        .lines()
        .filter_map(|l| l.strip_prefix("mod ")?.strip_suffix(';'))
        .map(str::to_string)
        .collect();
    let mut files: Vec<String> = std::fs::read_dir(&here)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .filter(|name| name != "e2e")
        .collect();
    files.sort();
    assert_eq!(
        declared, files,
        "every file in tests/tests is a `mod` in e2e.rs"
    );
}
