//! A field cadre's area across real phones and a real server (issue 14, item 5): the cadre's
//! kelurahan is set through the accounts API, reaches the phone with its identity, and the
//! server sends the cadre their kelurahan's open reports that are not confidential, with
//! nothing about who reported them; a cadre of another kelurahan is sent none of them.

use aduan_core::api::records::*;
use aduan_core::model::reporter::ReporterContact;
use aduan_e2e::*;

/// `POST /v1/admin/accounts/{id}/area` as `who`: the HTTP status.
fn set_area(server: &Server, who: &Phone, account: &str, area: Option<&str>) -> u16 {
    reqwest::blocking::Client::new()
        .post(format!("{}/v1/admin/accounts/{account}/area", server.url))
        .bearer_auth(who.session().access_token)
        .json(&serde_json::json!({ "area": area }))
        .send()
        .unwrap()
        .status()
        .as_u16()
}

fn in_kelurahan(title: &str, kecamatan: &str, kelurahan: &str) -> ComplaintDraft {
    let mut d = draft(title, "lingkungan.sampah");
    d.location.kecamatan = kecamatan.into();
    d.location.kelurahan = kelurahan.into();
    d
}

fn ids(p: &Phone) -> Vec<String> {
    let mut ids: Vec<String> = p.all().into_iter().map(|c| c.id).collect();
    ids.sort();
    ids
}

#[test]
fn cadre_sees_open_reports_of_their_kelurahan_only() {
    let server = Server::start();
    let warga = Phone::login(&server, "warga");
    let mangasa = warga
        .create_named_complaint(
            in_kelurahan("Sampah menumpuk", "Tamalate", "Mangasa"),
            ReporterContact {
                name: "Siti Aminah".into(),
                phone: "081234567890".into(),
                email: String::new(),
            },
        )
        .unwrap();
    let code = mangasa.location.area.clone();
    assert!(code.starts_with("73.71."), "{code:?}");
    let lette = warga
        .create_complaint(in_kelurahan("Sampah di Lette", "Mariso", "Lette"))
        .unwrap();
    let mut secret = in_kelurahan("Pungutan liar", "Tamalate", "Mangasa");
    secret.confidential = true;
    let confidential = warga.create_complaint(secret).unwrap();
    warga.sync_ok();

    // The city's administrator gives its cadre the kelurahan.
    let admin = Phone::login(&server, "admin-makassar");
    assert_eq!(set_area(&server, &admin, "kader", Some(&code)), 204);
    let kader = Phone::login(&server, "kader");
    assert_eq!(kader.identity().unwrap().area, Some(code.clone()));
    kader.sync_ok();
    assert_eq!(
        ids(&kader),
        vec![mangasa.summary.id.clone()],
        "their kelurahan's open report; not Lette's, not the confidential one"
    );
    assert!(kader.get(lette.summary.id.clone()).is_err());
    assert!(kader.get(confidential.summary.id.clone()).is_err());
    let area: Vec<String> = kader
        .my_area_open_reports(50)
        .unwrap()
        .into_iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(area, vec![mangasa.summary.id.clone()]);
    // Never who reported it.
    let r = reqwest::blocking::Client::new()
        .get(format!(
            "{}/v1/complaints/{}/reporter",
            server.url, mangasa.summary.id
        ))
        .bearer_auth(kader.session().access_token)
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 404);
    let body = r.text().unwrap();
    assert!(!body.contains("0812") && !body.contains("Siti"), "{body}");

    // A cadre reads; they do not act on another's report.
    assert!(kader
        .perform(
            mangasa.summary.id.clone(),
            WorkflowAction::StartWork,
            String::new(),
            vec![]
        )
        .is_err());

    // Once it is no longer open (archived by the national desk), it leaves the cadre's phone.
    let nasional = Phone::login(&server, "admin-nasional");
    nasional.sync_ok();
    nasional
        .perform(
            mangasa.summary.id.clone(),
            WorkflowAction::Archive,
            "sudah dibersihkan".into(),
            vec![],
        )
        .unwrap();
    nasional.sync_ok();
    kader.sync_ok();
    kader.sync_ok();
    assert!(ids(&kader).is_empty(), "{:?}", ids(&kader));
}

#[test]
fn a_cadre_of_another_kelurahan_sees_nothing() {
    let server = Server::start();
    let warga = Phone::login(&server, "warga");
    let mangasa = warga
        .create_complaint(in_kelurahan("Sampah menumpuk", "Tamalate", "Mangasa"))
        .unwrap();
    warga.sync_ok();
    let lette = Phone::login(&server, "warga")
        .areas_under("73.71.01".into())
        .into_iter()
        .find(|a| a.name.eq_ignore_ascii_case("Lette"))
        .unwrap()
        .code;
    let nasional = Phone::login(&server, "admin-nasional");
    assert_eq!(set_area(&server, &nasional, "kader", Some(&lette)), 204);
    let kader = Phone::login(&server, "kader");
    kader.sync_ok();
    assert!(ids(&kader).is_empty(), "{:?}", ids(&kader));
    assert!(kader.get(mangasa.summary.id.clone()).is_err());
    assert!(kader.my_area_open_reports(50).unwrap().is_empty());
    // Without an area a cadre sees only their own reports, as before.
    assert_eq!(set_area(&server, &nasional, "kader", None), 204);
    let kader = Phone::login(&server, "kader");
    kader.sync_ok();
    assert!(ids(&kader).is_empty());
}

#[test]
fn a_cadres_area_is_a_kelurahan_of_their_institution_set_by_its_administrators() {
    let server = Server::start();
    let makassar = Phone::login(&server, "admin-makassar");
    let samarinda = Phone::login(&server, "admin-samarinda");
    let petugas = Phone::login(&server, "petugas");
    let lette = makassar
        .areas_under("73.71.01".into())
        .into_iter()
        .find(|a| a.name.eq_ignore_ascii_case("Lette"))
        .unwrap()
        .code;
    assert_eq!(set_area(&server, &samarinda, "kader", Some(&lette)), 403);
    assert_eq!(set_area(&server, &petugas, "kader", Some(&lette)), 403);
    assert_eq!(
        set_area(&server, &makassar, "kader", Some("73.71")),
        400,
        "a city is not a kelurahan"
    );
    assert_eq!(
        set_area(&server, &makassar, "kader", Some("73.71.01.9999")),
        400,
        "not in the catalog"
    );
    assert_eq!(
        set_area(&server, &makassar, "kader", Some("64.72.01.1001")),
        400,
        "Samarinda's, not Makassar's"
    );
    assert_eq!(
        set_area(&server, &makassar, "petugas", Some(&lette)),
        400,
        "only a cadre has an area"
    );
    assert_eq!(set_area(&server, &makassar, "tidak-ada", Some(&lette)), 404);
    assert_eq!(set_area(&server, &makassar, "kader", Some(&lette)), 204);
    // The operator's command line sets it too.
    server.manage(&["account-area", "kader"]);
    assert_eq!(
        Phone::login(&server, "kader").identity().unwrap().area,
        None
    );
    server.manage(&["account-area", "kader", &lette]);
    assert_eq!(
        Phone::login(&server, "kader").identity().unwrap().area,
        Some(lette)
    );
}

#[test]
fn a_server_database_from_before_cadres_areas_migrates_forward() {
    let storage = Storage::sqlite();
    let first = Server::start_in(storage.clone());
    let warga = Phone::login(&first, "warga");
    warga
        .create_complaint(in_kelurahan("Sampah menumpuk", "Tamalate", "Mangasa"))
        .unwrap();
    warga.sync_ok();
    drop(first);
    // Back to a schema from before cadres' areas.
    {
        let conn = rusqlite::Connection::open(storage.data.path().join("aduan-server.db")).unwrap();
        conn.execute_batch(UNDO_MIGRATIONS_AFTER_6).unwrap();
    }
    let upgraded = Server::start_in(storage.clone());
    let kader = Phone::login(&upgraded, "kader");
    assert_eq!(
        kader.identity().unwrap().area,
        None,
        "accounts from before have none"
    );
    let admin = Phone::login(&upgraded, "admin-makassar");
    let warga = Phone::login(&upgraded, "warga");
    let id = warga
        .create_complaint(in_kelurahan("Selokan", "Tamalate", "Mangasa"))
        .unwrap();
    warga.sync_ok();
    let code = id.location.area.clone();
    assert_eq!(set_area(&upgraded, &admin, "kader", Some(&code)), 204);
    let kader = Phone::login(&upgraded, "kader");
    kader.sync_ok();
    assert!(ids(&kader).contains(&id.summary.id));
    let conn = rusqlite::Connection::open(storage.data.path().join("aduan-server.db")).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, aduan_e2e::SERVER_SCHEMA_VERSION);
}
