import AduanCore
import XCTest

/// SyncPolicyTest.kt, ported: the same policy must give the same answers on both platforms.
final class SyncPolicyTests: XCTestCase {
    private let policy = SyncPolicy()
    private let wifi = NetworkState(connected: true, metered: false)
    private let mobile = NetworkState(connected: true, metered: true)
    private let now: Int64 = 1_750_000_000_000

    func testNoNetworkMeansWaitForConnectivity() {
        let decision = policy.decide(.userAsked, network: NetworkState(connected: false, metered: false), history: SyncHistory(), now: now)
        XCTAssertNil(decision.runAt)
    }

    func testConnectivityRegainedSyncsAtOnceEvenAfterFailures() {
        let history = SyncHistory(lastAttemptAt: now - 1000, consecutiveFailures: 5)
        XCTAssertEqual(policy.decide(.connectivityRegained, network: wifi, history: history, now: now).runAt, now)
    }

    func testFailuresBackOffExponentiallyUpToAnHour() {
        XCTAssertEqual(policy.backoff(failures: 1), .seconds(30))
        XCTAssertEqual(policy.backoff(failures: 2), .seconds(60))
        XCTAssertEqual(policy.backoff(failures: 30), .seconds(3600))
        XCTAssertEqual(policy.backoff(failures: 0), .zero)
        let history = SyncHistory(lastAttemptAt: now, consecutiveFailures: 3)
        XCTAssertEqual(policy.decide(.appForegrounded, network: wifi, history: history, now: now).runAt, now + 120_000)
    }

    func testABurstOfLocalChangesGoesOutTogether() {
        let decision = policy.decide(.localChange, network: wifi, history: SyncHistory(pendingChanges: true), now: now)
        XCTAssertEqual(decision.runAt, now + 5_000)
    }

    func testPeriodicSyncWaitsItsIntervalUnlessWorkIsPending() {
        let minute: Int64 = 60_000
        let recent = SyncHistory(lastSuccessAt: now - minute)
        XCTAssertEqual(policy.decide(.periodic, network: wifi, history: recent, now: now).runAt, now + 14 * minute)
        var pending = recent
        pending.pendingChanges = true
        XCTAssertEqual(policy.decide(.periodic, network: wifi, history: pending, now: now).runAt, now)
    }

    func testFullSizePhotosWaitForAnUnmeteredNetworkUnlessTheUserAllowsMobileData() {
        XCTAssertFalse(policy.decide(.userAsked, network: mobile, history: SyncHistory(), now: now).uploadFullPhotos)
        XCTAssertTrue(policy.decide(.userAsked, network: wifi, history: SyncHistory(), now: now).uploadFullPhotos)
        let generous = SyncPolicy(fullPhotosOnMeteredNetworks: true)
        XCTAssertTrue(generous.decide(.userAsked, network: mobile, history: SyncHistory(), now: now).uploadFullPhotos)
    }

    func testTheDefaultsAreTheKotlinOnes() {
        XCTAssertEqual(policy.minInterval, .seconds(15 * 60))
        XCTAssertEqual(policy.localChangeDelay, .seconds(5))
        XCTAssertEqual(policy.firstBackoff, .seconds(30))
        XCTAssertEqual(policy.maxBackoff, .seconds(3600))
        XCTAssertFalse(policy.fullPhotosOnMeteredNetworks)
    }
}
