import Foundation

/// Core's tracking ids: "ADU-" and two groups of five from Crockford's alphabet (no I, L, O, U).
/// A port of `normalizeTrackingId` in the Android app's TrackViewModel.kt; core checks again.
enum TrackingId {
    private static let part = "[0-9A-HJKMNP-TV-Z]{5}"
    private static let whole = try! NSRegularExpression(pattern: "^ADU-\(part)-\(part)$")
    private static let bare = try! NSRegularExpression(pattern: "^(\(part))-?(\(part))$")

    /// What someone typed, as a tracking id: spaces dropped, upper case, "ADU-" added when only
    /// the ten characters were typed; nil when it cannot be one.
    static func normalized(_ typed: String) -> String? {
        let text = String(typed.filter { !$0.isWhitespace }).uppercased()
        let range = NSRange(text.startIndex..., in: text)
        if whole.firstMatch(in: text, range: range) != nil { return text }
        guard let match = bare.firstMatch(in: text, range: range),
              let first = Range(match.range(at: 1), in: text),
              let second = Range(match.range(at: 2), in: text)
        else { return nil }
        return "ADU-\(text[first])-\(text[second])"
    }
}
