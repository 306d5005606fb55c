import AduanCore
import Foundation
import Network

/// What SyncPolicy needs to know about the network: connected or not, metered or not (mobile
/// data, a personal hotspot, Low Data Mode), kept current by NWPathMonitor.
@MainActor
final class NetworkMonitor: ObservableObject {
    @Published private(set) var state = NetworkState(connected: false, metered: false)

    /// Runs when the network comes back after being gone (not for the first reading).
    var onConnectivityRegained: (@MainActor () -> Void)?

    private let monitor = NWPathMonitor()
    private let queue = DispatchQueue(label: "id.aduan.network-monitor", qos: .utility)
    private var started = false
    private var known = false

    func start() {
        guard !started else { return }
        started = true
        monitor.pathUpdateHandler = { [weak self] path in
            guard let self else { return }
            let next = NetworkState(
                connected: path.status == .satisfied,
                metered: path.isExpensive || path.isConstrained
            )
            Task { @MainActor in self.update(next) }
        }
        monitor.start(queue: queue)
    }

    /// Waits (at most two seconds) for the first reading after launch, so a background launch
    /// does not take "no reading yet" for "no network".
    func settle() async {
        for _ in 0..<20 where !known {
            try? await Task.sleep(nanoseconds: 100_000_000)
        }
    }

    private func update(_ next: NetworkState) {
        let before = state
        let first = !known
        known = true
        state = next
        if next.connected && !before.connected && !first {
            onConnectivityRegained?()
        }
    }
}
