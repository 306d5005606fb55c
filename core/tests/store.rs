//! The store on a cheap phone: what was saved stays saved, damage is found and contained, lists
//! come from the index, and an actor id is never reused.

mod common;

use aduan_core::api::ffi::AduanStore;
use aduan_core::api::records::*;
use aduan_core::model::{self, DocKind};
use aduan_core::store::{Store, DB_FILE};
use aduan_core::types::{ReportKind, Status};
use common::*;

fn reopen(p: Phone) -> Phone {
    let Phone { store, dir } = p;
    drop(store);
    let store = AduanStore::open(dir.path().to_string_lossy().into_owned()).unwrap();
    Phone { store, dir }
}

#[test]
fn saved_reports_survive_reopening() {
    let p = phone(citizen(), wib(2025, 6, 2, 9));
    let id = p
        .create_complaint(draft("Jalan berlubang"))
        .unwrap()
        .summary
        .id;
    p.comment(id.clone(), "Makin parah".into(), vec![]).unwrap();
    let p = reopen(p);
    assert_eq!(p.identity().unwrap().account_id, "warga-siti");
    let d = p.get(id).unwrap();
    assert_eq!(d.summary.title, "Jalan berlubang");
    assert_eq!(d.timeline.len(), 1);
    assert!(d.summary.mine);
}

#[test]
fn a_second_process_cannot_open_a_store_in_use() {
    let p = phone(citizen(), wib(2025, 6, 2, 9));
    let err = AduanStore::open(p.dir.path().to_string_lossy().into_owned())
        .err()
        .unwrap();
    assert_eq!(err.code(), "store_locked");
}

#[test]
fn a_damaged_document_is_reported_and_does_not_block_the_rest() {
    let p = phone(citizen(), wib(2025, 6, 2, 9));
    let good = p
        .create_complaint(draft("Lampu jalan mati"))
        .unwrap()
        .summary
        .id;
    let bad = p
        .create_complaint(draft("Sampah menumpuk"))
        .unwrap()
        .summary
        .id;
    let Phone { store, dir } = p;
    drop(store);
    {
        // Flip bytes in the middle of the stored change, as a bad flash sector would.
        let conn = rusqlite::Connection::open(dir.path().join(DB_FILE)).unwrap();
        let doc_id = model::doc_id(&bad, DocKind::Report);
        let mut data: Vec<u8> = conn
            .query_row(
                "SELECT data FROM doc_changes WHERE doc_id = ?1",
                [&doc_id],
                |r| r.get(0),
            )
            .unwrap();
        let mid = data.len() / 2;
        for b in &mut data[mid..mid + 8] {
            *b ^= 0xA5;
        }
        conn.execute(
            "UPDATE doc_changes SET data = ?2 WHERE doc_id = ?1",
            rusqlite::params![doc_id, data],
        )
        .unwrap();
    }
    let p = reopen(Phone {
        store: AduanStore::open(dir.path().to_string_lossy().into_owned()).unwrap(),
        dir,
    });
    let err = p.get(bad.clone()).unwrap_err();
    assert_eq!(err.code(), "damaged");
    assert!(
        !err.message(aduan_core::types::Language::En)
            .contains("Sampah"),
        "no complaint text in errors"
    );
    assert_eq!(
        p.get(good.clone()).unwrap().summary.title,
        "Lampu jalan mati"
    );
    let rows = p
        .list(ComplaintFilter {
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().find(|r| r.id == bad).unwrap().damaged);
    let report = p.check().unwrap();
    assert_eq!(report.damaged, vec![bad]);
    assert!(report.database_ok);
    // New work still goes in.
    p.create_complaint(draft("Pohon tumbang")).unwrap();
}

#[test]
fn a_truncated_document_is_detected_by_its_heads() {
    let p = phone(citizen(), wib(2025, 6, 2, 9));
    let id = p
        .create_complaint(draft("Air PDAM keruh"))
        .unwrap()
        .summary
        .id;
    p.comment(id.clone(), "Sudah tiga hari".into(), vec![])
        .unwrap();
    p.comment(id.clone(), "Masih keruh".into(), vec![]).unwrap();
    let Phone { store, dir } = p;
    drop(store);
    {
        let conn = rusqlite::Connection::open(dir.path().join(DB_FILE)).unwrap();
        // Lose the last change but keep the heads record, as a half-restored backup would.
        conn.execute(
            "DELETE FROM doc_changes WHERE doc_id = ?1 AND seq = (SELECT MAX(seq) FROM doc_changes WHERE doc_id = ?1)",
            [model::doc_id(&id, DocKind::Log)],
        )
        .unwrap();
    }
    let p = Phone {
        store: AduanStore::open(dir.path().to_string_lossy().into_owned()).unwrap(),
        dir,
    };
    assert_eq!(p.get(id).unwrap_err().code(), "damaged");
}

#[test]
fn compaction_keeps_every_change_and_shrinks_the_store() {
    let p = phone(citizen(), wib(2025, 6, 2, 9));
    let id = p.create_complaint(draft("Drainase")).unwrap().summary.id;
    // Fewer than the background threshold, so this explicit compaction has the work.
    for i in 0..20 {
        p.comment(id.clone(), format!("catatan {i}"), vec![])
            .unwrap();
    }
    let before = p.get(id.clone()).unwrap();
    let report = p.compact(100).unwrap();
    assert!(report.documents_compacted >= 1);
    assert!(report.bytes_after < report.bytes_before, "{report:?}");
    let p = reopen(p);
    let after = p.get(id.clone()).unwrap();
    assert_eq!(before.timeline, after.timeline);
    p.comment(id.clone(), "setelah pemadatan".into(), vec![])
        .unwrap();
    let p = reopen(p);
    assert_eq!(p.get(id).unwrap().timeline.len(), 21);
}

#[test]
fn documents_are_compacted_in_the_background() {
    let p = phone(citizen(), wib(2025, 6, 2, 9));
    let id = p.create_complaint(draft("Drainase")).unwrap().summary.id;
    for i in 0..40 {
        p.comment(id.clone(), format!("catatan {i}"), vec![])
            .unwrap();
    }
    // Dropping the store waits for the worker, so what it was handed is done.
    let Phone { store, dir } = p;
    drop(store);
    let conn = rusqlite::Connection::open(dir.path().join(DB_FILE)).unwrap();
    let (changes, snapshot): (i64, bool) = conn
        .query_row(
            "SELECT change_count, snapshot IS NOT NULL FROM docs WHERE doc_id = ?1",
            [model::doc_id(&id, DocKind::Log)],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert!(
        snapshot && changes < 32,
        "{changes} changes left, snapshot {snapshot}"
    );
}

#[test]
fn actor_ids_are_never_reused_across_sessions_or_documents() {
    let p = phone(citizen(), wib(2025, 6, 2, 9));
    let a = p.create_complaint(draft("Satu")).unwrap().summary.id;
    let b = p.create_complaint(draft("Dua")).unwrap().summary.id;
    p.comment(a.clone(), "sesi pertama".into(), vec![]).unwrap();
    let p = reopen(p);
    p.comment(a.clone(), "sesi kedua".into(), vec![]).unwrap();
    let actors = |id: &str, kind| {
        p.with_store(|s: &mut Store| {
            let bytes = s.doc_bytes(&model::doc_id(id, kind))?.unwrap();
            let mut doc = automerge::AutoCommit::load(&bytes)?;
            Ok(doc
                .get_changes(&[])
                .iter()
                .map(|c| c.actor_id().clone())
                .collect::<Vec<_>>())
        })
        .unwrap()
    };
    let log_a = actors(&a, DocKind::Log);
    assert_eq!(log_a.len(), 2);
    assert_ne!(log_a[0], log_a[1], "a new session writes with a new actor");
    let report_a = actors(&a, DocKind::Report);
    let report_b = actors(&b, DocKind::Report);
    assert_ne!(
        report_a[0], report_b[0],
        "reports are not linkable by actor"
    );
    assert!(!log_a.contains(&report_a[0]));
}

#[test]
fn lists_filter_sort_and_search_from_the_index() {
    let p = phone(citizen(), wib(2025, 6, 2, 9));
    let a = p
        .create_complaint(draft("Selokan tersumbat"))
        .unwrap()
        .summary
        .id;
    p.set_clock(Some(wib(2025, 6, 3, 9)));
    let b = p
        .create_complaint(ComplaintDraft {
            kind: ReportKind::InformationRequest,
            description: "Kapan truk sampah datang ke Kelurahan Bontoduri?".into(),
            ..draft("Jadwal pengangkutan")
        })
        .unwrap()
        .summary
        .id;
    let newest = p
        .list(ComplaintFilter {
            sort: SortOrder::Newest,
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        newest.iter().map(|r| r.id.clone()).collect::<Vec<_>>(),
        vec![b.clone(), a.clone()]
    );
    let kinds = p
        .list(ComplaintFilter {
            kinds: vec![ReportKind::InformationRequest],
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(kinds.len(), 1);
    assert_eq!(p.search("bontoduri".into(), 10).unwrap()[0].id, b);
    assert_eq!(
        p.search("selok".into(), 10).unwrap()[0].id,
        a,
        "prefix match"
    );
    assert_eq!(
        p.search("SULTAN alauddin".into(), 10).unwrap().len(),
        2,
        "address, any case"
    );
    assert!(p
        .search("\"; DROP TABLE complaints; --".into(), 10)
        .unwrap()
        .is_empty());
    let statuses = p
        .list(ComplaintFilter {
            statuses: vec![Status::Submitted],
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(statuses.len(), 2);
    let near = p
        .list(ComplaintFilter {
            near: Some(Area {
                latitude: -5.1477,
                longitude: 119.4327,
                radius_m: 50.0,
            }),
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(near.len(), 2);
    let far = p
        .list(ComplaintFilter {
            near: Some(Area {
                latitude: -0.5,
                longitude: 117.15,
                radius_m: 5000.0,
            }),
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    assert!(far.is_empty());
    let page = p
        .list(ComplaintFilter {
            sort: SortOrder::Newest,
            limit: 1,
            offset: 1,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(page[0].id, a);
}

#[test]
fn editing_updates_text_and_search_while_waiting_for_verification() {
    let p = phone(citizen(), wib(2025, 6, 2, 9));
    let id = p
        .create_complaint(draft("Selokan tersumbat"))
        .unwrap()
        .summary
        .id;
    let d = p
        .edit_complaint(
            id.clone(),
            ComplaintEdit {
                title: Some("Selokan tersumbat dan bau".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(d.summary.title, "Selokan tersumbat dan bau");
    assert_eq!(p.search("bau".into(), 5).unwrap().len(), 1);
    let err = p
        .edit_complaint(
            id,
            ComplaintEdit {
                title: Some("   ".into()),
                ..Default::default()
            },
        )
        .unwrap_err();
    assert_eq!(err.code(), "invalid_input");
}

#[test]
fn bad_input_gets_a_clear_error_and_changes_nothing() {
    let p = phone(citizen(), wib(2025, 6, 2, 9));
    let cases = [
        ComplaintDraft {
            title: "".into(),
            ..draft("x")
        },
        ComplaintDraft {
            category_id: "tidak.ada".into(),
            ..draft("x")
        },
        ComplaintDraft {
            description: "a".repeat(9000),
            ..draft("x")
        },
        ComplaintDraft {
            location: aduan_core::types::Location {
                latitude: Some(95.0),
                ..draft("x").location
            },
            ..draft("x")
        },
    ];
    for c in cases {
        let err = p.create_complaint(c).unwrap_err();
        assert_eq!(err.code(), "invalid_input");
        assert!(!err.message(aduan_core::types::Language::Id).is_empty());
    }
    assert!(p
        .list(ComplaintFilter {
            limit: 10,
            ..Default::default()
        })
        .unwrap()
        .is_empty());
    assert_eq!(p.pending_sync().unwrap().documents, 0);
    assert_eq!(
        p.get("ADU-NOPE0-NOPE0".into()).unwrap_err().code(),
        "not_found"
    );
}

#[test]
fn nothing_can_be_done_before_signing_in() {
    let dir = tempfile::tempdir().unwrap();
    let p = AduanStore::open(dir.path().to_string_lossy().into_owned()).unwrap();
    assert_eq!(
        p.create_complaint(draft("x")).unwrap_err().code(),
        "no_identity"
    );
}

#[test]
fn local_changes_are_pending_until_synced_and_remote_ones_are_not() {
    let p = phone(citizen(), wib(2025, 6, 2, 9));
    let id = p.create_complaint(draft("Banjir")).unwrap().summary.id;
    assert_eq!(p.pending_sync().unwrap().documents, 1);
    assert!(p.get(id.clone()).unwrap().summary.pending_sync);
    let q = phone(national_admin(), wib(2025, 6, 2, 9));
    push(&p, &q);
    assert_eq!(q.pending_sync().unwrap().documents, 0);
    act(
        &q,
        &id,
        WorkflowAction::Dispatch {
            institution_id: INSTITUTION.into(),
        },
        "",
    );
    assert_eq!(q.pending_sync().unwrap().documents, 1);
}

#[test]
fn garbage_from_the_network_changes_nothing() {
    let p = phone(citizen(), wib(2025, 6, 2, 9));
    let id = p.create_complaint(draft("Banjir")).unwrap().summary.id;
    let doc_id = model::doc_id(&id, DocKind::Log);
    for junk in [
        vec![],
        vec![0u8; 10],
        b"\x85\x6f\x4a\x83garbage".to_vec(),
        vec![0xFF; 4096],
    ] {
        let _ = p.with_store(|s| s.apply_remote(&doc_id, &junk));
    }
    let err = p
        .with_store(|s| s.apply_remote("../../etc/passwd", b"x"))
        .unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    assert!(p.get(id).unwrap().timeline.is_empty());
    assert!(p.check().unwrap().damaged.is_empty());
}

#[test]
fn figures_count_what_the_articles_quote() {
    let t0 = wib(2025, 6, 2, 9);
    let p = phone(citizen(), t0);
    let q = phone(national_admin(), t0);
    let admin = phone(institution_admin(), t0);
    let off = phone(officer(), t0);
    let ids: Vec<String> = (0..4)
        .map(|i| {
            p.create_complaint(draft(&format!("Laporan {i}")))
                .unwrap()
                .summary
                .id
        })
        .collect();
    push(&p, &q);
    for id in &ids[..3] {
        act(
            &q,
            id,
            WorkflowAction::Dispatch {
                institution_id: INSTITUTION.into(),
            },
            "",
        );
    }
    push(&q, &admin);
    for id in &ids[..2] {
        act(
            &admin,
            id,
            WorkflowAction::Assign {
                unit_id: UNIT_PU.into(),
                field_inspection: false,
            },
            "",
        );
    }
    push(&admin, &off);
    off.set_clock(Some(wib(2025, 6, 4, 9)));
    act(
        &off,
        &ids[0],
        WorkflowAction::FollowUp,
        "Selesai dikerjakan",
    );
    push(&off, &p);
    p.rate(ids[0].clone(), 4, "".into()).unwrap();
    // Core's one definition of the figures, as the server computes them: received means an
    // institution received it (the fourth is still with the national desk); assigned to a unit
    // is not yet followed up; waiting complaints count their days up to now.
    let f = p.figures(None).unwrap();
    let t = &f.totals;
    assert_eq!(
        (t.received, t.completed, t.in_process, t.not_followed_up),
        (3, 1, 0, 2)
    );
    assert_eq!(f.at_national_desk, 1);
    assert_eq!(t.completion_rate_percent, Some(33.33));
    assert_eq!(t.followed_up_percent, Some(33.33));
    // Two working days (Monday to Wednesday) for the one followed up; the two still waiting
    // count up to the phone's now, the Monday they arrived: 2 / 3.
    assert_eq!(t.follow_up_working_days_total, 2);
    assert_eq!(t.average_follow_up_working_days, Some(0.7));
    assert_eq!(t.still_waiting, 2);
    assert_eq!(
        (t.rated, t.average_stars, t.satisfied_percent),
        (1, Some(4.0), Some(100.0))
    );
    assert_eq!(f.by_category[0].count, 4);
    // The same figures as core computes from the documents, the way the server does.
    let facts: Vec<_> = ids
        .iter()
        .map(|id| {
            p.with_store(|s| {
                let l = s.load(id)?;
                Ok(aduan_core::figures::derive(
                    &l.report,
                    &aduan_core::figures::channel_of(&l.report),
                    &l.replay,
                    &l.received,
                    &s.deadlines,
                ))
            })
            .unwrap()
        })
        .collect();
    let now = wib(2025, 6, 2, 9);
    let server_way = aduan_core::figures::compute(
        &facts,
        0,
        now + 1,
        None,
        None,
        now,
        &p.with_store(|s| Ok(s.deadlines.clone())).unwrap(),
    )
    .unwrap();
    assert_eq!(&server_way.totals, t);
}

#[test]
fn a_sync_round_lands_whole_or_not_at_all() {
    use aduan_core::sync::protocol::{DocDownload, SyncResponse, VERSION};
    let p = phone(citizen(), wib(2025, 6, 2, 9));
    let ids: Vec<String> = ["Banjir", "Sampah"]
        .iter()
        .map(|t| p.create_complaint(draft(t)).unwrap().summary.id)
        .collect();
    let docs: Vec<DocDownload> = ids
        .iter()
        .map(|id| {
            let doc_id = model::doc_id(id, DocKind::Report);
            let data = p.with_store(|s| s.doc_bytes(&doc_id)).unwrap().unwrap();
            DocDownload {
                doc_id,
                data,
                heads: vec![],
            }
        })
        .collect();
    let response = |downloads: Vec<DocDownload>, cursor| SyncResponse {
        version: VERSION,
        cursor,
        more: false,
        accepted: vec![],
        refused: vec![],
        downloads,
        revoked: vec![],
        owned: vec![],
        round: 5,
        notices: vec![],
    };
    let q = phone(national_admin(), wib(2025, 6, 2, 9));
    // The first complaint is fine, the second's bytes are garbage: nothing lands, not even
    // the first, and the cursor stays where it was.
    let mut bad = docs.clone();
    bad[1].data = vec![0xFF; 64];
    let err = q
        .with_store(|s| s.in_one_transaction(|s| s.apply_sync_response(&[], &response(bad, 7))))
        .unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    let held = |q: &Phone| q.with_store(|s| s.doc_ids()).unwrap().len();
    assert_eq!(held(&q), 0, "nothing from the failed round");
    assert_eq!(q.with_store(|s| s.sync_cursor()).unwrap(), 0);
    assert_eq!(q.with_store(|s| s.sync_ack()).unwrap(), 0, "nor its round");
    // The same round whole lands whole, and the store is sound.
    q.with_store(|s| s.in_one_transaction(|s| s.apply_sync_response(&[], &response(docs, 7))))
        .unwrap();
    assert_eq!(held(&q), 2);
    assert_eq!(q.with_store(|s| s.sync_cursor()).unwrap(), 7);
    assert_eq!(q.with_store(|s| s.sync_ack()).unwrap(), 5);
    assert!(q.check().unwrap().damaged.is_empty());
}

#[test]
fn nearby_reports_come_nearest_first_with_core_s_distance() {
    let p = phone(citizen(), wib(2025, 6, 2, 9));
    let centre = (-5.1477, 119.4327);
    // Filed far, near, middle (about 2 km, 200 m and 800 m north of the centre), newest last.
    let mut ids = Vec::new();
    for (hour, (title, north_m)) in [("Jauh", 2000.0), ("Dekat", 200.0), ("Tengah", 800.0)]
        .into_iter()
        .enumerate()
    {
        p.set_clock(Some(wib(2025, 6, 2, 10 + hour as u8)));
        let mut d = draft(title);
        d.location.latitude = Some(centre.0 + north_m / 111_320.0);
        d.location.longitude = Some(centre.1);
        ids.push(p.create_complaint(d).unwrap().summary.id);
    }
    let listed = |sort, radius_m| -> Vec<String> {
        p.list(ComplaintFilter {
            near: Some(Area {
                latitude: centre.0,
                longitude: centre.1,
                radius_m,
            }),
            sort,
            limit: 10,
            ..Default::default()
        })
        .unwrap()
        .into_iter()
        .map(|s| s.title)
        .collect()
    };
    assert_eq!(
        listed(SortOrder::Nearest, 5000.0),
        ["Dekat", "Tengah", "Jauh"]
    );
    assert_eq!(
        listed(SortOrder::Newest, 5000.0),
        ["Tengah", "Dekat", "Jauh"]
    );
    assert_eq!(listed(SortOrder::Nearest, 1000.0), ["Dekat", "Tengah"]);
    let near = p.get(ids[1].clone()).unwrap().summary;
    let metres = aduan_core::api::places::distance_metres(
        centre.0,
        centre.1,
        near.latitude.unwrap(),
        near.longitude.unwrap(),
    );
    assert!((metres - 200.0).abs() < 1.0, "{metres}");
}
