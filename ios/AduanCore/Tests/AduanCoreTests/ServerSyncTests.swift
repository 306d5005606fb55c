import AduanCore
import XCTest

/// Phones converging through a real `aduan-server` process on loopback (the Kotlin
/// RepositoryTest's "two phones" scenario, and the whole workflow from filing to rating).
/// Needs ADUAN_SERVER_BINARY; skipped without it, and on iOS (no child processes there).
final class ServerSyncTests: XCTestCase {
    #if os(macOS)
    private func startServer() throws -> TestServer {
        let server = try TestServer()
        addTeardownBlock { server.stop() }
        return server
    }

    @MainActor
    func testTwoPhonesConvergeThroughARealServer() async throws {
        let server = try startServer()
        let siti = AduanRepository(store: try newStore())
        let admin = AduanRepository(store: try newStore())
        try await siti.login(serverUrl: server.url, account: "warga", password: "aduan-demo")
        try await admin.login(serverUrl: server.url, account: "admin-nasional", password: "aduan-demo")
        XCTAssertEqual(siti.identity?.role, .citizen)
        XCTAssertEqual(admin.identity?.role, .nationalAdmin)
        XCTAssertEqual(siti.syncStatus?.signedIn, true)

        let id = try await siti.file(draft("Banjir di Mangasa"), photos: [jpeg(width: 800, height: 600)]).summary.id
        let sent = try await siti.sync()
        XCTAssertEqual(sent.photosSent, 2, "thumbnail and full size")
        XCTAssertEqual(siti.syncStatus?.pendingDocuments, 0)
        XCTAssertEqual(siti.syncStatus?.pendingPhotos, 0)
        XCTAssertNotNil(siti.syncStatus?.lastSuccessAt)
        XCTAssertFalse(siti.isSyncing)
        XCTAssertNil(siti.syncProgress)

        try await admin.sync()
        let seen = try await first(admin.complaint(id))
        XCTAssertEqual(seen.summary.title, "Banjir di Mangasa")
        let thumb = try await admin.photo(seen.photos[0].thumbSha256)
        XCTAssertNotNil(thumb)
        XCTAssertTrue(seen.availableActions.contains(.dispatch))

        try await admin.perform(id, action: .dispatch(institutionId: "kota-makassar"), note: "Wewenang Pemkot")
        try await admin.sync()
        try await siti.sync()
        let back = try await first(siti.complaint(id))
        XCTAssertEqual(back.summary.status, .dispatched)
        XCTAssertEqual(back.deadline?.stage, .institutionVerification)
        let adminView = try await first(admin.complaint(id))
        XCTAssertEqual(adminView.timeline, back.timeline)
        XCTAssertFalse(back.summary.pendingSync)
    }

    @MainActor
    func testAReportGoesFromFilingToRatingWithEveryStepKept() async throws {
        let server = try startServer()
        let warga = AduanRepository(store: try newStore())
        let nasional = AduanRepository(store: try newStore())
        let pemkot = AduanRepository(store: try newStore())
        let petugas = AduanRepository(store: try newStore())
        try await warga.login(serverUrl: server.url, account: "warga", password: "aduan-demo")
        try await nasional.login(serverUrl: server.url, account: "admin-nasional", password: "aduan-demo")
        try await pemkot.login(serverUrl: server.url, account: "admin-makassar", password: "aduan-demo")
        try await petugas.login(serverUrl: server.url, account: "petugas", password: "aduan-demo")

        let id = try await warga.file(draft("Selokan tersumbat")).summary.id
        try await warga.sync()
        try await nasional.sync()
        try await nasional.perform(id, action: .dispatch(institutionId: "kota-makassar"), note: "disposisi")
        try await nasional.sync()

        try await pemkot.sync()
        let queue = try await pemkot.list(ComplaintFilter(statuses: [.dispatched], sort: .dueSoonest, limit: 50))
        XCTAssertEqual(queue.map(\.id), [id])
        try await pemkot.perform(id, action: .assign(unitId: "kota-makassar.dpu", fieldInspection: false), note: "teruskan")
        try await pemkot.sync()

        try await petugas.sync()
        let assigned = try await petugas.get(id)
        XCTAssertEqual(assigned.summary.status, .assigned)
        XCTAssertTrue(assigned.availableActions.contains(.startWork))
        try await petugas.perform(id, action: .startWork, note: "petugas berangkat")

        // A follow-up must say what was done.
        let empty = try await aduanError { try await petugas.perform(id, action: .followUp, note: "  ") }
        guard case .NotAllowed = empty else { return XCTFail("expected NotAllowed, got \(empty)") }
        XCTAssertEqual(empty.code, "invalid_parameter")

        let done = try await petugas.perform(
            id,
            action: .followUp,
            note: "Selokan sudah dikeruk",
            evidence: [jpeg(width: 1024, height: 768)]
        )
        XCTAssertEqual(done.summary.status, .followedUp)
        XCTAssertEqual(done.timeline.last?.photos.count, 1)
        XCTAssertEqual(done.deadline?.stage, .awaitingReporter)
        try await petugas.sync()

        try await warga.sync()
        let followedUp = try await warga.get(id)
        XCTAssertEqual(followedUp.summary.status, .followedUp)
        XCTAssertTrue(followedUp.availableActions.contains(.rate))
        XCTAssertTrue(followedUp.availableActions.contains(.reopen))
        XCTAssertFalse(followedUp.availableActions.contains(.close))
        let evidence = try XCTUnwrap(followedUp.timeline.last?.photos.first)
        let evidenceBytes = try await warga.photo(evidence)
        XCTAssertNotNil(evidenceBytes, "evidence comes from the server on demand")

        let rated = try await warga.rate(id, stars: 5, note: "Terima kasih")
        XCTAssertEqual(rated.summary.status, .completed)
        XCTAssertEqual(rated.rating?.stars, 5)
        let again = try await aduanError { try await warga.rate(id, stars: 4) }
        XCTAssertEqual(again.code, "already_rated")
        try await warga.sync()

        for phone in [nasional, pemkot, petugas] {
            try await phone.sync()
        }
        let everyone = [warga, nasional, pemkot, petugas]
        var views: [ComplaintDetail] = []
        for phone in everyone {
            views.append(try await phone.get(id))
        }
        for view in views {
            XCTAssertEqual(view.summary.status, .completed)
            XCTAssertEqual(view.timeline, views[0].timeline)
        }
        for phone in everyone {
            let status = try await phone.refreshStatus()
            XCTAssertEqual(status.pendingDocuments, 0)
        }
    }
    #else
    func testServerSyncNeedsMacOS() throws {
        throw XCTSkip("the server tests start aduan-server as a child process: run them with `swift test` on a Mac")
    }
    #endif
}
