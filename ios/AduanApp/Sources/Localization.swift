import AduanCore
import Foundation

/// The app's two languages. Bahasa Indonesia is the default; English when the user chooses it
/// (or never chose and the phone is in English).
enum AppLanguage: String, CaseIterable, Identifiable {
    case indonesian = "id"
    case english = "en"

    var id: String { rawValue }

    /// The language core labels statuses, deadlines, timelines and errors in.
    var core: Language {
        switch self {
        case .indonesian: return .id
        case .english: return .en
        }
    }

    var locale: Locale {
        switch self {
        case .indonesian: return Locale(identifier: "id_ID")
        case .english: return Locale(identifier: "en_US")
        }
    }

    /// Each language named in itself, so a person who cannot read the other finds their own.
    var name: String {
        switch self {
        case .indonesian: return tr("language_indonesian")
        case .english: return tr("language_english")
        }
    }

    static var deviceDefault: AppLanguage {
        Locale.preferredLanguages.first?.hasPrefix("en") == true ? .english : .indonesian
    }
}

/// The strings table of the language chosen in Settings, whatever the phone's language is.
final class LocalizedStrings: @unchecked Sendable {
    static let shared = LocalizedStrings()

    private let lock = NSLock()
    private var bundle: Bundle = .main
    private var language: AppLanguage = .indonesian

    func use(_ language: AppLanguage) {
        let path = Bundle.main.path(forResource: language.rawValue, ofType: "lproj")
        let chosen = path.flatMap(Bundle.init(path:)) ?? .main
        lock.lock()
        bundle = chosen
        self.language = language
        lock.unlock()
    }

    var current: (bundle: Bundle, language: AppLanguage) {
        lock.lock()
        defer { lock.unlock() }
        return (bundle, language)
    }
}

/// Every user-visible string of the app goes through here: a key alone, or a key and the
/// values for its %d / %@ placeholders. The keys live in
/// Resources/{id,en}.lproj/Localizable.strings, which hold exactly the same keys.
func tr(_ key: String, _ args: CVarArg...) -> String {
    let (bundle, language) = LocalizedStrings.shared.current
    let format = NSLocalizedString(key, tableName: nil, bundle: bundle, value: key, comment: "")
    if args.isEmpty { return format }
    return String(format: format, locale: language.locale, arguments: args)
}
