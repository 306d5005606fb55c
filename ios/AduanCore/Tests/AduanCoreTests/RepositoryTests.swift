import AduanCore
import XCTest

/// The Swift facade driving the real core (the static library in AduanCoreFFI.xcframework), as
/// the app does, offline: the scenarios of the Kotlin RepositoryTest.kt and more.
final class RepositoryTests: XCTestCase {
    @MainActor
    func testCitizenFilesAReportWithAPhotoOfflineAndFindsItInTheList() async throws {
        let store = try newStore()
        try store.setIdentity(identity: citizen)
        let repo = AduanRepository(store: store)

        let filed = try await repo.file(draft("Selokan tersumbat"), photos: [jpeg(width: 1200, height: 900)])
        XCTAssertEqual(filed.summary.status, .submitted)
        XCTAssertTrue(filed.summary.trackingId.hasPrefix("ADU-"))
        XCTAssertEqual(filed.photos.count, 1)
        XCTAssertEqual(filed.photos.first?.available, true)
        XCTAssertEqual(filed.deadline?.stage, .nationalVerification)
        XCTAssertTrue(filed.summary.pendingSync, "offline: waiting to be sent")
        XCTAssertTrue(filed.summary.mine)

        let mine = try await first(repo.complaints(ComplaintFilter(mineOnly: true, sort: .newest, limit: 10)))
        XCTAssertEqual(mine.map(\.id), [filed.summary.id])
        let found = try await first(repo.complaints(ComplaintFilter(text: "selokan", sort: .newest, limit: 10)))
        XCTAssertEqual(found.count, 1)

        let status = try await repo.refreshStatus()
        XCTAssertEqual(status.pendingPhotos, 1)
        XCTAssertGreaterThan(status.pendingDocuments, 0)
        XCTAssertFalse(status.signedIn, "a local identity is not a server session")

        // Both sizes are on the phone, and the thumbnail is smaller.
        let photo = try XCTUnwrap(filed.photos.first)
        let full = try await repo.localPhoto(photo.sha256)
        let thumb = try await repo.localPhoto(photo.thumbSha256)
        XCTAssertNotNil(full)
        XCTAssertLessThan(try XCTUnwrap(thumb).count, try XCTUnwrap(full).count)
    }

    @MainActor
    func testListsFilterByKindCategoryAndStatus() async throws {
        let store = try newStore()
        try store.setIdentity(identity: citizen)
        let repo = AduanRepository(store: store)
        let drain = try await repo.file(draft("Selokan tersumbat"))
        var request = draft("Jadwal pengangkutan", category: "lingkungan.sampah", description: "Kapan truk sampah datang ke Kelurahan Bontoduri?")
        request.kind = .informationRequest
        let trash = try await repo.file(request)

        let newest = try await repo.list(ComplaintFilter(sort: .newest, limit: 10))
        XCTAssertEqual(Set(newest.map(\.id)), [drain.summary.id, trash.summary.id])

        let kinds = try await repo.list(ComplaintFilter(kinds: [.informationRequest], sort: .newest, limit: 10))
        XCTAssertEqual(kinds.map(\.id), [trash.summary.id])
        XCTAssertFalse(kinds[0].kindLabel.isEmpty)

        // A category takes everything below it.
        let publicWorks = try await repo.list(ComplaintFilter(categoryId: "pu", sort: .newest, limit: 10))
        XCTAssertEqual(publicWorks.map(\.id), [drain.summary.id])
        XCTAssertEqual(publicWorks[0].categoryLabel, "Drainase dan selokan")

        let submitted = try await repo.list(ComplaintFilter(statuses: [.submitted], sort: .newest, limit: 10))
        XCTAssertEqual(submitted.count, 2)
        let completed = try await repo.list(ComplaintFilter(statuses: [.completed], sort: .newest, limit: 10))
        XCTAssertTrue(completed.isEmpty)

        let paged = try await repo.list(ComplaintFilter(sort: .newest, limit: 1, offset: 1))
        XCTAssertEqual(paged.count, 1)

        let unknown = try await aduanError {
            try await repo.list(ComplaintFilter(categoryId: "tidak-ada", sort: .newest, limit: 10))
        }
        guard case .InvalidInput = unknown else { return XCTFail("expected InvalidInput, got \(unknown)") }
        XCTAssertEqual(unknown.code, "invalid_input")
    }

    @MainActor
    func testFullTextSearchMatchesTitleDescriptionAndAddressByPrefix() async throws {
        let store = try newStore()
        try store.setIdentity(identity: citizen)
        let repo = AduanRepository(store: store)
        let drain = try await repo.file(draft("Selokan tersumbat"))
        let trash = try await repo.file(draft("Jadwal pengangkutan", category: "lingkungan.sampah", description: "Kapan truk sampah datang ke Kelurahan Bontoduri?"))

        let byDescription = try await repo.search("bontoduri")
        XCTAssertEqual(byDescription.map(\.id), [trash.summary.id])
        let byPrefix = try await repo.search("selok")
        XCTAssertEqual(byPrefix.map(\.id), [drain.summary.id], "prefix match")
        let byAddress = try await repo.search("SULTAN alauddin")
        XCTAssertEqual(byAddress.count, 2, "address, any case")
        let hostile = try await repo.search("\"; DROP TABLE complaints; --")
        XCTAssertTrue(hostile.isEmpty)
        let nothing = try await repo.search("jembatan")
        XCTAssertTrue(nothing.isEmpty)
    }

    @MainActor
    func testRefusalsArriveAsTypedErrorsInBothLanguages() async throws {
        let store = try newStore()
        try store.setIdentity(identity: citizen)
        let repo = AduanRepository(store: store)
        let id = try await repo.file(draft("Jalan rusak")).summary.id

        let dispatch = try await aduanError {
            try await repo.perform(id, action: .dispatch(institutionId: "kota-makassar"))
        }
        guard case .NotAllowed = dispatch else { return XCTFail("expected NotAllowed, got \(dispatch)") }
        XCTAssertEqual(dispatch.code, "role_not_allowed")
        XCTAssertFalse(dispatch.messageId.isEmpty)
        XCTAssertFalse(dispatch.messageEn.isEmpty)
        XCTAssertNotEqual(dispatch.message(in: .id), dispatch.message(in: .en))
        XCTAssertFalse(dispatch.isTransient)

        // The reporter may rate, but not before the follow-up.
        let early = try await aduanError { try await repo.rate(id, stars: 5) }
        XCTAssertEqual(early.code, "invalid_status")

        let bad = try await aduanError { try await repo.importPhoto(Data("bukan foto".utf8)) }
        guard case .PhotoRejected = bad else { return XCTFail("expected PhotoRejected, got \(bad)") }
        XCTAssertEqual(bad.code, "photo_not_image")

        let missing = try await aduanError { try await repo.get("ADU-TIDAK-ADA") }
        guard case .NotFound = missing else { return XCTFail("expected NotFound, got \(missing)") }
        XCTAssertEqual(missing.code, "not_found")

        // Nothing refused was recorded: the timeline holds only the filing.
        let detail = try await repo.get(id)
        XCTAssertEqual(detail.summary.status, .submitted)
        XCTAssertTrue(detail.availableActions.contains(.reply))
        XCTAssertFalse(detail.availableActions.contains(.dispatch))
        XCTAssertFalse(detail.availableActions.contains(.rate))
    }

    @MainActor
    func testDeadlinesCountWorkingDaysAndOverdueReportsComeFirst() async throws {
        let store = try newStore()
        try store.setIdentity(identity: citizen)
        // Wednesday 4 June 2025: Idul Adha (Friday 6) and its collective leave (Monday 9) are
        // skipped, so three working days end on Wednesday 11 June.
        store.setClock(now: wib(2025, 6, 4, 9))
        let repo = AduanRepository(store: store)
        let late = try await repo.file(draft("Selokan tersumbat"))
        let deadline = try XCTUnwrap(late.deadline)
        XCTAssertEqual(deadline.stage, .nationalVerification)
        XCTAssertEqual(deadline.workingDays, 3)
        XCTAssertEqual(deadline.startedAt, wib(2025, 6, 4, 9))
        XCTAssertEqual(deadline.dueAt, wib(2025, 6, 12, 0) - 1)
        XCTAssertFalse(deadline.overdue)
        XCTAssertFalse(deadline.stageLabel.isEmpty)
        XCTAssertEqual(late.summary.dueAt, deadline.dueAt)

        store.setClock(now: wib(2025, 6, 16, 9))
        let fresh = try await repo.file(draft("Lampu jalan mati", category: "pu.penerangan-jalan"))
        let rows = try await repo.list(ComplaintFilter(sort: .dueSoonest, limit: 10))
        XCTAssertEqual(rows.map(\.id), [late.summary.id, fresh.summary.id])
        XCTAssertTrue(rows[0].overdue)
        XCTAssertFalse(rows[1].overdue)
        let overdue = try await repo.list(ComplaintFilter(overdueOnly: true, sort: .dueSoonest, limit: 10))
        XCTAssertEqual(overdue.map(\.id), [late.summary.id])

        let now = try await first(repo.complaint(late.summary.id))
        let running = try XCTUnwrap(now.deadline)
        XCTAssertTrue(running.overdue)
        // Thursday 12, Friday 13 and Monday 16 June have passed since the deadline.
        XCTAssertEqual(running.workingDaysLeft, -3)
    }

    @MainActor
    func testStreamsReReadAfterWritesAndLanguageChanges() async throws {
        let store = try newStore()
        try store.setIdentity(identity: citizen)
        let repo = AduanRepository(store: store)
        let filter = ComplaintFilter(mineOnly: true, sort: .newest, limit: 10)
        var iterator = repo.complaints(filter).makeAsyncIterator()

        let initial = await iterator.next()
        let empty = try XCTUnwrap(initial).get()
        XCTAssertTrue(empty.isEmpty)

        let versionBefore = repo.version
        let filed = try await repo.file(draft("Selokan tersumbat"))
        XCTAssertGreaterThan(repo.version, versionBefore)
        let afterFiling = await iterator.next()
        let one = try XCTUnwrap(afterFiling).get()
        XCTAssertEqual(one.map(\.id), [filed.summary.id])
        XCTAssertEqual(one[0].statusLabel, "Menunggu verifikasi")

        await repo.setLanguage(.en)
        XCTAssertEqual(repo.language, .en)
        let afterLanguage = await iterator.next()
        let english = try XCTUnwrap(afterLanguage).get()
        XCTAssertEqual(english[0].statusLabel, "Awaiting verification")
        XCTAssertEqual(english[0].categoryLabel, "Drainage and gutters")
    }

    @MainActor
    func testLocalChangesAreReportedToTheScheduler() async throws {
        let store = try newStore()
        try store.setIdentity(identity: citizen)
        let repo = AduanRepository(store: store)
        var changes = 0
        repo.onLocalChange = { changes += 1 }
        let id = try await repo.file(draft("Selokan tersumbat")).summary.id
        try await repo.reply(id, text: "Masih tergenang pagi ini", photos: [jpeg(width: 640, height: 480)])
        XCTAssertEqual(changes, 2)

        let detail = try await repo.get(id)
        let reply = try XCTUnwrap(detail.timeline.last)
        XCTAssertEqual(reply.note, "Masih tergenang pagi ini")
        XCTAssertEqual(reply.photos.count, 1)
        XCTAssertTrue(reply.byReporter)
        XCTAssertTrue(reply.applied)
        XCTAssertFalse(reply.actionLabel.isEmpty)
    }

    @MainActor
    func testSignOutIsRefusedWhileAReportIsUnsentAndDiscardingLeavesNothingOfTheAccount() async throws {
        let store = try newStore()
        try store.setIdentity(identity: citizen)
        let repo = AduanRepository(store: store)
        let filed = try await repo.file(draft("Lampu jalan mati"))

        let work = try await repo.unsyncedWork()
        XCTAssertEqual(work.complaints, 1)
        XCTAssertEqual(work.newComplaints, 1)

        let refused = try await aduanError { try await repo.signOut(discardUnsynced: false) }
        guard case .NotAllowed = refused else { return XCTFail("expected NotAllowed, got \(refused)") }
        XCTAssertEqual(refused.code, "unsynced_work")
        XCTAssertNotNil(repo.identity, "refused means still signed in")
        XCTAssertNil(repo.lastSignOut)

        let report = try await repo.signOut(discardUnsynced: true)
        XCTAssertEqual(report.discarded.complaints, 1)
        XCTAssertEqual(repo.lastSignOut, report, "kept for the sign-in screen")
        XCTAssertNil(repo.identity, "the app goes back to sign-in")
        let left = try await repo.unsyncedWork()
        XCTAssertEqual(left.complaints, 0)
        let gone = try await aduanError { try await repo.get(filed.summary.id) }
        guard case .NotFound = gone else { return XCTFail("expected NotFound, got \(gone)") }
    }

    @MainActor
    func testTrackingNeedsAReachableServerAndSaysSoAsASyncFailure() async throws {
        let repo = AduanRepository(store: try newStore())
        // Nothing listens on port 9 of the loopback: no answer, which the track screen offers to retry.
        let unreachable = try await aduanError {
            try await repo.track(serverUrl: "http://127.0.0.1:9", trackingId: "ADU-7K3MQ-9XD2F")
        }
        guard case .Sync = unreachable else { return XCTFail("expected Sync, got \(unreachable)") }
        XCTAssertEqual(unreachable.code, "sync_failed")
        XCTAssertTrue(unreachable.isTransient)
    }
}
