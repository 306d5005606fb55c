import Foundation

/// Why the app thinks about syncing now (SyncPolicy.kt's `Trigger`).
public enum SyncTrigger: String, CaseIterable, Sendable {
    case connectivityRegained
    case appForegrounded
    case periodic
    case localChange
    case userAsked
}

/// What the policy needs to know of the network (SyncPolicy.kt's `Network`; renamed so it does
/// not shadow Apple's Network framework).
public struct NetworkState: Equatable, Sendable {
    public var connected: Bool
    /// Mobile data, a personal hotspot or Low Data Mode.
    public var metered: Bool

    public init(connected: Bool, metered: Bool) {
        self.connected = connected
        self.metered = metered
    }
}

/// What the scheduler knows; times are milliseconds since the epoch.
public struct SyncHistory: Equatable, Sendable {
    public var lastAttemptAt: Int64?
    public var lastSuccessAt: Int64?
    public var consecutiveFailures: Int
    public var pendingChanges: Bool

    public init(
        lastAttemptAt: Int64? = nil,
        lastSuccessAt: Int64? = nil,
        consecutiveFailures: Int = 0,
        pendingChanges: Bool = false
    ) {
        self.lastAttemptAt = lastAttemptAt
        self.lastSuccessAt = lastSuccessAt
        self.consecutiveFailures = consecutiveFailures
        self.pendingChanges = pendingChanges
    }
}

/// Sync at `runAt` (or not at all when nil), uploading full-size photos or not.
public struct SyncDecision: Equatable, Sendable {
    public var runAt: Int64?
    public var uploadFullPhotos: Bool

    public init(runAt: Int64?, uploadFullPhotos: Bool) {
        self.runAt = runAt
        self.uploadFullPhotos = uploadFullPhotos
    }
}

/// When to sync: a port of android/core-kotlin's SyncPolicy.kt with the same rules and the same
/// defaults. Pure, so the background refresh and the foreground scheduler ask the same
/// question and get the same answer as the Android app, and tests need no device.
/// - no network: wait for connectivity;
/// - after a failure: exponential backoff (30 s doubling, at most an hour), except when the
///   user asks or connectivity just came back;
/// - a local change waits a few seconds so a burst of edits goes in one round trip;
/// - periodic syncs no more often than `minInterval`;
/// - full-size photos only on unmetered networks, unless the user allowed mobile data.
public struct SyncPolicy: Sendable {
    public var minInterval: Duration
    public var localChangeDelay: Duration
    public var firstBackoff: Duration
    public var maxBackoff: Duration
    public var fullPhotosOnMeteredNetworks: Bool

    public init(
        minInterval: Duration = .seconds(15 * 60),
        localChangeDelay: Duration = .seconds(5),
        firstBackoff: Duration = .seconds(30),
        maxBackoff: Duration = .seconds(60 * 60),
        fullPhotosOnMeteredNetworks: Bool = false
    ) {
        self.minInterval = minInterval
        self.localChangeDelay = localChangeDelay
        self.firstBackoff = firstBackoff
        self.maxBackoff = maxBackoff
        self.fullPhotosOnMeteredNetworks = fullPhotosOnMeteredNetworks
    }

    public func backoff(failures: Int) -> Duration {
        if failures <= 0 { return .zero }
        let factor = Int64(1) << Int64(min(failures - 1, 20))
        return min(firstBackoff * factor, maxBackoff)
    }

    public func decide(_ trigger: SyncTrigger, network: NetworkState, history: SyncHistory, now: Int64) -> SyncDecision {
        let fullPhotos = !network.metered || fullPhotosOnMeteredNetworks
        guard network.connected else { return SyncDecision(runAt: nil, uploadFullPhotos: fullPhotos) }
        let retryAt = history.lastAttemptAt.map {
            $0 + backoff(failures: history.consecutiveFailures).wholeMilliseconds
        }
        let runAt: Int64
        switch trigger {
        case .userAsked, .connectivityRegained:
            runAt = now
        case .appForegrounded:
            runAt = max(now, retryAt ?? now)
        case .localChange:
            runAt = max(now + localChangeDelay.wholeMilliseconds, retryAt ?? now)
        case .periodic:
            let due = (history.lastSuccessAt ?? 0) + minInterval.wholeMilliseconds
            runAt = (!history.pendingChanges && now < due) ? due : max(now, retryAt ?? now)
        }
        return SyncDecision(runAt: runAt, uploadFullPhotos: fullPhotos)
    }
}
