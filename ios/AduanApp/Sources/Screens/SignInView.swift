import AduanCore
import SwiftUI

/// Sign in with an account (officers, administrators, cadres, citizens who have one) or
/// continue as a citizen without one. Both need the server once; everything after works offline.
/// After a sign-out it says what became of the phone's data; anyone may track a report by its
/// number from here without signing in.
@MainActor
struct SignInView: View {
    @EnvironmentObject private var repository: AduanRepository
    @EnvironmentObject private var coordinator: SyncCoordinator
    @EnvironmentObject private var settings: AppSettings
    @EnvironmentObject private var network: NetworkMonitor

    @State private var serverUrl = ""
    @State private var account = ""
    @State private var password = ""
    @State private var busy = false
    @State private var error: String?

    var body: some View {
        Form {
            Section {
                VStack(alignment: .leading, spacing: 8) {
                    Text(tr("app_name"))
                        .font(.largeTitle.bold())
                    Text(tr("sign_in_intro"))
                        .font(.subheadline)
                        .foregroundStyle(.secondary)
                }
                .padding(.vertical, 4)
            }

            if let report = repository.lastSignOut {
                Section {
                    Label(tr("signout_done"), systemImage: "checkmark.circle")
                    if !report.discarded.isEmpty {
                        Text(tr("signout_done_discarded"))
                            .font(.footnote)
                    }
                    if !report.serverSessionEnded {
                        Text(tr("signout_server_unreached"))
                            .font(.footnote)
                            .foregroundStyle(.secondary)
                    }
                }
            }

            if !network.state.connected {
                Section {
                    Label(tr("sign_in_needs_network"), systemImage: "wifi.slash")
                        .foregroundStyle(.orange)
                }
            }

            Section(tr("with_account")) {
                TextField(tr("account_id"), text: $account)
                    .textContentType(.username)
                    .textInputAutocapitalization(.never)
                    .autocorrectionDisabled()
                SecureField(tr("password"), text: $password)
                    .textContentType(.password)
                Button(tr("sign_in")) { signIn() }
                    .disabled(busy || account.trimmed.isEmpty || password.isEmpty || serverUrl.trimmed.isEmpty)
            }

            Section {
                Button(tr("continue_anonymously")) { continueAnonymously() }
                    .disabled(busy || serverUrl.trimmed.isEmpty)
            } footer: {
                Text(tr("continue_anonymously_explained"))
            }

            Section {
                TextField(tr("server_address"), text: $serverUrl)
                    .keyboardType(.URL)
                    .textContentType(.URL)
                    .textInputAutocapitalization(.never)
                    .autocorrectionDisabled()
            } header: {
                Text(tr("server"))
            } footer: {
                Text(tr("server_explained"))
            }

            if busy {
                Section {
                    HStack(spacing: 12) {
                        ProgressView()
                        Text(tr("signing_in"))
                    }
                }
            }

            if let error {
                Section {
                    Label(error, systemImage: "exclamationmark.triangle")
                        .foregroundStyle(.red)
                }
            }

            // Anyone holding a tracking number follows that report, signed in or not.
            Section {
                NavigationLink(value: TrackRoute(serverUrl: serverUrl.trimmed)) {
                    Text(tr("signin_track_button"))
                }
                .disabled(busy || serverUrl.trimmed.isEmpty)
            } header: {
                Text(tr("signin_track_title"))
            } footer: {
                Text(tr("track_open_explained"))
            }
        }
        .navigationTitle(tr("sign_in"))
        .navigationDestination(for: TrackRoute.self) { route in
            TrackView(serverUrl: route.serverUrl)
        }
        .onAppear {
            if serverUrl.isEmpty { serverUrl = settings.lastServerUrl }
        }
    }

    private func signIn() {
        let url = serverUrl.trimmed
        let accountId = account.trimmed
        let secret = password
        run(url) { try await repository.login(serverUrl: url, account: accountId, password: secret) }
    }

    private func continueAnonymously() {
        let url = serverUrl.trimmed
        run(url) { try await repository.continueAnonymously(serverUrl: url) }
    }

    private func run(_ url: String, _ work: @escaping @MainActor () async throws -> Identity) {
        busy = true
        error = nil
        Task { @MainActor in
            do {
                _ = try await work()
                settings.lastServerUrl = url
                // The first sync brings what this account may see.
                coordinator.trigger(.userAsked)
            } catch {
                self.error = describe(error)
            }
            busy = false
        }
    }
}
