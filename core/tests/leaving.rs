//! Leaving a phone (issue 14, item 10): sign-out first says what would be lost, then removes
//! the account's data, and the store is ready for the next person.

mod common;

use aduan_core::api::ffi::AduanStore;
use aduan_core::api::records::ComplaintDraft;
use aduan_core::store::DB_FILE;
use common::*;

/// Every byte the store keeps on disk: the database, its write-ahead log, and the secrets.
fn bytes_on_disk(p: &Phone) -> Vec<u8> {
    let mut all = Vec::new();
    for entry in std::fs::read_dir(p.dir.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            all.extend(std::fs::read(&path).unwrap());
        }
    }
    all
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[test]
fn sign_out_first_counts_what_the_server_does_not_have() {
    let p = phone(citizen(), wib(2025, 6, 2, 9));
    assert!(p.unsynced_work().unwrap().complaints == 0);
    let photo = p.import_photo(jpeg(64, 48)).unwrap().photo.sha256;
    let id = p
        .create_complaint(ComplaintDraft {
            photos: vec![photo],
            ..draft("Lampu jalan mati")
        })
        .unwrap()
        .summary
        .id;
    p.comment(id.clone(), "Sudah seminggu".into(), vec![])
        .unwrap();
    let work = p.unsynced_work().unwrap();
    assert_eq!(work.complaints, 1);
    assert_eq!(work.new_complaints, 1);
    assert_eq!(work.changes, 2, "the report and the reply");
    assert_eq!(work.photos, 1);
    let refused = p.sign_out(false).unwrap_err();
    assert_eq!(refused.code(), "unsynced_work");
    assert!(refused.to_string().contains("1 reports"), "{refused}");
    // Refused means nothing happened.
    assert_eq!(p.get(id).unwrap().summary.title, "Lampu jalan mati");
    assert!(p.identity().is_some());
}

#[test]
fn sign_out_removes_the_accounts_data_and_the_store_serves_the_next_account() {
    let p = phone(officer(), wib(2025, 6, 2, 9));
    let reporter = phone(citizen(), wib(2025, 6, 2, 9));
    let photo = reporter.import_photo(jpeg(64, 48)).unwrap().photo.sha256;
    let id = reporter
        .create_complaint(ComplaintDraft {
            photos: vec![photo.clone()],
            ..draft("Pipa PDAM bocor di Jl. Kenari")
        })
        .unwrap()
        .summary
        .id;
    push(&reporter, &p);
    reporter
        .with_store(|s| {
            let bytes = s.photo_bytes(&photo)?.unwrap();
            let thumb = s.photo_ref(&photo)?.thumb_sha256;
            let thumb_bytes = s.photo_bytes(&thumb)?.unwrap();
            Ok((bytes, thumb, thumb_bytes))
        })
        .map(|(bytes, thumb, thumb_bytes)| {
            p.with_store(|s| {
                s.store_remote_photo(&photo, &bytes, None)?;
                s.store_remote_photo(&thumb, &thumb_bytes, Some(&photo))
            })
            .unwrap()
        })
        .unwrap();
    p.with_store(|s| {
        s.conn()
            .execute("UPDATE sync_docs SET dirty = 0", [])
            .map_err(Into::into)
    })
    .unwrap();
    assert!(contains(&bytes_on_disk(&p), "Kenari"));
    assert!(p.photo(photo.clone()).unwrap().is_some());

    let report = p.sign_out(false).unwrap();
    assert!(report.server_session_ended, "no session to end");
    assert_eq!(report.discarded.complaints, 0);
    assert!(p.identity().is_none());
    assert!(p.get(id.clone()).is_err());
    assert_eq!(p.photo(photo.clone()).unwrap(), None);
    assert!(p.list(Default::default()).unwrap().is_empty());
    assert!(p.search("Kenari".into(), 10).unwrap().is_empty());
    assert!(!p.sync_status().unwrap().signed_in);
    assert!(
        !contains(&bytes_on_disk(&p), "Kenari"),
        "the complaint's text is gone from the files, free pages and log included"
    );

    // The next person signs in on the same store and works.
    p.set_identity(officer_other_institution()).unwrap();
    let mine = p.create_complaint(draft("Jalan rusak")).unwrap().summary.id;
    assert_eq!(p.list(Default::default()).unwrap().len(), 1);
    assert!(p.get(mine).is_ok());
    // And it is the same store after reopening.
    let Phone { store, dir } = p;
    drop(store);
    let again = AduanStore::open(dir.path().to_string_lossy().into_owned()).unwrap();
    assert_eq!(
        again.identity().unwrap().account_id,
        officer_other_institution().account_id
    );
    assert!(dir.path().join(DB_FILE).exists());
}

#[test]
fn signing_out_anyway_discards_the_unsynced_work() {
    let p = phone(citizen(), wib(2025, 6, 2, 9));
    p.create_complaint(draft("Sampah menumpuk di pasar"))
        .unwrap();
    let report = p.sign_out(true).unwrap();
    assert_eq!(report.discarded.new_complaints, 1);
    assert!(p.list(Default::default()).unwrap().is_empty());
    assert_eq!(p.unsynced_work().unwrap().complaints, 0);
    assert!(!contains(&bytes_on_disk(&p), "Sampah menumpuk"));
}
