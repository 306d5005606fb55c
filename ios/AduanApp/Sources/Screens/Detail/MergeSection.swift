import AduanCore
import SwiftUI

/// Duplicates: the report this one was merged into, or the reports merged into this one.
@MainActor
struct MergeSection: View {
    let detail: ComplaintDetail

    var body: some View {
        if detail.mergedInto != nil || !detail.duplicates.isEmpty {
            Section(tr("duplicates")) {
                if let target = detail.mergedInto {
                    NavigationLink(value: ComplaintRoute(id: target)) {
                        Label(tr("merged_into", target), systemImage: "arrow.triangle.merge")
                    }
                }
                ForEach(detail.duplicates, id: \.self) { tracking in
                    NavigationLink(value: ComplaintRoute(id: tracking)) {
                        Label(tr("duplicate_of_this", tracking), systemImage: "doc.on.doc")
                    }
                }
            }
        }
    }
}
