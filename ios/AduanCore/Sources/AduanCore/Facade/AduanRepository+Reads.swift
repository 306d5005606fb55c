import Foundation

/// Reads: live streams that re-read after every change, and one-shot reads.
extension AduanRepository {
    // MARK: - Live reads

    /// A complaint list that re-reads after every write, sync or language change. Iterate it in
    /// a SwiftUI `.task(id:)`; ending the iteration ends the stream.
    public func complaints(_ filter: ComplaintFilter) -> AsyncStream<Result<[ComplaintSummary], AduanError>> {
        observe { try $0.list(filter: filter) }
    }

    /// One complaint (by id or tracking id), re-read after every change.
    public func complaint(_ id: String) -> AsyncStream<Result<ComplaintDetail, AduanError>> {
        observe { try $0.get(id: id) }
    }

    /// The category tree, labelled in the store's language.
    public func categories() -> AsyncStream<Result<[CategoryView], AduanError>> {
        observe { $0.categories() }
    }

    /// Work done here that the server refused, with the reasons, across all complaints.
    public func refusedWork() -> AsyncStream<Result<[RefusedView], AduanError>> {
        observe { try $0.refusedWork() }
    }

    /// Runs `read` on the core queue now and after every change, yielding each result. The
    /// newest result wins when the reader is slower than the changes.
    public func observe<T>(_ read: @escaping @Sendable (AduanStore) throws -> T) -> AsyncStream<Result<T, AduanError>> {
        let versions = self.changes()
        let core = self.core
        let store = self.store
        return AsyncStream(bufferingPolicy: .bufferingNewest(1)) { continuation in
            let task = Task {
                for await _ in versions {
                    do {
                        let value = try await core.run { try read(store) }
                        continuation.yield(.success(value))
                    } catch {
                        continuation.yield(.failure(AduanError.wrap(error)))
                    }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// The current ``version`` at once, then every later one (only the newest while the
    /// listener is busy).
    public func changes() -> AsyncStream<UInt64> {
        var captured: AsyncStream<UInt64>.Continuation?
        let stream = AsyncStream<UInt64>(bufferingPolicy: .bufferingNewest(1)) { captured = $0 }
        guard let continuation = captured else { return stream }
        let id = UUID()
        watchers[id] = continuation
        continuation.onTermination = { [weak self] _ in
            guard let self else { return }
            Task { @MainActor in self.watchers[id] = nil }
        }
        continuation.yield(version)
        return stream
    }

    // MARK: - One-shot reads

    public func list(_ filter: ComplaintFilter) async throws -> [ComplaintSummary] {
        try await read { try $0.list(filter: filter) }
    }

    /// A complaint by id or tracking id.
    public func get(_ id: String) async throws -> ComplaintDetail {
        try await read { try $0.get(id: id) }
    }

    /// Full-text search over title, description and address, newest activity first.
    public func search(_ text: String, limit: UInt32 = 50) async throws -> [ComplaintSummary] {
        try await read { try $0.search(text: text, limit: limit) }
    }

    /// Core's directory: institutions and their units (offices, kecamatan, kelurahan).
    public func institutions() async throws -> [InstitutionView] {
        try await read { $0.institutions() }
    }

    /// What waits to be sent: documents and photos.
    public func pendingSync() async throws -> PendingSync {
        try await read { try $0.pendingSync() }
    }

    /// Reads the sync status now (also refreshes ``syncStatus``).
    @discardableResult
    public func refreshStatus() async throws -> SyncStatus {
        let status = try await read { try $0.syncStatus() }
        syncStatus = status
        return status
    }

    func read<T>(_ work: @escaping @Sendable (AduanStore) throws -> T) async throws -> T {
        let store = self.store
        return try await core.run { try work(store) }
    }

    // MARK: - From the server, without an account

    /// A report's public view by its tracking id, asked of `serverUrl` without any account; nil
    /// when the server has no public report with that id (unknown and confidential look the
    /// same). Works signed out too; nothing of it is kept on the phone.
    public func track(serverUrl: String, trackingId: String) async throws -> PublicComplaint? {
        let store = self.store
        return try await network.run { try store.track(serverUrl: serverUrl, trackingId: trackingId) }
    }
}
