import AduanCore
import SwiftUI

/// The reporter's own reports, most recently changed first, each with its status, deadline
/// (overdue marked) and whether it has reached the server; searchable by any word.
@MainActor
struct MyReportsView: View {
    @EnvironmentObject private var repository: AduanRepository
    @EnvironmentObject private var coordinator: SyncCoordinator

    @State private var query = ""
    @State private var items: [ComplaintSummary] = []
    @State private var loaded = false
    @State private var error: String?

    private var filter: ComplaintFilter {
        let text = query.trimmed
        return ComplaintFilter(mineOnly: true, text: text.isEmpty ? nil : text, sort: .recentlyUpdated, limit: 500)
    }

    var body: some View {
        List {
            if let error {
                Label(error, systemImage: "exclamationmark.triangle")
                    .foregroundStyle(.red)
            }
            ForEach(items, id: \.id) { summary in
                NavigationLink(value: ComplaintRoute(id: summary.id)) {
                    ComplaintRow(summary: summary)
                }
            }
        }
        .listStyle(.plain)
        .overlay {
            if loaded && items.isEmpty && error == nil {
                if query.trimmed.isEmpty {
                    EmptyState(systemImage: "tray", title: tr("no_reports_yet"), message: tr("no_reports_yet_explained"))
                } else {
                    EmptyState(systemImage: "magnifyingglass", title: tr("nothing_found"), message: tr("nothing_found_explained"))
                }
            }
        }
        .searchable(text: $query, prompt: Text(tr("search_reports")))
        .safeAreaInset(edge: .top, spacing: 0) { SyncBar() }
        .refreshable { await coordinator.syncNow() }
        .navigationTitle(tr("my_reports"))
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
