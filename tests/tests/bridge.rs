//! Bridging (issue 16, item 3) against the real server binary: another system's export
//! imported by the command line and the administrator's API (JSON and CSV), re-imports that
//! file nothing new, and exports (JSON, CSV, GeoJSON) that round-trip into another server
//! with personal data only where the exporting account may know it.

use aduan_core::api::records::WorkflowAction;
use aduan_e2e::{Phone, Server};
use serde_json::{json, Value};

/// A LAPOR! export: a named caller, an anonymous one (who still typed a name), a confidential
/// report.
fn lapor() -> Value {
    json!([
        { "system": "LAPOR", "reference": "LPR-2026-0001", "category": "pu.drainase",
          "title": "Selokan tersumbat", "description": "Air meluap ke rumah warga.",
          "latitude": -5.1712, "longitude": 119.4321, "address": "Jl. Kenari 7",
          "province": "Sulawesi Selatan", "city": "Kota Makassar", "kecamatan": "Tamalate",
          "kelurahan": "Mangasa", "reporter_name": "Daeng Rahmat", "reporter_phone": "0812-3456-7890" },
        { "system": "LAPOR", "reference": "LPR-2026-0002", "category": "pu.jalan",
          "description": "Jalan berlubang di depan rumah saya.", "latitude": -5.18, "longitude": 119.44,
          "address": "Jl. Melati 3", "city": "Kota Makassar", "kelurahan": "Mangasa",
          "anonymous": true, "reporter_name": "Andi Anonim" },
        { "system": "LAPOR", "reference": "LPR-2026-0003", "category": "pu.drainase",
          "description": "Pungutan liar saat perbaikan saluran.", "confidential": true,
          "city": "Kota Makassar", "reporter_name": "Wa Ode" }
    ])
}

/// A regional system's CSV export, with a quoted description holding a comma and a line break.
const QLUE_CSV: &str = "system,reference,category,description,kelurahan,city,reporter_email\r\n\
Qlue,Q-77,pu.drainase,\"Got mampet, bau\nsekali\",Mangasa,Kota Makassar,\r\n\
Qlue,Q-78,pu.jalan,Lampu jalan mati,Mangasa,Kota Makassar,warga@example.org\r\n";

fn import_api(server: &Server, admin: &Phone, body: String, csv: bool) -> Value {
    let resp = reqwest::blocking::Client::new()
        .post(format!("{}/v1/admin/bridge/import", server.url))
        .bearer_auth(admin.session().access_token)
        .header(
            "content-type",
            if csv { "text/csv" } else { "application/json" },
        )
        .body(body)
        .send()
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    resp.json().unwrap()
}

fn export(server: &Server, who: &Phone, query: &str) -> String {
    let resp = reqwest::blocking::Client::new()
        .get(format!("{}/v1/bridge/export?{query}", server.url))
        .bearer_auth(who.session().access_token)
        .send()
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    resp.text().unwrap()
}

fn by_reference(records: &Value, reference: &str) -> Value {
    records
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["reference"] == reference)
        .unwrap_or_else(|| panic!("{reference} in {records}"))
        .clone()
}

/// A record without what each server gives it (its tracking id, its filing time).
fn portable(records: &Value) -> Vec<Value> {
    let mut out: Vec<Value> = records
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let mut r = r.clone();
            let o = r.as_object_mut().unwrap();
            o.remove("tracking_id");
            o.remove("created_at");
            r
        })
        .collect();
    out.sort_by_key(|r| r["reference"].as_str().unwrap().to_string());
    out
}

#[test]
fn an_import_round_trips_and_importing_again_creates_nothing() {
    let a = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("lapor.json");
    std::fs::write(&file, lapor().to_string()).unwrap();
    let out = a.manage_output(&["bridge-import", file.to_str().unwrap()]);
    assert!(
        out.starts_with("3 created, 0 already imported, 0 refused"),
        "{out}"
    );
    let admin = Phone::login(&a, "admin-nasional");
    let csv = import_api(&a, &admin, QLUE_CSV.into(), true);
    assert_eq!(csv["created"], 2, "{csv}");

    // The same files again: nothing new.
    let out = a.manage_output(&["bridge-import", file.to_str().unwrap()]);
    assert!(out.starts_with("0 created, 3 already imported"), "{out}");
    let again = import_api(&a, &admin, QLUE_CSV.into(), true);
    assert_eq!(
        (again["created"].clone(), again["skipped"].clone()),
        (json!(0), json!(2))
    );

    // Real complaints, each with its system's reference, in the national desk's queue.
    admin.sync_ok();
    let all = admin.all();
    assert_eq!(all.len(), 5);
    let bridged: Vec<String> = all
        .iter()
        .map(|c| admin.get(c.id.clone()).unwrap().bridged_from.unwrap())
        .collect();
    assert!(bridged
        .iter()
        .any(|b| b.contains("LAPOR") && b.contains("LPR-2026-0001")));
    assert!(bridged
        .iter()
        .any(|b| b.contains("Qlue") && b.contains("Q-78")));

    let exported: Value = serde_json::from_str(&export(&a, &admin, "format=json")).unwrap();
    assert_eq!(exported.as_array().unwrap().len(), 5);
    let named = by_reference(&exported, "LPR-2026-0001");
    assert_eq!(named["system"], "LAPOR");
    assert_eq!(
        named["reporter_name"], "Daeng Rahmat",
        "the desk holding it may know"
    );
    assert_eq!(named["latitude"], -5.1712);
    let anonymous = by_reference(&exported, "LPR-2026-0002");
    assert_eq!(anonymous["anonymous"], true);
    assert_eq!(anonymous["reporter_name"], "");
    assert!(anonymous["latitude"].is_null() && anonymous["address"] == "");
    assert_eq!(
        by_reference(&exported, "Q-77")["description"],
        "Got mampet, bau\nsekali"
    );
    assert_eq!(
        by_reference(&exported, "LPR-2026-0003")["confidential"],
        true
    );

    // Into another server, and back: the same records, and nothing new either way.
    let b = Server::start();
    let export_file = dir.path().join("aduan-a.json");
    std::fs::write(&export_file, exported.to_string()).unwrap();
    let out = b.manage_output(&["bridge-import", export_file.to_str().unwrap()]);
    assert!(out.starts_with("5 created"), "{out}");
    let admin_b = Phone::login(&b, "admin-nasional");
    let from_b: Value = serde_json::from_str(&export(&b, &admin_b, "format=json")).unwrap();
    assert_eq!(portable(&from_b), portable(&exported));
    let out = b.manage_output(&["bridge-import", export_file.to_str().unwrap()]);
    assert!(out.starts_with("0 created, 5 already imported"), "{out}");
    let csv_from_b = export(&b, &admin_b, "format=csv");
    let back = import_api(&a, &admin, csv_from_b, true);
    assert_eq!(
        (back["created"].clone(), back["skipped"].clone()),
        (json!(0), json!(5))
    );
}

#[test]
fn an_export_shows_personal_data_only_where_the_exporter_may_know_it() {
    let server = Server::start();
    let admin = Phone::login(&server, "admin-nasional");
    let done = import_api(&server, &admin, lapor().to_string(), false);
    assert_eq!(done["created"], 3, "{done}");

    // A citizen sees none of them; another institution neither.
    let warga = Phone::login(&server, "warga");
    assert_eq!(export(&server, &warga, "format=json"), "[]");
    let makassar = Phone::login(&server, "admin-makassar");
    assert_eq!(export(&server, &makassar, "format=json"), "[]");

    // Dispatched to Makassar: its handlers now know the reporter, the national desk no longer.
    admin.sync_ok();
    let named = admin
        .all()
        .into_iter()
        .find(|c| {
            admin
                .get(c.id.clone())
                .unwrap()
                .bridged_from
                .unwrap()
                .contains("LPR-2026-0001")
        })
        .unwrap();
    admin
        .perform(
            named.id.clone(),
            WorkflowAction::Dispatch {
                institution_id: "kota-makassar".into(),
            },
            "diteruskan".into(),
            vec![],
        )
        .unwrap();
    admin.sync_ok();
    let theirs: Value = serde_json::from_str(&export(&server, &makassar, "format=json")).unwrap();
    assert_eq!(theirs.as_array().unwrap().len(), 1);
    assert_eq!(theirs[0]["reporter_phone"], "0812-3456-7890");
    let desk: Value = serde_json::from_str(&export(&server, &admin, "format=json")).unwrap();
    assert_eq!(by_reference(&desk, "LPR-2026-0001")["reporter_name"], "");

    // GeoJSON: a point where the place may be shown, none for the anonymous report.
    let geo: Value =
        serde_json::from_str(&export(&server, &admin, "format=geojson&category=pu")).unwrap();
    assert_eq!(geo["type"], "FeatureCollection");
    let features = geo["features"].as_array().unwrap();
    assert_eq!(features.len(), 3);
    let point = features
        .iter()
        .find(|f| f["properties"]["reference"] == "LPR-2026-0001")
        .unwrap();
    assert_eq!(point["geometry"]["coordinates"], json!([119.4321, -5.1712]));
    let hidden = features
        .iter()
        .find(|f| f["properties"]["reference"] == "LPR-2026-0002")
        .unwrap();
    assert!(hidden["geometry"].is_null());
    let everything = format!(
        "{}{}",
        export(&server, &admin, "format=csv"),
        export(&server, &admin, "format=geojson")
    );
    for private in ["Andi Anonim", "Jl. Melati", "-5.18"] {
        assert!(!everything.contains(private), "{private} leaked");
    }
    // Only the national administrator imports.
    let resp = reqwest::blocking::Client::new()
        .post(format!("{}/v1/admin/bridge/import", server.url))
        .bearer_auth(makassar.session().access_token)
        .json(&lapor())
        .send()
        .unwrap();
    assert_eq!(resp.status().as_u16(), 403);
}
