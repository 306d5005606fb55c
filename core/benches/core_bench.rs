//! Core benchmarks on a store of N text complaints (default 10,000) and a 12-megapixel photo.
//! Run with `scripts/bench.sh` (or `cargo bench -p aduan-core --bench core_bench`); results go
//! to stdout and, with `--write FILE`, into that Markdown file between the core markers.
//! `ADUAN_BENCH_N` sets the store size (CI runs it tiny to prove it still works).

use std::time::{Duration, Instant};

use aduan_core::api::ffi::AduanStore;
use aduan_core::api::records::*;
use aduan_core::photo::{self, PhotoOptions};
use aduan_core::store::DB_FILE;
use aduan_core::types::{Identity, Location, ReportKind, Role, Status};

const WORDS: &[&str] = &[
    "selokan",
    "tersumbat",
    "sampah",
    "menumpuk",
    "jalan",
    "berlubang",
    "banjir",
    "air",
    "keruh",
    "lampu",
    "mati",
    "pohon",
    "tumbang",
    "drainase",
    "meluap",
    "bau",
    "warga",
    "kelurahan",
    "pasar",
    "sekolah",
    "puskesmas",
    "jembatan",
    "rusak",
    "parah",
    "setiap",
    "hujan",
    "pagi",
    "malam",
    "depan",
    "rumah",
    "dekat",
    "masjid",
    "gang",
    "lorong",
    "pipa",
    "bocor",
    "macet",
];

fn text(seed: &mut u64, words: usize) -> String {
    (0..words)
        .map(|_| {
            *seed ^= *seed << 13;
            *seed ^= *seed >> 7;
            *seed ^= *seed << 17;
            WORDS[(*seed % WORDS.len() as u64) as usize]
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median<F: FnMut()>(runs: usize, mut f: F) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    percentile(&times, 0.5)
}

/// A camera-like 12 MP JPEG: smooth shapes, texture and sensor noise, encoded at quality 92.
pub fn camera_like_jpeg(width: u32, height: u32) -> Vec<u8> {
    let mut seed = 0x2545F4914F6CDD1Du64;
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let noise = (seed % 24) as i32 - 12;
        let fx = x as f32 / width as f32;
        let fy = y as f32 / height as f32;
        let sky = fy < 0.4;
        let base = if sky {
            [120.0 + 80.0 * fy, 160.0 + 60.0 * fy, 220.0]
        } else {
            let t = ((fx * 40.0).sin() * (fy * 25.0).cos() + 1.0) * 0.5;
            [90.0 + 80.0 * t, 80.0 + 60.0 * t, 60.0 + 40.0 * t]
        };
        let px = |c: f32| (c as i32 + noise).clamp(0, 255) as u8;
        image::Rgb([px(base[0]), px(base[1]), px(base[2])])
    });
    let mut out = Vec::new();
    let mut enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 92);
    enc.encode_image(&img).unwrap();
    out
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// Runs in a child process so its peak memory is the pipeline's alone.
fn photo_child() {
    let input = camera_like_jpeg(4000, 3000);
    let base = peak_rss_kib().unwrap_or(0);
    let options = PhotoOptions::default();
    let mut times = Vec::new();
    let mut out_bytes = 0;
    for _ in 0..5 {
        let t = Instant::now();
        let p = photo::process(&input, &options).expect("photo processes");
        times.push(t.elapsed());
        out_bytes = p.full.bytes.len();
    }
    times.sort();
    let peak = peak_rss_kib().unwrap_or(0);
    println!(
        "PHOTO {} {:.1} {} {} {}",
        input.len(),
        ms(percentile(&times, 0.5)),
        out_bytes,
        peak,
        base
    );
}

struct Row {
    what: String,
    value: String,
    goal: String,
    ratio: String,
}

fn row(what: &str, value: f64, unit: &str, goal: f64) -> Row {
    Row {
        what: what.into(),
        value: format!("{value:.2} {unit}"),
        goal: format!("< {goal} {unit}"),
        ratio: format!("{:.2}x of goal", value / goal),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--photo-child") {
        photo_child();
        return;
    }
    let write_to = args
        .iter()
        .position(|a| a == "--write")
        .and_then(|i| args.get(i + 1).cloned());
    let n: usize = std::env::var("ADUAN_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_string_lossy().into_owned();
    let store = AduanStore::open(path.clone()).unwrap();
    store
        .set_identity(Identity {
            account_id: "bench".into(),
            display_name: "Bench".into(),
            role: Role::Citizen,
            institution_id: None,
            unit_id: None,
            area: None,
        })
        .unwrap();
    let categories = [
        "pu.drainase",
        "pu.jalan",
        "lingkungan.sampah",
        "pu.air-bersih",
    ];
    let categories: Vec<String> = categories
        .iter()
        .map(|c| c.to_string())
        .filter(|c| store.categories().iter().any(|x| &x.id == c))
        .chain(store.categories().into_iter().map(|c| c.id).take(4))
        .take(4)
        .collect();
    let mut seed = 42u64;
    let mut create_times = Vec::with_capacity(n);
    let start = Instant::now();
    for i in 0..n {
        let draft = ComplaintDraft {
            kind: if i % 10 == 0 {
                ReportKind::InformationRequest
            } else {
                ReportKind::Complaint
            },
            category_id: categories[i % categories.len()].clone(),
            title: text(&mut seed, 5),
            description: text(&mut seed, 40),
            location: Location {
                latitude: Some(-5.1 - (i % 100) as f64 * 0.001),
                longitude: Some(119.4 + (i % 97) as f64 * 0.001),
                accuracy_m: Some(10.0),
                address: format!("Jl. {} no. {}", text(&mut seed, 2), i % 200),
                province: "Sulawesi Selatan".into(),
                city: "Kota Makassar".into(),
                kecamatan: "Tamalate".into(),
                kelurahan: "Mangasa".into(),
                area: String::new(),
            },
            anonymous: i % 5 == 0,
            confidential: false,
            photos: vec![],
            channel: None,
        };
        let t = Instant::now();
        store.create_complaint(draft).unwrap();
        create_times.push(t.elapsed());
    }
    let fill = start.elapsed();
    create_times.sort();
    drop(store);

    // What an app does at start: open the store and show the first page of its list.
    let t = Instant::now();
    let store = AduanStore::open(path.clone()).unwrap();
    let first = store
        .list(ComplaintFilter {
            limit: 50,
            ..Default::default()
        })
        .unwrap();
    let open = t.elapsed();
    assert_eq!(first.len(), 50.min(n));

    let filter = ComplaintFilter {
        statuses: vec![Status::Submitted],
        category_id: Some(categories[0].clone()),
        sort: SortOrder::DueSoonest,
        limit: 50,
        ..Default::default()
    };
    let list = median(50, || {
        let rows = store.list(filter.clone()).unwrap();
        assert!(!rows.is_empty());
    });
    let search = median(50, || {
        let rows = store.search("selokan tersumbat".into(), 50).unwrap();
        assert!(!rows.is_empty());
    });
    store.compact(u32::MAX).unwrap();
    drop(store);
    {
        let conn = rusqlite::Connection::open(dir.path().join(DB_FILE)).unwrap();
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
            .unwrap();
    }
    let disk: u64 = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok()?.metadata().ok())
        .map(|m| m.len())
        .sum();

    let photo = std::process::Command::new(std::env::current_exe().unwrap())
        .arg("--photo-child")
        .output()
        .unwrap();
    let photo_line = String::from_utf8_lossy(&photo.stdout);
    let p: Vec<f64> = photo_line
        .lines()
        .find_map(|l| l.strip_prefix("PHOTO "))
        .map(|l| l.split(' ').filter_map(|x| x.parse().ok()).collect())
        .unwrap_or_default();

    let rows = vec![
        row(
            "create one complaint, durable (p50)",
            ms(percentile(&create_times, 0.5)),
            "ms",
            5.0,
        ),
        row(
            "create one complaint, durable (p99)",
            ms(percentile(&create_times, 0.99)),
            "ms",
            20.0,
        ),
        row(
            "open the store and list the first 50 (new process, warm page cache)",
            ms(open),
            "ms",
            300.0,
        ),
        row("filtered, sorted list of 50 (median)", ms(list), "ms", 20.0),
        row(
            "full-text search, 50 results (median)",
            ms(search),
            "ms",
            20.0,
        ),
        row(
            "disk per text complaint (after compaction)",
            disk as f64 / n as f64,
            "bytes",
            4096.0,
        ),
        row(
            "12 MP JPEG through the photo pipeline (median of 5)",
            p.get(1).copied().unwrap_or(f64::NAN),
            "ms",
            500.0,
        ),
        row(
            "photo output size (1600 px JPEG)",
            p.get(2).copied().unwrap_or(f64::NAN) / 1024.0,
            "KB",
            300.0,
        ),
        Row {
            what: "photo pipeline peak memory (process high-water mark)".into(),
            value: format!("{:.1} MiB", p.get(3).copied().unwrap_or(f64::NAN) / 1024.0),
            goal: "-".into(),
            ratio: format!(
                "input {:.1} MB, {:.1} MiB before decoding",
                p.first().copied().unwrap_or(0.0) / 1e6,
                p.get(4).copied().unwrap_or(f64::NAN) / 1024.0
            ),
        },
    ];
    let mut md = String::new();
    md.push_str(&format!(
        "Store of {n} text complaints (filled in {:.1} s), measured {}; one process, {}.\n\n",
        fill.as_secs_f64(),
        std::env::var("ADUAN_BENCH_DATE").unwrap_or_else(|_| "now".into()),
        if cfg!(debug_assertions) {
            "debug build: a smoke run, figures not meaningful"
        } else {
            "release build"
        }
    ));
    md.push_str("| measure | result | goal | ratio |\n|---|---|---|---|\n");
    for r in &rows {
        md.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            r.what, r.value, r.goal, r.ratio
        ));
    }
    println!("{md}");
    if let Some(file) = write_to {
        let begin = "<!-- core:begin -->";
        let end = "<!-- core:end -->";
        let old = std::fs::read_to_string(&file).unwrap_or_default();
        let new = match (old.find(begin), old.find(end)) {
            (Some(a), Some(b)) if a < b => format!("{}{begin}\n{md}{}", &old[..a], &old[b..]),
            _ => format!("{old}\n{begin}\n{md}{end}\n"),
        };
        std::fs::write(&file, new).unwrap();
    }
}
