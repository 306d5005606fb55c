//! Three replicas, random sequences of actions by different roles with random partial syncs in
//! between, then everything merged in a random order: every replica ends with the same
//! documents, the same derived status and timeline, and nothing any of them wrote is lost.
//! The complaint arrives by a random road (the app with the reporter's contact, or a call
//! centre, desk or bridge through an operator): every replica reads the same channel and
//! operator, and the reporter's contact never leaves the phone that took it.

mod common;

use aduan_core::api::records::*;
use aduan_core::model::channel::Channel;
use aduan_core::model::reporter::ReporterContact;
use aduan_core::model::{self, DocKind};
use aduan_core::types::Identity;
use common::*;
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Step {
    /// Replica, identity, action.
    Act(usize, usize, usize),
    /// The reporter's replica edits the title.
    Edit(String),
    /// One-way partial sync between two replicas.
    Sync(usize, usize),
    /// Time passes (working days).
    Wait(u8),
    /// The system's escalation sweep runs on a replica (as two servers, or a server and a
    /// phone, might each run it before they hear of the other's step).
    Escalate(usize),
}

fn identities() -> Vec<Identity> {
    vec![
        citizen(),
        national_admin(),
        institution_admin(),
        officer(),
        liaison_officer(),
    ]
}

fn action(i: usize) -> (WorkflowAction, &'static str) {
    match i % 14 {
        0 => (
            WorkflowAction::Dispatch {
                institution_id: INSTITUTION.into(),
            },
            "disposisi",
        ),
        1 => (
            WorkflowAction::Assign {
                unit_id: UNIT_PU.into(),
                field_inspection: false,
            },
            "teruskan",
        ),
        2 => (WorkflowAction::StartWork, "mulai"),
        3 => (WorkflowAction::FollowUp, "tindak lanjut"),
        4 => (WorkflowAction::Reply, "balasan"),
        5 => (WorkflowAction::Rate { stars: 4 }, "nilai"),
        6 => (WorkflowAction::Reopen, "buka lagi"),
        7 => (WorkflowAction::Defer, "tunda"),
        8 => (WorkflowAction::Resume, "lanjut"),
        9 => (WorkflowAction::NotOurAuthority, "bukan wewenang"),
        10 => (WorkflowAction::Close, "tutup"),
        11 => (
            WorkflowAction::SetFlags {
                anonymous: true,
                confidential: false,
            },
            "anonim",
        ),
        12 => (
            WorkflowAction::Dispatch {
                institution_id: OTHER_INSTITUTION.into(),
            },
            "alihkan",
        ),
        _ => (
            WorkflowAction::Assign {
                unit_id: UNIT_DLH.into(),
                field_inspection: true,
            },
            "teruskan dlh",
        ),
    }
}

/// How the complaint arrives: 0 the app, named; 1 the call centre for a named caller; 2 the
/// desk for an anonymous walk-in; 3 bridged from SP4N-LAPOR!.
fn file(road: usize, filer: &Phone) -> String {
    let contact = ReporterContact {
        name: "Daeng Baso".into(),
        phone: "081144556677".into(),
        email: String::new(),
    };
    let mut d = draft("Saluran air tersumbat");
    let filed = match road {
        0 => filer.create_named_complaint(d, contact),
        1 => filer.file_on_behalf(d, Some(contact)),
        2 => {
            d.channel = Some(Channel::Desk);
            filer.file_on_behalf(d, None)
        }
        _ => {
            d.channel = Some(Channel::Bridged {
                system: "SP4N-LAPOR".into(),
                reference: "LAP-0001".into(),
            });
            filer.file_on_behalf(d, Some(contact))
        }
    };
    filed.unwrap().summary.id
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        5 => (0..3usize, 0..5usize, 0..14usize).prop_map(|(r, who, a)| Step::Act(r, who, a)),
        1 => "[a-z ]{1,12}".prop_map(Step::Edit),
        3 => (0..3usize, 0..3usize).prop_map(|(a, b)| Step::Sync(a, b)),
        1 => (1..6u8).prop_map(Step::Wait),
        2 => (0..3usize).prop_map(Step::Escalate),
    ]
}

fn heads(p: &Phone, id: &str) -> Vec<Vec<u8>> {
    [DocKind::Report, DocKind::Log]
        .iter()
        .map(|k| {
            p.with_store(|s| {
                Ok(match s.doc_bytes(&model::doc_id(id, *k))? {
                    Some(bytes) => {
                        let mut doc = automerge::AutoCommit::load(&bytes)?;
                        let mut h = doc.get_heads();
                        h.sort();
                        h.iter().flat_map(|h| h.0).collect()
                    }
                    None => Vec::new(),
                })
            })
            .unwrap()
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, max_shrink_iters: 200, ..ProptestConfig::default() })]

    #[test]
    fn random_offline_histories_converge(road in 0..4usize, steps in proptest::collection::vec(step(), 1..40), order in proptest::collection::vec((0..3usize, 0..3usize), 6..12)) {
        let mut now = wib(2025, 7, 1, 9);
        let filer = if road == 0 { citizen() } else { liaison_officer() };
        let replicas = [phone(filer, now), phone(national_admin(), now), phone(officer(), now)];
        let id = file(road, &replicas[0]);
        push(&replicas[0], &replicas[1]);
        push(&replicas[0], &replicas[2]);
        let people = identities();
        let mut written: Vec<String> = Vec::new();
        let mut n = 0;
        for s in &steps {
            match s {
                Step::Act(r, who, a) => {
                    let p = &replicas[*r];
                    p.set_identity(people[*who].clone()).unwrap();
                    let (act, label) = action(*a);
                    n += 1;
                    let note = format!("{label} #{n}");
                    if p.perform(id.clone(), act, note.clone(), vec![]).is_ok() {
                        written.push(note);
                    }
                }
                Step::Edit(text) => {
                    let _ = replicas[0].edit_complaint(id.clone(), ComplaintEdit { title: Some(format!("Saluran {text}")), ..Default::default() });
                }
                Step::Sync(a, b) if a != b => push(&replicas[*a], &replicas[*b]),
                Step::Sync(..) => {}
                Step::Escalate(r) => {
                    replicas[*r].with_store(|s| s.escalate_overdue(&id)).unwrap();
                }
                Step::Wait(days) => {
                    now += i64::from(*days) * 86_400_000;
                    for p in &replicas { p.set_clock(Some(now)); }
                }
            }
        }
        // Merge in a random order, then a full round so every replica has everything.
        for (a, b) in order {
            if a != b { push(&replicas[a], &replicas[b]); }
        }
        for a in 0..3 { for b in 0..3 { if a != b { push(&replicas[a], &replicas[b]); } } }

        let views: Vec<ComplaintDetail> = replicas.iter().map(|p| p.get(id.clone()).unwrap()).collect();
        let h0 = heads(&replicas[0], &id);
        for (i, v) in views.iter().enumerate() {
            prop_assert_eq!(heads(&replicas[i], &id), h0.clone());
            prop_assert_eq!(v.summary.status, views[0].summary.status);
            prop_assert_eq!(&v.summary.title, &views[0].summary.title);
            prop_assert_eq!(&v.timeline, &views[0].timeline);
            prop_assert_eq!(v.summary.institution_id.clone(), views[0].summary.institution_id.clone());
            prop_assert_eq!(&v.summary.channel, &views[0].summary.channel);
            prop_assert_eq!(&v.filed_by, &views[0].filed_by);
            prop_assert_eq!(&v.bridged_from, &views[0].bridged_from);
            prop_assert_eq!(v.summary.anonymous, views[0].summary.anonymous);
            prop_assert_eq!(v.reporter_role, views[0].reporter_role);
            prop_assert_eq!(&v.deadline, &views[0].deadline);
            let escalation = |p: &Phone| p.with_store(|s| Ok(s.load(&id)?.replay.state.escalation)).unwrap();
            prop_assert_eq!(escalation(&replicas[i]), escalation(&replicas[0]));
        }
        let expected = ["app", "call_centre", "desk", "bridged"][road];
        prop_assert_eq!(views[0].summary.channel.as_str(), expected);
        prop_assert_eq!(views[0].filed_by.is_some(), road != 0);
        // The contact stays on the phone that took it, and only while the report is named.
        let kept = replicas[0].with_store(|s| s.local_reporter_contact(&id)).unwrap();
        prop_assert_eq!(kept.is_some(), road != 2 && !views[0].summary.anonymous);
        for p in &replicas[1..] {
            prop_assert_eq!(p.with_store(|s| s.local_reporter_contact(&id)).unwrap(), None);
        }
        // Each escalation step appears once, however many replicas wrote it.
        let steps: Vec<&str> = views[0].timeline.iter().filter(|e| e.action == "escalate").map(|e| e.id.as_str()).collect();
        let mut unique = steps.clone();
        unique.sort();
        unique.dedup();
        prop_assert_eq!(unique.len(), steps.len());
        let notes: Vec<&str> = views[0].timeline.iter().filter(|e| e.action != "escalate").map(|e| e.note.as_str()).collect();
        for w in &written {
            prop_assert!(notes.contains(&w.as_str()), "lost: {}", w);
        }
        prop_assert_eq!(notes.len(), written.len());
    }
}
