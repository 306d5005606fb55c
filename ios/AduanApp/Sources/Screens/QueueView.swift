import AduanCore
import SwiftUI

/// The handler's work queue: the open reports this account may act on, soonest deadline
/// first with the overdue on top and marked, searchable, optionally only the overdue.
@MainActor
struct QueueView: View {
    @EnvironmentObject private var repository: AduanRepository
    @EnvironmentObject private var coordinator: SyncCoordinator

    @State private var query = ""
    @State private var overdueOnly = false
    @State private var items: [ComplaintSummary] = []
    @State private var loaded = false
    @State private var error: String?

    /// Everything not yet completed, archived or merged.
    private static let open: [Status] = [.submitted, .dispatched, .assigned, .inProgress, .followedUp, .deferred]

    private var filter: ComplaintFilter {
        let text = query.trimmed
        return ComplaintFilter(
            statuses: Self.open,
            overdueOnly: overdueOnly,
            text: text.isEmpty ? nil : text,
            sort: .dueSoonest,
            limit: 500
        )
    }

    private var overdueCount: Int { items.filter(\.overdue).count }

    var body: some View {
        List {
            Section {
                Toggle(tr("overdue_only"), isOn: $overdueOnly)
                if overdueCount > 0 {
                    Label(tr("overdue_count", overdueCount), systemImage: "exclamationmark.circle.fill")
                        .foregroundStyle(.red)
                        .font(.subheadline.weight(.semibold))
                }
            }
            if let error {
                Label(error, systemImage: "exclamationmark.triangle")
                    .foregroundStyle(.red)
            }
            Section {
                ForEach(items, id: \.id) { summary in
                    NavigationLink(value: ComplaintRoute(id: summary.id)) {
                        ComplaintRow(summary: summary)
                    }
                    .listRowBackground(summary.overdue ? Color.red.opacity(0.08) : nil)
                }
            }
        }
        .overlay {
            if loaded && items.isEmpty && error == nil {
                EmptyState(systemImage: "checkmark.circle", title: tr("queue_empty"), message: tr("queue_empty_explained"))
            }
        }
        .searchable(text: $query, prompt: Text(tr("search_reports")))
        .safeAreaInset(edge: .top, spacing: 0) { SyncBar() }
        .refreshable { await coordinator.syncNow() }
        .navigationTitle(tr("queue"))
        .navigationDestination(for: ComplaintRoute.self) { route in
            ComplaintDetailScreen(id: route.id)
        }
        .task(id: filter) {
            for await result in repository.complaints(filter) {
                switch result {
                case let .success(list):
                    items = list
                    error = nil
                case let .failure(failure):
                    error = describe(failure)
                }
                loaded = true
            }
        }
    }
}
