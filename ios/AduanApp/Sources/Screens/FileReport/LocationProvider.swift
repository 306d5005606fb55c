import CoreLocation
import Foundation

/// The phone's position for a report, from CoreLocation (GPS works without a network). Asks
/// for permission when first used, keeps the most accurate fix for up to 20 seconds, and
/// stops as soon as one is within 15 m.
@MainActor
final class LocationProvider: NSObject, ObservableObject, CLLocationManagerDelegate {
    @Published private(set) var location: CLLocation?
    @Published private(set) var authorization: CLAuthorizationStatus
    @Published private(set) var locating = false
    @Published private(set) var failed = false

    private let manager: CLLocationManager
    private var wanted = false
    private var timeout: Task<Void, Never>?

    private static let goodEnough: CLLocationAccuracy = 15
    private static let maxWait: UInt64 = 20_000_000_000

    override init() {
        let manager = CLLocationManager()
        self.manager = manager
        authorization = manager.authorizationStatus
        super.init()
        manager.delegate = self
        manager.desiredAccuracy = kCLLocationAccuracyBest
    }

    var denied: Bool {
        authorization == .denied || authorization == .restricted
    }

    func request() {
        failed = false
        switch authorization {
        case .notDetermined:
            wanted = true
            manager.requestWhenInUseAuthorization()
        case .authorizedWhenInUse, .authorizedAlways:
            start()
        default:
            break
        }
    }

    func clear() {
        stop()
        location = nil
    }

    private func start() {
        wanted = false
        locating = true
        manager.startUpdatingLocation()
        timeout?.cancel()
        timeout = Task { [weak self] in
            try? await Task.sleep(nanoseconds: Self.maxWait)
            guard !Task.isCancelled else { return }
            self?.finish()
        }
    }

    private func stop() {
        manager.stopUpdatingLocation()
        timeout?.cancel()
        timeout = nil
        locating = false
    }

    private func finish() {
        stop()
        if location == nil { failed = true }
    }

    private func receive(_ fix: CLLocation) {
        guard locating, fix.horizontalAccuracy >= 0 else { return }
        if let best = location, best.horizontalAccuracy <= fix.horizontalAccuracy,
           fix.timestamp.timeIntervalSince(best.timestamp) < 10 {
            return
        }
        location = fix
        if fix.horizontalAccuracy <= Self.goodEnough { stop() }
    }

    private func authorizationChanged(_ status: CLAuthorizationStatus) {
        authorization = status
        switch status {
        case .authorizedWhenInUse, .authorizedAlways:
            if wanted { start() }
        case .denied, .restricted:
            wanted = false
            stop()
        default:
            break
        }
    }

    // MARK: CLLocationManagerDelegate (called on the main thread, where the manager was made)

    nonisolated func locationManagerDidChangeAuthorization(_ manager: CLLocationManager) {
        let status = manager.authorizationStatus
        Task { @MainActor in self.authorizationChanged(status) }
    }

    nonisolated func locationManager(_ manager: CLLocationManager, didUpdateLocations locations: [CLLocation]) {
        guard let fix = locations.last else { return }
        Task { @MainActor in self.receive(fix) }
    }

    nonisolated func locationManager(_ manager: CLLocationManager, didFailWithError error: Error) {
        let unknown = (error as? CLError)?.code == .locationUnknown
        Task { @MainActor in
            // "Unknown for now" is transient: CoreLocation keeps trying.
            if !unknown { self.finish() }
        }
    }
}
