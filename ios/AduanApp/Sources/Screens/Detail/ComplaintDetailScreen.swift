import AduanCore
import SwiftUI

/// One report: what was reported, its deadline, photos, the timeline of every step and reply,
/// the steps this person may take now, replies and the rating. Re-read after every change.
@MainActor
struct ComplaintDetailScreen: View {
    @EnvironmentObject private var repository: AduanRepository
    @EnvironmentObject private var coordinator: SyncCoordinator

    let id: String

    @State private var detail: ComplaintDetail?
    @State private var error: String?
    @State private var chosen: ChosenAction?

    var body: some View {
        ZStack {
            if let detail {
                content(detail)
            } else if let error {
                EmptyState(systemImage: "exclamationmark.triangle", title: tr("report_unavailable"), message: error)
            } else {
                ProgressView()
            }
        }
        .navigationTitle(detail?.summary.trackingId ?? "")
        .navigationBarTitleDisplayMode(.inline)
        .task(id: id) {
            for await result in repository.complaint(id) {
                switch result {
                case let .success(value):
                    detail = value
                    error = nil
                case let .failure(failure):
                    error = describe(failure)
                }
            }
        }
    }

    private func content(_ detail: ComplaintDetail) -> some View {
        List {
            Group {
                DetailHeader(detail: detail)
                if let error {
                    Label(error, systemImage: "exclamationmark.triangle")
                        .foregroundStyle(.red)
                }
                DeadlineSection(detail: detail)
                Section(tr("description")) {
                    Text(detail.description)
                        .textSelection(.enabled)
                }
                PlaceSection(location: detail.location)
            }
            Group {
                if !detail.photos.isEmpty || detail.availableActions.contains(.addPhoto) {
                    Section(tr("photos")) {
                        if !detail.photos.isEmpty {
                            PhotoGrid(photos: detail.photos)
                        }
                        if detail.availableActions.contains(.addPhoto) {
                            AddPhotosRow(complaintId: detail.summary.id)
                        }
                    }
                }
                MergeSection(detail: detail)
                RefusedSection(items: detail.refused)
            }
            Group {
                WorkflowActionsSection(detail: detail) { chosen = ChosenAction(kind: $0) }
                RatingSection(detail: detail)
                TimelineSection(entries: detail.timeline)
                if detail.availableActions.contains(.reply) {
                    ReplySection(complaintId: detail.summary.id)
                }
            }
        }
        .refreshable { await coordinator.syncNow() }
        .sheet(item: $chosen) { choice in
            ActionFormView(kind: choice.kind, detail: detail)
                .environmentObject(repository)
        }
    }
}
