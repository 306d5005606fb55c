//! Complaint number `i` as benchmarks/sync/PEERS.md defines it, for every peer alike.

use std::io::Write;

use aduan_core::api::records::ComplaintDraft;
use aduan_core::types::{Location, ReportKind};

pub const DESCRIPTION: &str = "Saluran air di depan rumah warga tersumbat sampah plastik dan lumpur sejak dua minggu. Setiap hujan deras air meluap ke jalan dan masuk ke halaman rumah. Warga sudah membersihkan sebagian, tetapi sumbatan ada di bawah jembatan kecil dan perlu alat berat. Mohon segera ditangani sebelum musim hujan puncak.";

fn location(i: usize) -> Location {
    Location {
        latitude: Some(-5.1856),
        longitude: Some(119.4237),
        accuracy_m: Some(12.0),
        address: format!("Jl. Sultan Alauddin No. {i}"),
        province: "Sulawesi Selatan".into(),
        city: "Kota Makassar".into(),
        kecamatan: "Tamalate".into(),
        kelurahan: "Mangasa".into(),
    }
}

pub fn draft(i: usize) -> ComplaintDraft {
    ComplaintDraft {
        kind: ReportKind::Complaint,
        category_id: "pu.drainase".into(),
        title: format!("Saluran tersumbat di Jalan Nomor {i}"),
        description: format!("{DESCRIPTION} (#{i})"),
        location: location(i),
        anonymous: false,
        confidential: false,
        photos: vec![],
    }
}

/// The complaint's fields as JSON, gzipped: what a plain JSON API would send for it.
pub fn gzipped_json_len(i: usize) -> usize {
    let l = location(i);
    let json = serde_json::json!({
        "kind": "complaint",
        "category_id": "pu.drainase",
        "title": format!("Saluran tersumbat di Jalan Nomor {i}"),
        "description": format!("{DESCRIPTION} (#{i})"),
        "province": l.province, "city": l.city, "kecamatan": l.kecamatan, "kelurahan": l.kelurahan,
        "address": l.address,
        "latitude": -5.1856, "longitude": 119.4237, "accuracy_m": 12.0,
        "anonymous": false, "confidential": false,
        "status": "submitted",
        "created_at": 1_795_000_000_000u64,
    })
    .to_string();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(json.as_bytes()).expect("in memory");
    gz.finish().expect("in memory").len()
}
