//! Complaint number `i` as benchmarks/sync/PEERS.md defines it, for every peer alike.

use std::io::Write;

use aduan_core::api::records::ComplaintDraft;
use aduan_core::types::{Location, ReportKind};

/// Ten distinct descriptions: complaint `i` has number `i % 10` (so a phone's ten differ).
pub const DESCRIPTIONS: [&str; 10] = [
    "Saluran air di depan rumah warga tersumbat sampah plastik dan lumpur sejak dua minggu. Setiap hujan deras air meluap ke jalan dan masuk ke halaman rumah. Warga sudah membersihkan sebagian, tetapi sumbatan ada di bawah jembatan kecil dan perlu alat berat. Mohon segera ditangani sebelum musim hujan puncak.",
    "Tumpukan sampah di tempat pembuangan sementara dekat pasar tidak diangkut selama sembilan hari. Baunya menyengat sampai ke sekolah dasar di seberang jalan, lalat banyak, dan anjing liar mengacak kantong sampah ke badan jalan. Pedagang sudah melapor ke kelurahan tetapi truk pengangkut belum datang juga.",
    "Lampu penerangan jalan umum di sepanjang gang menuju masjid padam total sejak awal bulan. Malam hari sangat gelap, dua warga terjatuh karena tidak melihat lubang, dan ibu-ibu takut pulang dari pengajian. Tiang nomor 14 sampai 19 kabelnya terlihat putus digigit tikus.",
    "Pipa distribusi PDAM bocor di pertigaan dekat kantor pos; air bersih menyembur ke aspal siang dan malam. Akibatnya tekanan air di rumah-rumah blok C sangat kecil, bak mandi tidak pernah penuh, dan jalan menjadi licin serta berlumut. Kebocoran ini sudah berlangsung kira-kira tiga minggu.",
    "Jalan poros kampung rusak parah dengan lubang sedalam lutut orang dewasa di beberapa titik. Saat hujan lubang tertutup genangan sehingga pengendara motor sering terperosok, minggu lalu seorang pelajar patah tangan. Kami meminta penambalan darurat sambil menunggu pengaspalan ulang.",
    "Banjir setinggi pinggang merendam permukiman di bantaran sungai setiap kali hujan lebih dari dua jam. Tanggul tanah di belakang musala longsor sepanjang kira-kira sepuluh meter dan belum diperbaiki. Anak-anak tidak bisa berangkat sekolah dan beberapa lansia harus dievakuasi dengan perahu karet.",
    "Pohon angsana besar di trotoar depan puskesmas miring ke arah kabel listrik setelah angin kencang kemarin sore. Akarnya sudah mengangkat paving dan sebagian batang retak. Kami khawatir pohon tumbang menimpa pasien yang antre di luar atau kendaraan yang parkir di bawahnya.",
    "Pelayanan pembuatan kartu keluarga di kantor kecamatan sangat lambat: berkas kami masuk enam minggu lalu dan setiap datang hanya diminta kembali minggu depan tanpa penjelasan. Petugas loket juga meminta biaya tambahan yang tidak ada dalam papan informasi tarif resmi.",
    "Bau busuk dan air limbah berwarna hitam mengalir dari pabrik tahu di ujung jalan langsung ke selokan warga. Ikan di kolam mati, anak-anak gatal-gatal setelah bermain di parit, dan sumur dua rumah terdekat airnya mulai berbau. Mohon dinas lingkungan hidup memeriksa pengolahan limbahnya.",
    "Jembatan kayu penghubung dua dusun lantainya lapuk dan tiga papan sudah patah, pegangan tangannya juga hilang. Setiap pagi puluhan murid dan petani menyeberang dengan berjalan kaki dan mendorong motor. Kalau air sungai naik, jembatan bergoyang dan sangat berbahaya.",
];

/// Complaint `i`'s description: `DESCRIPTIONS[i % 10]` and its number.
pub fn description(i: usize) -> String {
    format!("{} (#{i})", DESCRIPTIONS[i % DESCRIPTIONS.len()])
}

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
        area: String::new(),
    }
}

pub fn draft(i: usize) -> ComplaintDraft {
    ComplaintDraft {
        kind: ReportKind::Complaint,
        category_id: "pu.drainase".into(),
        title: format!("Saluran tersumbat di Jalan Nomor {i}"),
        description: description(i),
        location: location(i),
        anonymous: false,
        confidential: false,
        photos: vec![],
        channel: None,
    }
}

/// The complaint's fields as JSON, gzipped: what a plain JSON API would send for it.
pub fn gzipped_json_len(i: usize) -> usize {
    let l = location(i);
    let json = serde_json::json!({
        "kind": "complaint",
        "category_id": "pu.drainase",
        "title": format!("Saluran tersumbat di Jalan Nomor {i}"),
        "description": description(i),
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
