import Foundation

/// Every ``AduanError`` carries a stable `code` for programs and the same reason in Bahasa
/// Indonesia and English for people; these accessors spare callers a switch over the cases.
extension AduanError {
    public var code: String {
        switch self {
        case let .InvalidInput(code, _, _), let .NotFound(code, _, _), let .NotAllowed(code, _, _),
             let .PhotoRejected(code, _, _), let .Damaged(code, _, _), let .Storage(code, _, _),
             let .Sync(code, _, _):
            return code
        }
    }

    public var messageId: String {
        switch self {
        case let .InvalidInput(_, message, _), let .NotFound(_, message, _), let .NotAllowed(_, message, _),
             let .PhotoRejected(_, message, _), let .Damaged(_, message, _), let .Storage(_, message, _),
             let .Sync(_, message, _):
            return message
        }
    }

    public var messageEn: String {
        switch self {
        case let .InvalidInput(_, _, message), let .NotFound(_, _, message), let .NotAllowed(_, _, message),
             let .PhotoRejected(_, _, message), let .Damaged(_, _, message), let .Storage(_, _, message),
             let .Sync(_, _, message):
            return message
        }
    }

    /// The reason in `language`, ready to show.
    public func message(in language: Language) -> String {
        switch language {
        case .id: return messageId
        case .en: return messageEn
        }
    }

    /// A sync stopped by ``AduanRepository/cancelSync()``: not a failure.
    public var isCancellation: Bool {
        if case .Sync = self { return code == "cancelled" }
        return false
    }

    /// The network, the server or the store being busy: trying again later may succeed. A
    /// refusal or bad input will not get better by retrying.
    public var isTransient: Bool {
        switch self {
        case .Sync, .Storage: return !isCancellation
        default: return false
        }
    }

    /// Core only throws ``AduanError``; anything else (a UniFFI internal failure, which means a
    /// bug) is carried as a storage error so callers handle one type.
    public static func wrap(_ error: Error) -> AduanError {
        if let error = error as? AduanError { return error }
        let detail = String(describing: error)
        return .Storage(
            code: "internal",
            messageId: "Kesalahan internal: \(detail)",
            messageEn: "Internal error: \(detail)"
        )
    }
}
