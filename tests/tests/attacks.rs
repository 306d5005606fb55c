//! The attack matrix: every role (and no role) against every endpoint and every kind of
//! complaint (public, anonymous, confidential). The expectations below are the specification,
//! written out by hand: who sees which complaint and photo, who may write which workflow
//! action, who manages accounts. Zero leaks, zero unauthorized writes, no server failure.

use std::collections::{BTreeMap, BTreeSet};

use aduan_core::api::records::*;
use aduan_core::model::event::{Action, Author, Event};
use aduan_core::model::{self, log, DocKind};
use aduan_core::sync::protocol::{self, DocUpload, SyncRequest, SyncResponse};
use aduan_core::types::Role;
use aduan_e2e::{draft, jpeg, listen_events, upload_raw, Phone, Server, Storage};
use automerge::transaction::Transactable;

const KINDS: [&str; 3] = ["public", "anonymous", "confidential"];

/// Who is attacking: a demo account, or an anonymous citizen's device.
const WHO: [&str; 8] = [
    "warga",
    "anonim",
    "kader",
    "petugas",
    "penghubung",
    "admin-makassar",
    "admin-samarinda",
    "admin-nasional",
];

struct World {
    server: Server,
    phones: BTreeMap<&'static str, Phone>,
    /// kind -> (complaint id, full photo sha, thumbnail sha); filed by `warga`, dispatched to
    /// Kota Makassar.
    complaints: BTreeMap<&'static str, (String, String, String)>,
    /// Filed by the cadre (goes straight to Kota Makassar).
    cadre_complaint: String,
}

fn world() -> World {
    let server = Server::start();
    let mut phones = BTreeMap::new();
    for who in WHO {
        let phone = if who == "anonim" {
            Phone::anonymous(&server)
        } else {
            Phone::login(&server, who)
        };
        phones.insert(who, phone);
    }
    let warga = &phones["warga"];
    let mut complaints = BTreeMap::new();
    for (i, kind) in KINDS.into_iter().enumerate() {
        let photo = warga.import_photo(jpeg(640, 480, i as u8)).unwrap().photo;
        let id = warga
            .create_complaint(ComplaintDraft {
                anonymous: kind == "anonymous",
                confidential: kind == "confidential",
                photos: vec![photo.sha256.clone()],
                ..draft(&format!("Laporan {kind}"), "pu.drainase")
            })
            .unwrap()
            .summary
            .id;
        complaints.insert(kind, (id, photo.sha256, photo.thumb_sha256));
    }
    warga.sync_ok();
    let cadre_complaint = phones["kader"]
        .create_complaint(draft("Titik sampah", "lingkungan.sampah"))
        .unwrap()
        .summary
        .id;
    phones["kader"].sync_ok();
    let nasional = &phones["admin-nasional"];
    nasional.sync_ok();
    for (id, _, _) in complaints.values() {
        nasional
            .perform(
                id.clone(),
                WorkflowAction::Dispatch {
                    institution_id: "kota-makassar".into(),
                },
                String::new(),
                vec![],
            )
            .unwrap();
    }
    nasional.sync_ok();
    for p in phones.values() {
        p.sync_ok();
    }
    World {
        server,
        phones,
        complaints,
        cadre_complaint,
    }
}

/// Who may see which complaint of the world: the specification, by hand.
fn visibility(w: &World) -> BTreeMap<&'static str, BTreeSet<String>> {
    let warga_ids: BTreeSet<String> = w.complaints.values().map(|c| c.0.clone()).collect();
    let mut all = warga_ids.clone();
    all.insert(w.cadre_complaint.clone());
    let cadre: BTreeSet<String> = [w.cadre_complaint.clone()].into();
    let none = BTreeSet::new();
    [
        ("warga", warga_ids),
        ("anonim", none.clone()),
        ("kader", cadre),
        ("petugas", all.clone()),
        ("penghubung", all.clone()),
        ("admin-makassar", all.clone()),
        ("admin-samarinda", none),
        ("admin-nasional", all),
    ]
    .into()
}

#[test]
fn reads_complaints_and_photos_reach_exactly_who_may_see_them() {
    let w = world();
    let expected = visibility(&w);
    let http = reqwest::blocking::Client::new();
    for (who, phone) in &w.phones {
        let held: BTreeSet<String> = phone.all().into_iter().map(|c| c.id).collect();
        assert_eq!(&held, &expected[who], "{who} holds exactly what it may see");
        let token = phone.session().access_token;
        for (kind, (id, full, thumb)) in &w.complaints {
            let may = expected[who].contains(id);
            for sha in [full, thumb] {
                let status = http
                    .get(format!("{}/v1/photos/{sha}", w.server.url))
                    .bearer_auth(&token)
                    .send()
                    .unwrap()
                    .status()
                    .as_u16();
                assert_eq!(
                    status,
                    if may { 200 } else { 404 },
                    "{who} fetching the {kind} photo"
                );
            }
        }
    }
    // Without a token, or with a made-up one, nothing at all.
    for token in [None, Some("made-up-token")] {
        for path in [
            "/v1/events".to_string(),
            format!("/v1/photos/{}", w.complaints["public"].1),
        ] {
            let mut req = http.get(format!("{}{path}", w.server.url));
            if let Some(t) = token {
                req = req.bearer_auth(t);
            }
            assert_eq!(
                req.send().unwrap().status().as_u16(),
                401,
                "{path} with {token:?}"
            );
        }
        let mut req = http
            .post(format!("{}/v1/sync", w.server.url))
            .body(vec![1, 2, 3]);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        assert_eq!(req.send().unwrap().status().as_u16(), 401);
    }
    // Handlers of an anonymous complaint never learn who filed it.
    let (anon_id, _, _) = &w.complaints["anonymous"];
    for who in ["petugas", "penghubung", "admin-makassar", "admin-nasional"] {
        let phone = &w.phones[who];
        let json = phone.export_json(anon_id.clone()).unwrap();
        assert!(
            !json.contains("Siti") && !json.contains("\"warga\""),
            "{who}: {json}"
        );
        let detail = phone.get(anon_id.clone()).unwrap();
        assert!(
            !detail.reporter_label.contains("Siti"),
            "{who}: {}",
            detail.reporter_label
        );
    }
}

fn every_action() -> Vec<Action> {
    vec![
        Action::Dispatch {
            institution: "kota-makassar".into(),
        },
        Action::Assign {
            unit: "kota-makassar.dpu".into(),
            field_inspection: false,
        },
        Action::Defer,
        Action::Resume,
        Action::Archive,
        Action::MergeInto {
            target: "00000000-0000-4000-8000-000000000000".into(),
        },
        Action::SetFlags {
            anonymous: false,
            confidential: true,
        },
        Action::StartWork,
        Action::FollowUp,
        Action::Close,
        Action::Reply,
        Action::Reopen,
        Action::Rate { stars: 4 },
        // Last: once accepted, the institution's handlers lose the complaint.
        Action::NotOurAuthority,
    ]
}

/// Which actions each uploader may write on a complaint filed by `warga` and dispatched to
/// Kota Makassar; `None` when they may not write to it at all.
fn may_write(who: &str) -> Option<&'static [&'static str]> {
    match who {
        "warga" => Some(&["reply", "reopen", "rate"]),
        "anonim" | "kader" | "admin-samarinda" => None,
        "petugas" | "penghubung" => Some(&["start_work", "follow_up", "close", "reply"]),
        "admin-makassar" => Some(&[
            "assign",
            "not_our_authority",
            "defer",
            "resume",
            "archive",
            "merge_into",
            "set_flags",
            "start_work",
            "follow_up",
            "close",
            "reply",
        ]),
        "admin-nasional" => Some(&[
            "dispatch",
            "defer",
            "resume",
            "archive",
            "merge_into",
            "set_flags",
            "reply",
        ]),
        other => panic!("no expectation for {other}"),
    }
}

/// The uploader's own, true identity, as its phone would write it (the reporter's events
/// carry none).
fn author(phone: &Phone, as_reporter: bool) -> Author {
    let me = phone.identity().unwrap();
    if as_reporter {
        return Author {
            reporter: true,
            role: me.role,
            account: None,
            name: None,
            institution: None,
            unit: None,
        };
    }
    Author {
        reporter: false,
        role: me.role,
        account: Some(me.account_id),
        name: Some(me.display_name),
        institution: me.institution_id,
        unit: me.unit_id,
    }
}

/// Appends `event` to the complaint's log as the phone holds it (or an empty log) and
/// uploads just that change.
fn forge(w: &World, who: &str, complaint: &str, event: &Event) -> Result<(), String> {
    let phone = &w.phones[who];
    let doc_id = model::doc_id(complaint, DocKind::Log);
    let mut doc = match phone.with_store(|s| s.doc_bytes(&doc_id)).unwrap() {
        Some(b) => automerge::AutoCommit::load(&b).unwrap(),
        None => automerge::AutoCommit::new(),
    };
    doc.put(
        automerge::ROOT,
        log::event_key(&event.id),
        serde_json::to_string(event).unwrap(),
    )
    .unwrap();
    let change = doc.get_last_local_change().unwrap().raw_bytes().to_vec();
    let resp = upload_raw(
        &w.server,
        &phone.session().access_token,
        doc_id,
        vec![change],
    )
    .unwrap_or_else(|status| panic!("{who}: HTTP {status}"));
    match resp.refused.first() {
        Some(r) => Err(r.code.clone()),
        None => {
            assert_eq!(resp.accepted.len(), 1);
            Ok(())
        }
    }
}

#[test]
fn writes_every_role_every_action_every_kind_of_complaint() {
    let mut outcomes = Vec::new();
    for who in WHO {
        // A fresh world per attacker: an accepted "not our authority" changes who handles it.
        let w = world();
        let phone = &w.phones[who];
        // Honest clocks: the server refuses events dated ahead of it or before what they follow.
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis() as i64;
        for kind in KINDS {
            let id = &w.complaints[kind].0;
            for (n, action) in every_action().into_iter().enumerate() {
                let code = action.code();
                let as_reporter = who == "warga";
                let event = Event {
                    id: format!("{who}-{kind}-{n}"),
                    lamport: now as u64 + n as u64,
                    at: now,
                    by: author(phone, as_reporter),
                    action,
                    note: String::new(),
                    photos: vec![],
                };
                let got = forge(&w, who, id, &event);
                let expected = match may_write(who) {
                    None => Err("no_access".to_string()),
                    Some(allowed) if allowed.contains(&code) => Ok(()),
                    Some(_) => Err("role_not_allowed".to_string()),
                };
                outcomes.push((who, kind, code, got.clone()));
                assert_eq!(
                    got, expected,
                    "{who} writing {code} on the {kind} complaint"
                );
            }
            // Claiming another role, or another account, is impersonation whoever tries it.
            if may_write(who).is_some() {
                let mut forged = Event {
                    id: format!("{who}-{kind}-forged"),
                    lamport: now as u64 + 100,
                    at: now,
                    by: author(phone, false),
                    action: Action::Archive,
                    note: String::new(),
                    photos: vec![],
                };
                forged.by.role = if forged.by.role == Role::NationalAdmin {
                    Role::InstitutionAdmin
                } else {
                    Role::NationalAdmin
                };
                assert_eq!(
                    forge(&w, who, id, &forged),
                    Err("impersonation".into()),
                    "{who}"
                );
                forged.by = author(phone, false);
                forged.by.account = Some("someone-else".into());
                forged.id.push('2');
                assert_eq!(
                    forge(&w, who, id, &forged),
                    Err("impersonation".into()),
                    "{who}"
                );
            }
            // Nobody but the reporter touches the report document.
            if who != "warga" {
                let doc_id = model::doc_id(id, DocKind::Report);
                let mut doc = match phone.with_store(|s| s.doc_bytes(&doc_id)).unwrap() {
                    Some(b) => automerge::AutoCommit::load(&b).unwrap(),
                    None => automerge::AutoCommit::new(),
                };
                doc.put(automerge::ROOT, "category_id", "pu.jalan").unwrap();
                let change = doc.get_last_local_change().unwrap().raw_bytes().to_vec();
                let resp = upload_raw(
                    &w.server,
                    &phone.session().access_token,
                    doc_id,
                    vec![change],
                )
                .unwrap();
                let code = &resp.refused.first().expect("refused").code;
                assert!(
                    code == "no_access" || code == "reporter_only",
                    "{who}: {code}"
                );
            }
        }
    }
    // 8 attackers x 3 kinds x 14 actions.
    assert_eq!(outcomes.len(), 8 * 3 * 14);
}

#[test]
fn account_management_is_for_the_national_administrator_only() {
    let w = world();
    let http = reqwest::blocking::Client::new();
    // The target of every disable and move below (disabling a demo account would log its
    // phone out halfway through the matrix).
    let target = serde_json::json!({
        "id": "sasaran",
        "display_name": "Sasaran",
        "role": "officer",
        "institution_id": "kota-makassar",
        "password": "rahasia-sekali",
    });
    let made = http
        .post(format!("{}/v1/admin/accounts", w.server.url))
        .bearer_auth(w.phones["admin-nasional"].session().access_token)
        .json(&target)
        .send()
        .unwrap();
    assert_eq!(made.status().as_u16(), 201);
    for (n, (who, phone)) in w.phones.iter().enumerate() {
        let token = phone.session().access_token;
        let body = serde_json::json!({
            "id": format!("baru-{n}"),
            "display_name": "Petugas Baru",
            "role": "officer",
            "institution_id": "kota-makassar",
            "password": "rahasia-sekali",
        });
        let create = http
            .post(format!("{}/v1/admin/accounts", w.server.url))
            .bearer_auth(&token)
            .json(&body)
            .send()
            .unwrap()
            .status()
            .as_u16();
        let disable = http
            .post(format!(
                "{}/v1/admin/accounts/sasaran/disable",
                w.server.url
            ))
            .bearer_auth(&token)
            .send()
            .unwrap()
            .status()
            .as_u16();
        let moved = http
            .post(format!("{}/v1/admin/accounts/sasaran/move", w.server.url))
            .bearer_auth(&token)
            .json(&serde_json::json!({ "institution_id": "kota-samarinda" }))
            .send()
            .unwrap()
            .status()
            .as_u16();
        let log = http
            .get(format!("{}/v1/admin/security-log", w.server.url))
            .bearer_auth(&token)
            .send()
            .unwrap();
        let log = (log.status().as_u16(), log.text().unwrap());
        if *who == "admin-nasional" {
            assert_eq!(
                (create, disable, moved, log.0),
                (201, 204, 204, 200),
                "{who}"
            );
            // The log names what happened to whom, never what a complaint says.
            for (_, (id, _, _)) in &w.complaints {
                let title = w.phones["warga"].get(id.clone()).unwrap().summary.title;
                assert!(!log.1.contains(&title), "{title} in the security log");
            }
        } else {
            assert_eq!(
                (create, disable, moved, log.0),
                (403, 403, 403, 403),
                "{who}"
            );
            assert!(!log.1.contains("entries"), "{who}: {}", log.1);
        }
    }
    for (method, path) in [
        (reqwest::Method::POST, "/v1/admin/accounts"),
        (reqwest::Method::GET, "/v1/admin/security-log"),
    ] {
        let anonymous = http
            .request(method, format!("{}{path}", w.server.url))
            .json(&serde_json::json!({}))
            .send()
            .unwrap()
            .status()
            .as_u16();
        assert_eq!(anonymous, 401, "{path}");
    }
}

/// One raw sync round with `token`, as a tampered client would send it.
fn raw_sync(
    w: &World,
    token: &str,
    uploads: Vec<DocUpload>,
    resync: Vec<String>,
) -> (u16, Vec<u8>) {
    let req = SyncRequest {
        version: protocol::VERSION,
        cursor: 0,
        uploads,
        resync,
        max_response_bytes: 32 << 20,
        ack: 0,
        notices_after: 0,
    };
    let resp = reqwest::blocking::Client::new()
        .post(format!("{}/v1/sync", w.server.url))
        .bearer_auth(token)
        .body(protocol::encode(&req).unwrap())
        .send()
        .unwrap();
    (resp.status().as_u16(), resp.bytes().unwrap().to_vec())
}

/// The complaint a document of a response belongs to, checked against what `who` may see; a
/// report's content is recognised by its title too, whatever id it is sent under.
fn check_downloads(
    who: &str,
    path: &str,
    resp: &SyncResponse,
    may_see: &BTreeSet<String>,
    titles: &BTreeMap<String, String>,
) {
    for d in &resp.downloads {
        let (complaint, _) = model::parse_doc_id(&d.doc_id).expect("a document id");
        assert!(
            may_see.contains(complaint),
            "{who} received {} through {path}",
            d.doc_id
        );
        let mut doc = automerge::AutoCommit::new();
        if doc.load_incremental(&d.data).is_ok() {
            if let Some(r) = aduan_core::model::report::read(&doc) {
                let owner = titles
                    .iter()
                    .find(|(_, t)| **t == r.title)
                    .map(|(id, _)| id);
                assert!(
                    owner.is_none_or(|id| may_see.contains(id)),
                    "{who} received the report \"{}\" through {path}",
                    r.title
                );
            }
        }
    }
    for r in &resp.refused {
        for (id, title) in titles {
            if !may_see.contains(id) {
                assert!(!r.message_en.contains(title) && !r.message_id.contains(title));
            }
        }
    }
}

/// Every complaint's id and title.
fn titles(w: &World) -> BTreeMap<String, String> {
    let mut titles: BTreeMap<String, String> = w
        .complaints
        .iter()
        .map(|(kind, c)| (c.0.clone(), format!("Laporan {kind}")))
        .collect();
    titles.insert(w.cadre_complaint.clone(), "Titik sampah".into());
    titles
}

fn every_doc(titles: &BTreeMap<String, String>) -> Vec<String> {
    titles
        .keys()
        .flat_map(|id| [DocKind::Report, DocKind::Log].map(|k| model::doc_id(id, k)))
        .collect()
}

/// An upload naming another complaint's document, with no changes, is refused; its answer
/// carries nothing the uploader may not see (issue 13, item 1), whoever sends it, one
/// document at a time or all at once.
#[test]
fn refused_uploads_answer_with_nothing_the_user_may_not_see() {
    let w = world();
    let expected = visibility(&w);
    let titles = titles(&w);
    let every_doc = every_doc(&titles);
    let uploads = |docs: &[String]| {
        docs.iter()
            .map(|d| DocUpload {
                doc_id: d.clone(),
                changes: vec![],
            })
            .collect::<Vec<_>>()
    };
    for (who, phone) in &w.phones {
        let token = phone.session().access_token;
        let mut probes = vec![every_doc.clone()];
        probes.extend(every_doc.iter().map(|d| vec![d.clone()]));
        for docs in probes {
            let (status, body) = raw_sync(&w, &token, uploads(&docs), vec![]);
            assert_eq!(status, 200, "{who}");
            let resp = protocol::decode_response(&body).unwrap();
            let path = format!("an empty upload of {}", docs.join(", "));
            check_downloads(who, &path, &resp, &expected[who], &titles);
        }
    }
}

/// What comes back, on every path, carries no document, photo or event the user may not see:
/// sync downloads (plain, asked again, and answers to refused uploads), live events, photo
/// bodies and headers, and every other endpoint's body.
#[test]
fn responses_carry_nothing_the_user_may_not_see() {
    let w = world();
    let expected = visibility(&w);
    let titles = titles(&w);
    let every_doc = every_doc(&titles);
    let http = reqwest::blocking::Client::new();
    let hidden_text = |who: &str, path: &str, body: &[u8]| {
        let text = String::from_utf8_lossy(body);
        for (id, title) in &titles {
            if !expected[who].contains(id) {
                assert!(!text.contains(title), "{who}: {path} names {title}");
            }
        }
    };

    // Live events: every listener hears only complaints it may see, and those who may see
    // one hear of it.
    let streams: BTreeMap<&str, _> = w
        .phones
        .iter()
        .map(|(who, p)| (*who, listen_events(&w.server, p)))
        .collect();
    std::thread::sleep(std::time::Duration::from_millis(300));
    let nasional = &w.phones["admin-nasional"];
    for id in titles.keys() {
        nasional
            .perform(
                id.clone(),
                WorkflowAction::Reply,
                "Sedang diproses.".into(),
                vec![],
            )
            .unwrap();
    }
    nasional.sync_ok();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    for (who, rx) in &streams {
        let mut heard = BTreeSet::new();
        while let Ok(data) = rx.try_recv() {
            hidden_text(who, "/v1/events", data.as_bytes());
            let json: serde_json::Value = serde_json::from_str(&data).unwrap();
            for id in json["complaints"].as_array().into_iter().flatten() {
                heard.insert(id.as_str().unwrap().to_string());
            }
        }
        assert!(heard.is_subset(&expected[*who]), "{who} heard {heard:?}");
        if *who != "admin-nasional" {
            assert_eq!(heard, expected[*who], "{who} hears what it may see");
        }
    }

    let unknown = "0".repeat(64);
    for (who, phone) in &w.phones {
        let token = phone.session().access_token;
        let may_see = &expected[who];
        // Sync: the plain round and every document asked for again (refused uploads have a
        // test of their own below).
        for (path, resync) in [("a plain sync", vec![]), ("resync", every_doc.clone())] {
            let (status, body) = raw_sync(&w, &token, vec![], resync);
            assert_eq!(status, 200, "{who}: {path}");
            let resp = protocol::decode_response(&body).unwrap();
            check_downloads(who, path, &resp, may_see, &titles);
            for r in &resp.revoked {
                assert!(titles.contains_key(r), "{who}: revoked names {r}");
            }
        }

        // Photos: a body only to who may see, with its type and nosniff; otherwise the very
        // answer an unknown photo gets, in body and headers.
        let absent_get = http
            .get(format!("{}/v1/photos/{unknown}", w.server.url))
            .bearer_auth(&token)
            .send()
            .unwrap();
        let absent_get = (absent_get.status().as_u16(), absent_get.bytes().unwrap());
        let head = |sha: &str| {
            let r = http
                .head(format!("{}/v1/photos/{sha}", w.server.url))
                .bearer_auth(&token)
                .send()
                .unwrap();
            let h = |n: &str| r.headers().get(n).map(|v| v.to_str().unwrap().to_string());
            (
                r.status().as_u16(),
                h("upload-offset"),
                h("upload-complete"),
            )
        };
        let absent_head = head(&unknown);
        for (kind, (id, full, thumb)) in &w.complaints {
            for sha in [full, thumb] {
                let r = http
                    .get(format!("{}/v1/photos/{sha}", w.server.url))
                    .bearer_auth(&token)
                    .send()
                    .unwrap();
                if may_see.contains(id) {
                    assert_eq!(r.status(), 200, "{who}: the {kind} photo");
                    assert_eq!(r.headers()["content-type"], "image/jpeg");
                    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
                    let bytes = r.bytes().unwrap();
                    assert_eq!(&aduan_core::photo::sha256_hex(&bytes), sha);
                } else {
                    let got = (r.status().as_u16(), r.bytes().unwrap());
                    assert_eq!(got, absent_get, "{who}: GET of the {kind} photo");
                    assert_eq!(head(sha), absent_head, "{who}: HEAD of the {kind} photo");
                }
            }
        }

        // Everything else a signed-in user can reach.
        for path in ["/health", "/metrics", "/health/detail", "/v1/directory"] {
            let r = http
                .get(format!("{}{path}", w.server.url))
                .bearer_auth(&token)
                .send()
                .unwrap();
            let status = r.status().as_u16();
            let body = r.bytes().unwrap();
            hidden_text(who, path, &body);
            if path == "/health" {
                assert_eq!(
                    serde_json::from_slice::<serde_json::Value>(&body).unwrap(),
                    serde_json::json!({ "status": "ok" }),
                    "{who}: /health says nothing more"
                );
            }
            if path == "/metrics" || path == "/health/detail" {
                assert_ne!(status, 200, "{who}: {path} is for operators");
            }
        }
    }
}

#[test]
fn metrics_and_detailed_health_are_for_operators_only() {
    let operator = "operator-only-0123456789abcdef";
    let server = Server::start_with(Storage::fresh(), &["--metrics-token", operator]);
    let warga = Phone::login(&server, "warga");
    warga
        .create_complaint(draft("Selokan", "pu.drainase"))
        .unwrap();
    warga.sync_ok();
    let nasional = Phone::login(&server, "admin-nasional");
    let http = reqwest::blocking::Client::new();
    let get_from = |server: &Server, path: &str, token: Option<&str>| {
        let mut req = http.get(format!("{}{path}", server.url));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let r = req.send().unwrap();
        (r.status().as_u16(), r.text().unwrap())
    };
    let get = |path: &str, token: Option<&str>| get_from(&server, path, token);
    let (status, body) = get("/health", None);
    assert_eq!(status, 200);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&body).unwrap(),
        serde_json::json!({ "status": "ok" })
    );
    let citizen = warga.session().access_token;
    let admin = nasional.session().access_token;
    for token in [
        None,
        Some(citizen.as_str()),
        Some(admin.as_str()),
        Some("operator-only"),
    ] {
        for path in ["/metrics", "/health/detail"] {
            let (status, body) = get(path, token);
            assert_eq!(status, 401, "{path} with {token:?}");
            assert!(
                !body.contains("aduan_") && !body.contains("complaints"),
                "{body}"
            );
        }
    }
    let (status, body) = get("/metrics", Some(operator));
    assert_eq!(status, 200);
    assert!(body.contains("aduan_syncs_total 1"), "{body}");
    let (status, body) = get("/health/detail", Some(operator));
    assert_eq!(status, 200);
    let detail: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(detail["complaints"], 1);
    // A server told no operator token serves no figures at all.
    let plain = Server::start();
    for path in ["/metrics", "/health/detail"] {
        assert_eq!(get_from(&plain, path, None).0, 404, "{path}");
    }
}
