import AduanCore
import Foundation

/// The part of SyncPolicy's history core does not keep: when the last attempt was and how many
/// failed in a row. The last success and what waits come from core's SyncStatus.
@MainActor
final class SyncHistoryStore {
    private let defaults: UserDefaults

    init(defaults: UserDefaults = .standard) {
        self.defaults = defaults
    }

    func history(_ status: SyncStatus) -> SyncHistory {
        let attempt = (defaults.object(forKey: Keys.lastAttempt) as? NSNumber)?.int64Value
        return SyncHistory(
            lastAttemptAt: attempt,
            lastSuccessAt: status.lastSuccessAt,
            consecutiveFailures: defaults.integer(forKey: Keys.failures),
            pendingChanges: status.pendingTotal > 0
        )
    }

    func attempted(at millis: Int64) {
        defaults.set(NSNumber(value: millis), forKey: Keys.lastAttempt)
    }

    func succeeded() {
        defaults.set(0, forKey: Keys.failures)
    }

    func failed() {
        defaults.set(defaults.integer(forKey: Keys.failures) + 1, forKey: Keys.failures)
    }

    private enum Keys {
        static let lastAttempt = "sync_last_attempt_at"
        static let failures = "sync_consecutive_failures"
    }
}
