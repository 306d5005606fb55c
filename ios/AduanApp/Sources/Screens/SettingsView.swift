import AduanCore
import SwiftUI

/// The app's language, whether full-size photos may go over mobile data, who is signed in
/// where, tracking any report by its number, signing out, and all work the server refused.
@MainActor
struct SettingsView: View {
    @EnvironmentObject private var environment: AppEnvironment
    @EnvironmentObject private var settings: AppSettings
    @EnvironmentObject private var repository: AduanRepository
    @EnvironmentObject private var network: NetworkMonitor

    @State private var refused: [RefusedView] = []
    @State private var institutions: [InstitutionView] = []
    @State private var signingOut = false

    var body: some View {
        Form {
            Section {
                Picker(tr("language"), selection: Binding(get: { settings.language }, set: { environment.setLanguage($0) })) {
                    ForEach(AppLanguage.allCases) { language in
                        Text(language.name).tag(language)
                    }
                }
            } header: {
                Text(tr("language"))
            } footer: {
                Text(tr("language_explained"))
            }

            Section {
                Toggle(tr("full_photos_on_mobile_data"), isOn: $settings.uploadFullPhotosOnMobileData)
            } header: {
                Text(tr("sync"))
            } footer: {
                Text(tr("full_photos_on_mobile_data_explained"))
            }

            if let identity = repository.identity {
                Section(tr("account")) {
                    LabeledContent(tr("name"), value: identity.displayName)
                    LabeledContent(tr("role"), value: identity.role.label)
                    if let institution = identity.institutionId {
                        LabeledContent(tr("institution"), value: institutionName(institution))
                    }
                    if let unit = identity.unitId {
                        LabeledContent(tr("unit"), value: unitName(unit))
                    }
                    if let server = repository.syncStatus?.serverUrl {
                        LabeledContent(tr("server"), value: server)
                    }
                }
            }

            Section {
                // Any report by its tracking number, as the public sees it (the server is asked).
                NavigationLink(value: TrackRoute(serverUrl: repository.syncStatus?.serverUrl ?? settings.lastServerUrl)) {
                    VStack(alignment: .leading, spacing: 2) {
                        Text(tr("track_title"))
                        Text(tr("track_open_explained"))
                            .font(.footnote)
                            .foregroundStyle(.secondary)
                    }
                }
            }

            Section {
                Button(role: .destructive) {
                    signingOut = true
                } label: {
                    Label(tr("signout_button"), systemImage: "rectangle.portrait.and.arrow.right")
                }
            } footer: {
                Text(tr("settings_signout_explained"))
            }

            if !refused.isEmpty {
                Section {
                    ForEach(Array(refused.enumerated()), id: \.offset) { _, item in
                        NavigationLink(value: ComplaintRoute(id: item.complaintId)) {
                            VStack(alignment: .leading, spacing: 2) {
                                Text(item.trackingId)
                                    .font(.caption.monospaced())
                                    .foregroundStyle(.secondary)
                                RefusedRow(item: item)
                            }
                        }
                    }
                } header: {
                    Text(tr("refused_by_server"))
                } footer: {
                    Text(tr("refused_explained"))
                }
            }

            Section(tr("about")) {
                LabeledContent(tr("app_version"), value: Self.version)
            }
        }
        .safeAreaInset(edge: .top, spacing: 0) { SyncBar() }
        .navigationTitle(tr("settings"))
        .navigationDestination(for: ComplaintRoute.self) { route in
            ComplaintDetailScreen(id: route.id)
        }
        .navigationDestination(for: TrackRoute.self) { route in
            TrackView(serverUrl: route.serverUrl)
        }
        .sheet(isPresented: $signingOut) {
            SignOutSheet()
                .environmentObject(repository)
                .environmentObject(network)
        }
        .task {
            institutions = (try? await repository.institutions()) ?? []
        }
        .task {
            for await result in repository.refusedWork() {
                if case let .success(list) = result { refused = list }
            }
        }
    }

    private func institutionName(_ id: String) -> String {
        institutions.first { $0.id == id }?.name ?? id
    }

    private func unitName(_ id: String) -> String {
        institutions.lazy.flatMap(\.units).first { $0.id == id }?.name ?? id
    }

    private static var version: String {
        let info = Bundle.main.infoDictionary
        let short = info?["CFBundleShortVersionString"] as? String ?? "-"
        let build = info?["CFBundleVersion"] as? String ?? "-"
        return tr("version_value", short, build)
    }
}
