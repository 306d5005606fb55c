import Foundation

/// Core's times are milliseconds since the Unix epoch (`Int64`).
public enum Millis {
    public static var now: Int64 { of(Date()) }

    public static func of(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    public static func date(_ millis: Int64) -> Date {
        Date(timeIntervalSince1970: TimeInterval(millis) / 1000)
    }
}

extension Duration {
    /// The whole milliseconds in this duration (truncated toward zero).
    public var wholeMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
