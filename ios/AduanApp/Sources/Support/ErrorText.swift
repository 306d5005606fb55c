import AduanCore
import Foundation

/// What a person reads when something fails: core's own reason in the app's language.
func describe(_ error: Error) -> String {
    AduanError.wrap(error).message(in: LocalizedStrings.shared.current.language.core)
}

extension SyncStatus {
    /// The last sync failure in the app's language, if the last sync failed.
    var lastError: String? {
        switch LocalizedStrings.shared.current.language {
        case .indonesian: return lastErrorId
        case .english: return lastErrorEn
        }
    }

    var pendingTotal: UInt64 { pendingDocuments + pendingPhotos }
}
