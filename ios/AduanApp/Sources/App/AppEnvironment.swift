import AduanCore
import Foundation
import os
import UIKit

/// Opens the one store of this phone (Application Support/aduan-store) and builds what every
/// screen and the background refresh share: the repository, the settings, the network monitor
/// and the sync coordinator.
@MainActor
final class AppEnvironment: ObservableObject {
    enum Phase {
        case opening
        case ready(AduanRepository, SyncCoordinator)
        case failed(String)
    }

    @Published private(set) var phase: Phase = .opening

    let settings = AppSettings()
    let network = NetworkMonitor()
    private let history = SyncHistoryStore()
    private var opening: Task<SyncCoordinator?, Never>?
    private var observers: [NSObjectProtocol] = []
    private let log = Logger(subsystem: "id.aduan.app", category: "store")

    /// Opens the store (off the main thread) and starts watching the network and the app's
    /// comings and goings. Called once, at launch.
    func start() {
        guard opening == nil else { return }
        network.start()
        observe(UIApplication.didBecomeActiveNotification) { $0.appForegrounded() }
        observe(UIApplication.didEnterBackgroundNotification) { $0.appBackgrounded() }
        opening = Task { await openStore() }
    }

    /// The sync coordinator once the store is open (nil if it could not be opened).
    func coordinator() async -> SyncCoordinator? {
        if opening == nil { start() }
        return await opening?.value
    }

    /// Tries again after a failed opening (e.g. the store was busy).
    func retry() {
        phase = .opening
        opening = Task { await openStore() }
    }

    /// Labels in `language` from now on, the app's own strings and core's.
    func setLanguage(_ language: AppLanguage) {
        settings.setLanguage(language)
        if case let .ready(repository, _) = phase {
            Task { await repository.setLanguage(language.core) }
        }
    }

    private func openStore() async -> SyncCoordinator? {
        do {
            let repository = try await AduanRepository.open(directory: try Self.storeDirectory(), language: settings.language.core)
            let coordinator = SyncCoordinator(repository: repository, settings: settings, network: network, history: history)
            phase = .ready(repository, coordinator)
            if UIApplication.shared.applicationState == .active {
                coordinator.appForegrounded()
            }
            return coordinator
        } catch {
            log.error("store did not open: \(String(describing: error), privacy: .public)")
            phase = .failed(describe(error))
            return nil
        }
    }

    private func observe(_ name: Notification.Name, _ action: @escaping @MainActor (SyncCoordinator) -> Void) {
        let token = NotificationCenter.default.addObserver(forName: name, object: nil, queue: .main) { [weak self] _ in
            guard let self else { return }
            Task { @MainActor in
                if case let .ready(_, coordinator) = self.phase { action(coordinator) }
            }
        }
        observers.append(token)
    }

    /// The store's folder: never backed up (it holds the session and other people's reports)
    /// and readable after the first unlock, so background refresh can sync while locked.
    private static func storeDirectory() throws -> URL {
        let support = try FileManager.default.url(for: .applicationSupportDirectory, in: .userDomainMask, appropriateFor: nil, create: true)
        var directory = support.appendingPathComponent("aduan-store", isDirectory: true)
        try FileManager.default.createDirectory(
            at: directory,
            withIntermediateDirectories: true,
            attributes: [.protectionKey: FileProtectionType.completeUntilFirstUserAuthentication]
        )
        var values = URLResourceValues()
        values.isExcludedFromBackup = true
        try directory.setResourceValues(values)
        return directory
    }
}
