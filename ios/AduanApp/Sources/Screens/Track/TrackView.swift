import AduanCore
import SwiftUI

/// A report's public view by its tracking id, with or without an account: the field, then what
/// the server said (status, category, area, timeline, the institution's replies). Nothing is
/// kept on the phone; every lookup is a round trip, so with no signal it says so and retries.
/// The twin of the Android app's TrackScreen.kt and TrackViewModel.kt.
@MainActor
struct TrackView: View {
    @EnvironmentObject private var repository: AduanRepository
    @EnvironmentObject private var network: NetworkMonitor

    let serverUrl: String

    @State private var input = ""
    /// The typed text cannot be a tracking id (shown once the person asks).
    @State private var invalid = false
    @State private var result: TrackResult = .notAsked
    /// The id of the last lookup, for the retry.
    @State private var asked: String?
    /// Institution ids to names, from core's directory, for "handled by".
    @State private var institutions: [String: String] = [:]

    private var canTrack: Bool { !input.trimmed.isEmpty && result != .loading }

    var body: some View {
        Form {
            Section {
                TextField(tr("track_field_hint"), text: $input)
                    .font(.body.monospaced())
                    .textInputAutocapitalization(.characters)
                    .autocorrectionDisabled()
                    .submitLabel(.search)
                    .onSubmit(track)
                if invalid {
                    Label(tr("track_invalid"), systemImage: "exclamationmark.triangle")
                        .font(.footnote)
                        .foregroundStyle(.red)
                }
                Button(tr("track_button"), action: track)
                    .disabled(!canTrack)
                LabeledContent(tr("server"), value: serverUrl)
                    .font(.footnote)
            } header: {
                Text(tr("track_field"))
            } footer: {
                Text(tr("track_explained"))
            }

            switch result {
            case .notAsked:
                EmptyView()
            case .loading:
                Section {
                    HStack(spacing: 12) {
                        ProgressView()
                        Text(tr("track_loading"))
                    }
                }
            case .notFound:
                Section {
                    Label(tr("track_not_found"), systemImage: "magnifyingglass")
                        .font(.headline)
                    Text(tr("track_not_found_explained"))
                        .font(.subheadline)
                        .foregroundStyle(.secondary)
                }
            case let .noSignal(offline):
                Section {
                    Label(offline ? tr("track_offline") : tr("track_unreachable"), systemImage: "wifi.slash")
                        .foregroundStyle(.orange)
                    Button(tr("try_again"), action: retry)
                }
            case let .failed(message):
                Section {
                    Label(message, systemImage: "exclamationmark.triangle")
                        .foregroundStyle(.red)
                    Button(tr("try_again"), action: retry)
                }
            case let .found(complaint):
                PublicComplaintSections(complaint: complaint, institutions: institutions)
            }
        }
        .navigationTitle(tr("track_title"))
        .navigationBarTitleDisplayMode(.inline)
        .onChange(of: input) { _ in invalid = false }
        .task {
            let directory = (try? await repository.institutions()) ?? []
            institutions = Dictionary(directory.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        }
    }

    private func track() {
        guard canTrack else { return }
        guard let id = TrackingId.normalized(input) else {
            invalid = true
            return
        }
        // The field shows the number as it was understood.
        input = id
        invalid = false
        lookUp(id)
    }

    private func retry() {
        if let asked { lookUp(asked) }
    }

    private func lookUp(_ id: String) {
        asked = id
        guard network.state.connected else {
            result = .noSignal(offline: true)
            return
        }
        result = .loading
        Task { @MainActor in
            let outcome: TrackResult
            do {
                outcome = try await repository.track(serverUrl: serverUrl, trackingId: id).map(TrackResult.found) ?? .notFound
            } catch {
                let failure = AduanError.wrap(error)
                // The request never got an answer (core's transient failure); a refusal keeps its words.
                if case .Sync = failure, failure.code == "sync_failed" {
                    outcome = .noSignal(offline: false)
                } else {
                    outcome = .failed(describe(failure))
                }
            }
            // A later lookup owns the screen.
            if asked == id { result = outcome }
        }
    }
}

/// What the last lookup came to.
private enum TrackResult: Equatable {
    case notAsked
    case loading
    /// The server has no public report with that id (unknown and confidential look the same).
    case notFound
    /// No network, or the server could not be reached: the screen offers a retry.
    case noSignal(offline: Bool)
    /// The server or core refused, in their own words.
    case failed(String)
    case found(PublicComplaint)
}
