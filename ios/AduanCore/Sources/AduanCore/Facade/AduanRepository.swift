import Combine
import Foundation

/// The app's one door to core (the Swift twin of android/core-kotlin's AduanRepository.kt).
/// Every core call runs off the main thread: reads and writes in order on one serial queue,
/// syncs and sign-ins on a second one (core holds its lock only to take or apply a message, so
/// reads go on while a sync waits on the network), and calls that only wait on the server
/// (photo fetches, notification choices, tracking, signing out) on a concurrent third.
/// Lists and details are `AsyncStream`s that re-read after every local change, sync or language
/// change (``version`` moves each time), so screens never hold stale data. No rule lives here:
/// core decides, this layer only schedules. Every error thrown is an ``AduanError``.
@MainActor
public final class AduanRepository: ObservableObject {
    /// Bumped after every write, sync and language change; every stream re-reads when it moves.
    @Published public private(set) var version: UInt64 = 0
    /// What a sync indicator shows: last success, what waits, the last error.
    @Published public private(set) var syncStatus: SyncStatus?
    /// Progress of the running sync (nil when none runs).
    @Published public private(set) var syncProgress: SyncProgress?
    @Published public private(set) var isSyncing = false
    /// Who is signed in (nil before sign-in).
    @Published public private(set) var identity: Identity?
    /// The language core labels statuses, deadlines, timelines and errors in.
    @Published public private(set) var language: Language
    /// What the last sign-out in this run of the app did (nil before one, and again after the
    /// next sign-in), for the sign-in screen to say so.
    @Published public private(set) var lastSignOut: SignOutReport?

    /// Called after every local write (a report filed, a step, a reply, a rating, a photo), so
    /// the app's scheduler can ask SyncPolicy about a `.localChange`. Not called for sign-in.
    public var onLocalChange: (@MainActor () -> Void)?

    nonisolated let store: AduanStore
    let core = CoreExecutor(label: "id.aduan.core")
    let syncQueue = CoreExecutor(label: "id.aduan.core.sync", qos: .utility)
    let network = CoreExecutor(label: "id.aduan.core.photos", qos: .userInitiated, concurrent: true)

    var watchers: [UUID: AsyncStream<UInt64>.Continuation] = [:]
    private var syncRun: UInt64 = 0
    private var runningSyncs = 0

    /// Wraps an open store. Labels come in `language` from the first read on.
    public init(store: AduanStore, language: Language = .id) {
        self.store = store
        self.language = language
        core.fire { store.setLanguage(language: language) }
    }

    /// Opens (creating if needed) the store kept in `directory`, off the main thread. Sign-in
    /// tokens live in `secrets` (the Keychain), never in the store's database.
    public static func `open`(
        directory: URL,
        language: Language = .id,
        secrets: SecretStore = KeychainSecretStore()
    ) async throws -> AduanRepository {
        let path = directory.path
        let opener = CoreExecutor(label: "id.aduan.core.open")
        let store = try await opener.run { () -> AduanStore in
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            return try AduanStore.openWithSecretStore(path: path, secrets: secrets)
        }
        let repository = AduanRepository(store: store, language: language)
        await repository.refresh()
        return repository
    }

    // MARK: - Writes

    /// Runs a write, then moves ``version``, refreshes ``identity`` and ``syncStatus`` and (for
    /// local changes) tells ``onLocalChange``.
    @discardableResult
    func write<T>(
        localChange: Bool = true,
        on executor: CoreExecutor? = nil,
        _ work: @escaping @Sendable (AduanStore) throws -> T
    ) async throws -> T {
        let store = self.store
        let result = try await (executor ?? core).run { try work(store) }
        await changed()
        if localChange { onLocalChange?() }
        return result
    }

    /// Signs in to the server with an account; the store takes its identity.
    @discardableResult
    public func login(serverUrl: String, account: String, password: String) async throws -> Identity {
        let identity = try await write(localChange: false, on: syncQueue) {
            try $0.login(serverUrl: serverUrl, accountId: account, password: password)
        }
        lastSignOut = nil
        return identity
    }

    /// A citizen without an account: the server gives this device one of its own.
    @discardableResult
    public func continueAnonymously(serverUrl: String) async throws -> Identity {
        let identity = try await write(localChange: false, on: syncQueue) {
            try $0.continueAnonymously(serverUrl: serverUrl)
        }
        lastSignOut = nil
        return identity
    }

    /// What signing out now would lose: reports, changes and photos the server lacks, refused work.
    public func unsyncedWork() async throws -> UnsyncedWork {
        try await read { try $0.unsyncedWork() }
    }

    /// Signs out and removes the account's data from this phone (core's `sign_out`). Refused
    /// with ``AduanError/NotAllowed`` `unsynced_work` while something would be lost, unless
    /// `discardUnsynced`; then ``identity`` becomes nil and every stream re-reads. It runs beside
    /// a running sync, not queued behind it: core asks that sync to stop.
    @discardableResult
    public func signOut(discardUnsynced: Bool) async throws -> SignOutReport {
        let store = self.store
        let report = try await network.run { try store.signOut(discardUnsynced: discardUnsynced) }
        // Set before the identity goes, so the sign-in screen says it from its first frame.
        lastSignOut = report
        await changed()
        return report
    }

    /// Imports a photo as the camera or library gave it (JPEG, PNG, WebP or GIF); the returned
    /// hash is what drafts and workflow actions refer to.
    public func importPhoto(_ bytes: Data) async throws -> PhotoAdded {
        try await write { try $0.importPhoto(bytes: bytes) }
    }

    /// Adds a photo to the reporter's own report.
    @discardableResult
    public func addPhoto(to id: String, bytes: Data) async throws -> PhotoAdded {
        try await write { try $0.addPhoto(id: id, bytes: bytes) }
    }

    /// Files a report with its photos, all in one durable save.
    @discardableResult
    public func file(_ draft: ComplaintDraft, photos: [Data] = []) async throws -> ComplaintDetail {
        try await write { store in
            var filed = draft
            for bytes in photos {
                filed.photos.append(try store.importPhoto(bytes: bytes).photo.sha256)
            }
            return try store.createComplaint(draft: filed)
        }
    }

    /// Records one workflow step with its note and optional photo evidence.
    @discardableResult
    public func perform(
        _ id: String,
        action: WorkflowAction,
        note: String = "",
        evidence: [Data] = []
    ) async throws -> ComplaintDetail {
        try await write { store in
            let hashes = try evidence.map { try store.importPhoto(bytes: $0).photo.sha256 }
            return try store.perform(id: id, action: action, note: note, photos: hashes)
        }
    }

    @discardableResult
    public func reply(_ id: String, text: String, photos: [Data] = []) async throws -> ComplaintDetail {
        try await write { store in
            let hashes = try photos.map { try store.importPhoto(bytes: $0).photo.sha256 }
            return try store.comment(id: id, text: text, photos: hashes)
        }
    }

    @discardableResult
    public func rate(_ id: String, stars: Int, note: String = "") async throws -> ComplaintDetail {
        let value = UInt8(clamping: stars)
        return try await write { try $0.rate(id: id, stars: value, note: note) }
    }

    /// Labels and messages in `language` from now on; every stream re-reads with them.
    public func setLanguage(_ language: Language) async {
        let store = self.store
        _ = try? await core.run { store.setLanguage(language: language) }
        self.language = language
        await changed()
    }

    // MARK: - Photos

    /// A photo by hash: from the phone, or fetched from the server (full size on demand;
    /// thumbnails arrive with every sync). Nil when neither has it.
    public func photo(_ sha256: String) async throws -> Data? {
        let store = self.store
        return try await network.run { try store.fetchPhoto(sha256: sha256) }
    }

    /// A photo only if it is on this phone (never touches the network).
    public func localPhoto(_ sha256: String) async throws -> Data? {
        try await read { try $0.photo(sha256: sha256) }
    }

    // MARK: - Sync

    /// Syncs now. `uploadFullPhotos` is the policy's answer for this network (thumbnails always
    /// go). Throws the core's ``AduanError`` on failure; ``syncStatus`` records it too.
    @discardableResult
    public func sync(uploadFullPhotos: Bool = true) async throws -> SyncReport {
        syncRun &+= 1
        let run = syncRun
        runningSyncs += 1
        isSyncing = true
        syncProgress = nil
        // The relay lives only as long as this sync, so holding the repository is no cycle.
        let relay = ProgressRelay { progress in
            Task { @MainActor in self.progressed(progress, run: run) }
        }
        let store = self.store
        do {
            let report = try await syncQueue.run { () -> SyncReport in
                store.setUploadFullPhotos(allowed: uploadFullPhotos)
                return try store.sync(listener: relay)
            }
            await finishSync(run)
            return report
        } catch {
            await finishSync(run)
            throw error
        }
    }

    /// Asks a running sync to stop after its current request (it then throws a cancellation,
    /// see ``AduanError/isCancellation``). Callable from any thread (a background task's
    /// expiration handler); the call itself goes to a background queue.
    public nonisolated func cancelSync() {
        let store = self.store
        DispatchQueue.global(qos: .userInitiated).async { store.cancelSync() }
    }

    private func progressed(_ progress: SyncProgress, run: UInt64) {
        guard run == syncRun, isSyncing else { return }
        syncProgress = progress
    }

    private func finishSync(_ run: UInt64) async {
        runningSyncs -= 1
        if run == syncRun { syncProgress = nil }
        isSyncing = runningSyncs > 0
        await changed()
    }

    // MARK: - Change tracking

    /// Re-reads who is signed in and the sync status.
    public func refresh() async {
        let store = self.store
        let state = try? await core.run { () -> (Identity?, SyncStatus) in
            let status = try store.syncStatus()
            return (store.identity(), status)
        }
        if let state {
            identity = state.0
            syncStatus = state.1
        }
    }

    func changed() async {
        version &+= 1
        for continuation in watchers.values {
            continuation.yield(version)
        }
        await refresh()
    }
}

/// Hands core's progress callbacks (on the syncing thread) to a closure.
final class ProgressRelay: SyncListener {
    private let handler: @Sendable (SyncProgress) -> Void

    init(_ handler: @escaping @Sendable (SyncProgress) -> Void) {
        self.handler = handler
    }

    func onProgress(progress: SyncProgress) {
        handler(progress)
    }
}
