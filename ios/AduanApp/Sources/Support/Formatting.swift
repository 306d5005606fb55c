import AduanCore
import Foundation

/// Dates and numbers in the app's language (core's times are milliseconds since the epoch).
enum Formatting {
    private static var locale: Locale { LocalizedStrings.shared.current.language.locale }

    /// "4 Jun 2025 09.00" / "Jun 4, 2025 at 9:00 AM".
    static func dateTime(_ millis: Int64) -> String {
        let formatter = DateFormatter()
        formatter.locale = locale
        formatter.dateStyle = .medium
        formatter.timeStyle = .short
        return formatter.string(from: Millis.date(millis))
    }

    /// As ``dateTime(_:)``, at a UTC offset and followed by the zone's name ("4 Jun 2025 10.00
    /// WITA"): a public report's times, in the zone of the institution holding it.
    static func dateTime(_ millis: Int64, utcOffsetMinutes: Int32, zone: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = locale
        formatter.dateStyle = .medium
        formatter.timeStyle = .short
        formatter.timeZone = TimeZone(secondsFromGMT: Int(utcOffsetMinutes) * 60)
        let time = formatter.string(from: Millis.date(millis))
        return zone.isEmpty ? time : tr("time_in_zone", time, zone)
    }

    /// "Rabu, 11 Jun 2025" / "Wed, Jun 11, 2025".
    static func day(_ millis: Int64) -> String {
        let formatter = DateFormatter()
        formatter.locale = locale
        formatter.setLocalizedDateFormatFromTemplate("EEE d MMM yyyy")
        return formatter.string(from: Millis.date(millis))
    }

    /// "5 menit yang lalu" / "5 minutes ago".
    static func relative(_ millis: Int64) -> String {
        let formatter = RelativeDateTimeFormatter()
        formatter.locale = locale
        formatter.unitsStyle = .full
        return formatter.localizedString(for: Millis.date(millis), relativeTo: Date())
    }

    /// Degrees with a decimal point whatever the language, as maps and GPS units write them.
    static func coordinate(_ value: Double) -> String {
        String(format: "%.5f", value)
    }
}
