import Foundation

/// The few choices the user makes on this phone (kept in UserDefaults): the app's language,
/// whether full-size photos may go over mobile data, and the last server signed in to.
@MainActor
final class AppSettings: ObservableObject {
    private let defaults: UserDefaults

    /// Bahasa Indonesia unless the user chose English, or never chose and the phone is English.
    @Published private(set) var language: AppLanguage

    /// Upload full-size photos on metered networks too (SyncPolicy's
    /// fullPhotosOnMeteredNetworks). Thumbnails always go.
    @Published var uploadFullPhotosOnMobileData: Bool {
        didSet { defaults.set(uploadFullPhotosOnMobileData, forKey: Keys.fullPhotosOnMobileData) }
    }

    var lastServerUrl: String {
        get { defaults.string(forKey: Keys.serverUrl) ?? Self.bundledServerUrl }
        set { defaults.set(newValue, forKey: Keys.serverUrl) }
    }

    init(defaults: UserDefaults = .standard) {
        self.defaults = defaults
        language = defaults.string(forKey: Keys.language).flatMap(AppLanguage.init(rawValue:)) ?? .deviceDefault
        uploadFullPhotosOnMobileData = defaults.bool(forKey: Keys.fullPhotosOnMobileData)
        LocalizedStrings.shared.use(language)
    }

    func setLanguage(_ language: AppLanguage) {
        defaults.set(language.rawValue, forKey: Keys.language)
        LocalizedStrings.shared.use(language)
        self.language = language
    }

    /// The server this build points at (ADUAN_SERVER_URL in project.yml), offered at sign-in.
    static var bundledServerUrl: String {
        (Bundle.main.object(forInfoDictionaryKey: "AduanServerURL") as? String) ?? ""
    }

    private enum Keys {
        static let language = "language"
        static let fullPhotosOnMobileData = "upload_full_photos_metered"
        static let serverUrl = "server_url"
    }
}
