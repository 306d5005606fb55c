import AduanCore
import SwiftUI

/// Opening the store, then sign-in or the app. The whole tree is rebuilt when the language
/// changes, so every string is read again in the new one.
@MainActor
struct AppRoot: View {
    @EnvironmentObject private var environment: AppEnvironment
    @EnvironmentObject private var settings: AppSettings

    var body: some View {
        content
            .id(settings.language)
            .environment(\.locale, settings.language.locale)
    }

    @ViewBuilder
    private var content: some View {
        switch environment.phase {
        case .opening:
            ProgressView(tr("opening_store"))
        case let .failed(message):
            StoreFailedView(message: message) { environment.retry() }
        case let .ready(repository, coordinator):
            SignedInGate()
                .environmentObject(repository)
                .environmentObject(coordinator)
        }
    }
}

/// Sign-in until the store has an identity, then the tabs for that person's role.
@MainActor
private struct SignedInGate: View {
    @EnvironmentObject private var repository: AduanRepository

    var body: some View {
        if let identity = repository.identity {
            MainTabs(identity: identity)
        } else {
            NavigationStack {
                SignInView()
            }
        }
    }
}

@MainActor
private struct MainTabs: View {
    let identity: Identity

    var body: some View {
        TabView {
            if identity.role.handlesReports {
                NavigationStack { QueueView() }
                    .tabItem { Label(tr("queue"), systemImage: "tray.full") }
            } else {
                NavigationStack { MyReportsView() }
                    .tabItem { Label(tr("my_reports"), systemImage: "list.bullet.rectangle") }
                NavigationStack { FileReportView() }
                    .tabItem { Label(tr("file_report"), systemImage: "square.and.pencil") }
            }
            NavigationStack { SettingsView() }
                .tabItem { Label(tr("settings"), systemImage: "gearshape") }
        }
    }
}

@MainActor
private struct StoreFailedView: View {
    let message: String
    let retry: () -> Void

    var body: some View {
        VStack(spacing: 16) {
            Image(systemName: "externaldrive.badge.exclamationmark")
                .font(.system(size: 44))
                .foregroundStyle(.orange)
            Text(tr("store_failed"))
                .font(.headline)
            Text(message)
                .font(.subheadline)
                .foregroundStyle(.secondary)
                .multilineTextAlignment(.center)
            Button(tr("try_again"), action: retry)
                .buttonStyle(.borderedProminent)
        }
        .padding(32)
    }
}
