import AduanCore
import SwiftUI

/// Signing out, confirmed. Core is asked first what it would lose: a plain question when the
/// server has everything; otherwise the list, with "Sync first", "Sign out and discard" and
/// "Cancel". Once core forgets the identity the app goes back to the sign-in screen by itself.
/// The twin of the Android app's SignOutConfirmation in SettingsScreen.kt.
@MainActor
struct SignOutSheet: View {
    @EnvironmentObject private var repository: AduanRepository
    @EnvironmentObject private var network: NetworkMonitor
    @Environment(\.dismiss) private var dismiss

    /// Core is asked what signing out would lose.
    @State private var checking = true
    /// What would be lost (nil while checking, or when core could not say).
    @State private var work: UnsyncedWork?
    /// "Sync first" runs.
    @State private var syncing = false
    @State private var signingOut = false
    /// Why the last step did not get through (no signal, a refusal, work still left).
    @State private var message: String?

    /// Something the server does not have would be lost (or core could not say).
    private var losesWork: Bool { !checking && !(work?.isEmpty ?? false) }
    private var busy: Bool { checking || syncing || signingOut }

    var body: some View {
        NavigationStack {
            Form {
                Section {
                    if checking {
                        progress(tr("signout_checking"))
                    } else if losesWork {
                        if let work {
                            Text(tr("signout_unsynced_explained"))
                            ForEach(lines(work), id: \.self) { line in
                                Label(line, systemImage: "icloud.slash")
                            }
                        }
                    } else {
                        Text(tr("signout_plain"))
                    }
                    if syncing {
                        progress(tr("signout_syncing"))
                    }
                    if signingOut {
                        progress(tr("signout_busy"))
                    }
                    if let message {
                        Label(message, systemImage: "exclamationmark.triangle")
                            .foregroundStyle(.red)
                    }
                }
                Section {
                    if losesWork {
                        Button(tr("signout_sync_first"), action: syncFirst)
                            .disabled(busy)
                        Button(tr("signout_discard"), role: .destructive) { signOut(discardUnsynced: true) }
                            .disabled(busy)
                    } else {
                        Button(tr("signout_button"), role: .destructive) { signOut(discardUnsynced: false) }
                            .disabled(busy)
                    }
                }
            }
            .navigationTitle(losesWork ? tr("signout_unsynced_title") : tr("signout_title"))
            .navigationBarTitleDisplayMode(.inline)
            .toolbar {
                ToolbarItem(placement: .cancellationAction) {
                    Button(tr("cancel")) { dismiss() }
                        .disabled(syncing || signingOut)
                }
            }
            .interactiveDismissDisabled(syncing || signingOut)
            .task { await check(message: nil) }
        }
    }

    private func progress(_ label: String) -> some View {
        HStack(spacing: 12) {
            ProgressView()
            Text(label)
        }
    }

    private func lines(_ work: UnsyncedWork) -> [String] {
        var lines: [String] = []
        if work.complaints > 0 {
            lines.append(tr("signout_unsynced_reports", Int(clamping: work.complaints), Int(clamping: work.newComplaints)))
        }
        if work.changes > 0 { lines.append(tr("signout_unsynced_changes", Int(clamping: work.changes))) }
        if work.photos > 0 { lines.append(tr("signout_unsynced_photos", Int(clamping: work.photos))) }
        if work.refused > 0 { lines.append(tr("signout_unsynced_refused", Int(clamping: work.refused))) }
        return lines
    }

    /// Sends everything first (full-size photos too, whatever the network: the person asked for
    /// it to leave), then signs out if nothing is left; otherwise says what is still here.
    private func syncFirst() {
        guard !busy else { return }
        guard network.state.connected else {
            message = tr("signout_offline")
            return
        }
        syncing = true
        message = nil
        Task { @MainActor in
            var failure: String?
            do {
                try await repository.sync(uploadFullPhotos: true)
            } catch {
                failure = describe(error)
            }
            do {
                let left = try await repository.unsyncedWork()
                work = left
                syncing = false
                if left.isEmpty {
                    signOutNow(discardUnsynced: false)
                } else {
                    message = failure ?? tr("signout_still_unsynced")
                }
            } catch {
                syncing = false
                work = nil
                message = describe(error)
            }
        }
    }

    /// Signs out: `discardUnsynced` once the person chose to lose what is not sent.
    private func signOut(discardUnsynced: Bool) {
        guard !busy else { return }
        signOutNow(discardUnsynced: discardUnsynced)
    }

    private func signOutNow(discardUnsynced: Bool) {
        signingOut = true
        message = nil
        Task { @MainActor in
            do {
                // Core forgets the identity: the app goes back to the sign-in screen by itself.
                try await repository.signOut(discardUnsynced: discardUnsynced)
            } catch {
                signingOut = false
                let failure = AduanError.wrap(error)
                if case .NotAllowed = failure {
                    // Work arrived since the question (a sync brought a refusal, a step was saved): ask again.
                    await check(message: failure.code == "unsynced_work" ? nil : describe(failure))
                } else {
                    message = describe(failure)
                }
            }
        }
    }

    private func check(message: String?) async {
        do {
            work = try await repository.unsyncedWork()
            self.message = message
        } catch {
            work = nil
            self.message = describe(error)
        }
        checking = false
    }
}
