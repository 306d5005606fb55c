import AduanCore
import UIKit

/// Decoded photos by hash. Photos are content-addressed, so a cached image never goes stale.
@MainActor
final class PhotoCache {
    static let shared = PhotoCache()

    private let images = NSCache<NSString, UIImage>()

    private init() {
        images.countLimit = 150
    }

    /// The photo from the cache, the phone, or (when `fetch` is set and it is not here yet) the
    /// server. Nil when it cannot be had now (offline, or not uploaded yet).
    func image(_ sha256: String, from repository: AduanRepository, fetch: Bool = true) async -> UIImage? {
        if let hit = images.object(forKey: sha256 as NSString) { return hit }
        let bytes: Data?
        if fetch {
            bytes = try? await repository.photo(sha256)
        } else {
            bytes = try? await repository.localPhoto(sha256)
        }
        guard let bytes else { return nil }
        let decoded = await Task.detached(priority: .userInitiated) {
            UIImage(data: bytes)?.preparingForDisplay()
        }.value
        guard let decoded else { return nil }
        images.setObject(decoded, forKey: sha256 as NSString)
        return decoded
    }
}
