//! Test fixtures shared by the services' unit tests.

use aduan_core::model::channel::Channel;
use aduan_core::model::event::{Action, Author, Event};
use aduan_core::model::report::NewReport;
use aduan_core::model::{self, log, report, DocKind};
use aduan_core::types::{Location, ReportKind, Role};
use automerge::AutoCommit;

use crate::storage::Db;
use crate::vals;

/// A complaint the national desk sent to Makassar at `at`, stored as a sync round leaves
/// it, with `status` in its row.
pub fn dispatched(db: &Db, id: &str, at: i64, status: &str) {
    let mut report_doc = AutoCommit::new();
    report::create(
        &mut report_doc,
        id,
        &NewReport {
            kind: ReportKind::Complaint,
            category: "pu.drainase".into(),
            title: "Selokan tersumbat".into(),
            description: "Air meluap.".into(),
            location: Location::default(),
            anonymous: false,
            confidential: false,
            photos: vec![],
            channel: Channel::App,
        },
        at - 3_600_000,
        Role::Citizen,
        None,
        None,
    )
    .unwrap();
    let mut log_doc = AutoCommit::new();
    let dispatch = Event {
        id: "e1".into(),
        lamport: 1,
        at,
        by: Author {
            reporter: false,
            role: Role::NationalAdmin,
            account: Some("admin-nasional".into()),
            name: None,
            institution: None,
            unit: None,
        },
        action: Action::Dispatch {
            institution: "kota-makassar".into(),
        },
        note: String::new(),
        photos: vec![],
    };
    log::append(&mut log_doc, &dispatch).unwrap();
    db.run(|sql| {
        sql.execute(
            "INSERT INTO complaints (id, owner_account, tracking_id, institution_id, status, access_seq)
             VALUES ($1, 'warga', $2, 'kota-makassar', $3, 0)",
            vals![id, model::tracking_id(id), status],
        )?;
        for (kind, doc) in [(DocKind::Report, &mut report_doc), (DocKind::Log, &mut log_doc)] {
            sql.execute(
                "INSERT INTO docs (doc_id, complaint_id, snapshot, heads) VALUES ($1, $2, $3, $4)",
                vals![model::doc_id(id, kind), id, doc.save(), Vec::<u8>::new()],
            )?;
        }
        Ok(())
    })
    .unwrap();
}
