import Foundation

/// Runs blocking core calls on a dispatch queue of their own and hands the result back to the
/// awaiting task. Core blocks on disk (SQLite) and, for sync and photo fetches, on the network,
/// so no call may run on the main thread.
final class CoreExecutor: @unchecked Sendable {
    private let queue: DispatchQueue

    /// A serial executor keeps calls in the order they were made; a concurrent one lets slow
    /// network calls (photo fetches) run side by side.
    init(label: String, qos: DispatchQoS = .userInitiated, concurrent: Bool = false) {
        queue = DispatchQueue(label: label, qos: qos, attributes: concurrent ? [.concurrent] : [])
    }

    /// Runs `work` on the queue. Whatever it throws arrives as an ``AduanError``.
    func run<T>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
            queue.async {
                do {
                    continuation.resume(returning: try work())
                } catch {
                    continuation.resume(throwing: AduanError.wrap(error))
                }
            }
        }
    }

    /// Runs `work` on the queue without waiting for it.
    func fire(_ work: @escaping @Sendable () -> Void) {
        queue.async(execute: work)
    }
}
