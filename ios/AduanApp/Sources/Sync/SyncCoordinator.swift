import AduanCore
import BackgroundTasks
import Foundation
import os
import UIKit

/// Turns SyncPolicy's answers into syncs: the iOS counterpart of the Android app's
/// SyncScheduler and SyncWorker.
/// - in the foreground one sync at a time is scheduled at the time the policy gives, for local
///   changes, the app coming to the foreground, connectivity coming back and "sync now"; a
///   change made during a sync goes in another one right after it; a failed sync is retried at
///   the policy's backoff;
/// - while the app is open, the policy is asked every 15 minutes about a periodic sync;
/// - in the background, a BGAppRefreshTask (`id.aduan.sync`) asks the policy whether a periodic
///   sync is due, runs it, and schedules the next one.
@MainActor
final class SyncCoordinator: ObservableObject {
    static let backgroundTaskIdentifier = "id.aduan.sync"

    /// A background run syncs when the policy says it is due within this (system wake-ups drift).
    private static let periodicSlack: Int64 = 5 * 60 * 1000

    /// When the next sync will run (nil when none waits for its time).
    @Published private(set) var scheduledAt: Int64?
    /// A sync is wanted but there is no network: it runs when the network returns.
    @Published private(set) var waitingForNetwork = false

    private let repository: AduanRepository
    private let settings: AppSettings
    private let network: NetworkMonitor
    private let history: SyncHistoryStore
    /// What each sync brings, posted as user notifications.
    let notifications: LocalNotifications
    private let log = Logger(subsystem: "id.aduan.app", category: "sync")

    /// The scheduled or running sync.
    private var job: Task<Void, Never>?
    private var running = false
    /// What asked for a sync while one was running: it runs right after.
    private var followUp: SyncTrigger?
    private var periodicLoop: Task<Void, Never>?

    private enum Outcome { case success, cancelled, retry, failed }

    init(repository: AduanRepository, settings: AppSettings, network: NetworkMonitor, history: SyncHistoryStore) {
        self.repository = repository
        self.settings = settings
        self.network = network
        self.history = history
        self.notifications = LocalNotifications(repository: repository)
        repository.onLocalChange = { [weak self] in self?.trigger(.localChange) }
        network.onConnectivityRegained = { [weak self] in self?.trigger(.connectivityRegained) }
    }

    /// The policy with the user's choice about full-size photos on mobile data.
    var policy: SyncPolicy {
        SyncPolicy(fullPhotosOnMeteredNetworks: settings.uploadFullPhotosOnMobileData)
    }

    func decide(_ trigger: SyncTrigger, status: SyncStatus, now: Int64) -> SyncDecision {
        policy.decide(trigger, network: network.state, history: history.history(status), now: now)
    }

    func trigger(_ trigger: SyncTrigger) {
        Task { await schedule(trigger) }
    }

    /// "Sync now" (a button, pull to refresh): returns when that sync has ended.
    func syncNow() async {
        await schedule(.userAsked)
        await job?.value
    }

    func cancel() {
        repository.cancelSync()
    }

    // MARK: - Foreground

    func appForegrounded() {
        trigger(.appForegrounded)
        periodicLoop?.cancel()
        periodicLoop = Task { [weak self] in
            while !Task.isCancelled {
                let interval = self?.policy.minInterval.wholeMilliseconds ?? 15 * 60 * 1000
                try? await Task.sleep(nanoseconds: UInt64(interval) * 1_000_000)
                if Task.isCancelled { return }
                await self?.schedule(.periodic)
            }
        }
    }

    func appBackgrounded() {
        periodicLoop?.cancel()
        periodicLoop = nil
        scheduleBackgroundRefresh()
    }

    private func schedule(_ trigger: SyncTrigger) async {
        guard let status = try? await repository.refreshStatus(), status.signedIn else { return }
        let now = Millis.now
        guard let runAt = decide(trigger, status: status, now: now).runAt else {
            // No network: NetworkMonitor's connectivityRegained asks again when it returns.
            waitingForNetwork = true
            return
        }
        waitingForNetwork = false
        let immediate = trigger == .userAsked || trigger == .connectivityRegained
        if running {
            // Changes made during a sync go in the next one, right after it.
            followUp = immediate ? trigger : (followUp ?? trigger)
            return
        }
        // A sync already waits (perhaps backing off): only an earlier time, the user or a
        // returning network brings it forward.
        if job != nil, let waiting = scheduledAt, !immediate, waiting <= runAt { return }
        job?.cancel()
        scheduledAt = runAt
        job = Task { [weak self] in
            let delay = runAt - Millis.now
            if delay > 0 {
                try? await Task.sleep(nanoseconds: UInt64(delay) * 1_000_000)
            }
            if Task.isCancelled { return }
            await self?.run(trigger)
        }
    }

    private func run(_ trigger: SyncTrigger) async {
        scheduledAt = nil
        guard !running else {
            followUp = followUp ?? trigger
            return
        }
        running = true
        let outcome = await syncIfPossible(trigger)
        running = false
        job = nil
        if let next = followUp {
            followUp = nil
            await schedule(next)
        } else if outcome == .retry {
            // The policy times the retry: at the last attempt plus the backoff.
            await schedule(.appForegrounded)
        }
    }

    private func syncIfPossible(_ trigger: SyncTrigger) async -> Outcome {
        guard let status = try? await repository.refreshStatus(), status.signedIn else { return .failed }
        let now = Millis.now
        let decision = decide(trigger, status: status, now: now)
        guard decision.runAt != nil else {
            waitingForNetwork = true
            return .failed
        }
        // Finish the sync even if the user leaves the app meanwhile (iOS gives some time).
        let repository = self.repository
        let assertion = UIApplication.shared.beginBackgroundTask(withName: "aduan-sync") {
            repository.cancelSync()
        }
        defer { UIApplication.shared.endBackgroundTask(assertion) }
        return await perform(decision, at: now)
    }

    /// One sync, with the history the policy reads kept up to date.
    private func perform(_ decision: SyncDecision, at now: Int64) async -> Outcome {
        history.attempted(at: now)
        do {
            let report = try await repository.sync(uploadFullPhotos: decision.uploadFullPhotos)
            history.succeeded()
            await notifications.showPending()
            log.info("sync done: \(report.progress.documentsSent) sent, \(report.progress.documentsReceived) received, \(report.photosDeferred) photos deferred")
            return .success
        } catch {
            let failure = AduanError.wrap(error)
            if failure.isCancellation { return .cancelled }
            history.failed()
            log.error("sync failed: \(failure.code, privacy: .public)")
            return failure.isTransient ? .retry : .failed
        }
    }

    // MARK: - Background refresh

    /// Asks iOS for the next background refresh at the time the policy gives a periodic sync.
    func scheduleBackgroundRefresh() {
        guard repository.syncStatus?.signedIn == true else { return }
        let now = Millis.now
        var earliest = now + policy.minInterval.wholeMilliseconds
        if let status = repository.syncStatus, let runAt = decide(.periodic, status: status, now: now).runAt {
            earliest = max(runAt, now + 60_000)
        }
        let request = BGAppRefreshTaskRequest(identifier: Self.backgroundTaskIdentifier)
        request.earliestBeginDate = Millis.date(earliest)
        do {
            try BGTaskScheduler.shared.submit(request)
        } catch {
            // The simulator and devices with Background App Refresh off refuse it.
            log.notice("background refresh not scheduled: \(String(describing: error), privacy: .public)")
        }
    }

    /// Runs one background refresh: the next one is asked for first, whatever happens to this.
    func handle(_ task: BGAppRefreshTask) {
        scheduleBackgroundRefresh()
        let completion = TaskCompletion(task)
        let repository = self.repository
        task.expirationHandler = {
            repository.cancelSync()
            completion.complete(success: false)
        }
        Task {
            let success = await self.backgroundSync()
            completion.complete(success: success)
        }
    }

    private func backgroundSync() async -> Bool {
        guard let status = try? await repository.refreshStatus(), status.signedIn else { return true }
        await network.settle()
        let now = Millis.now
        let decision = decide(.periodic, status: status, now: now)
        guard let runAt = decision.runAt else { return false }
        if runAt > now + Self.periodicSlack || running { return true }
        running = true
        let outcome = await perform(decision, at: now)
        running = false
        return outcome == .success
    }
}

/// Calls `setTaskCompleted` once, from whichever comes first: the sync ending or iOS ending
/// the task.
private final class TaskCompletion: @unchecked Sendable {
    private let task: BGTask
    private let lock = NSLock()
    private var done = false

    init(_ task: BGTask) {
        self.task = task
    }

    func complete(success: Bool) {
        lock.lock()
        let first = !done
        done = true
        lock.unlock()
        if first { task.setTaskCompleted(success: success) }
    }
}
