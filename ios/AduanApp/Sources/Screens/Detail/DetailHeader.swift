import AduanCore
import SwiftUI

/// Title, status, kind, category, who reported, the privacy flags and the sync state.
@MainActor
struct DetailHeader: View {
    let detail: ComplaintDetail

    private var summary: ComplaintSummary { detail.summary }

    var body: some View {
        Section {
            VStack(alignment: .leading, spacing: 8) {
                Text(summary.title)
                    .font(.title3.weight(.semibold))
                    .textSelection(.enabled)
                HStack(spacing: 8) {
                    StatusChip(status: summary.status, label: summary.statusLabel)
                    SyncBadge(pending: summary.pendingSync)
                }
                Text(summary.trackingId)
                    .font(.footnote.monospaced())
                    .foregroundStyle(.secondary)
                    .textSelection(.enabled)
            }
            .padding(.vertical, 4)
            LabeledContent(tr("kind"), value: summary.kindLabel)
            LabeledContent(tr("category"), value: summary.categoryLabel)
            LabeledContent(tr("reported_by"), value: detail.reporterLabel)
            LabeledContent(tr("filed_at"), value: Formatting.dateTime(summary.createdAt))
            LabeledContent(tr("updated_at"), value: Formatting.dateTime(summary.updatedAt))
            if summary.anonymous {
                Label(tr("anonymous_explained"), systemImage: "theatermasks")
                    .font(.footnote)
            }
            if summary.confidential {
                Label(tr("confidential_explained"), systemImage: "lock.fill")
                    .font(.footnote)
            }
            if summary.damaged {
                Label(tr("damaged_on_device_explained"), systemImage: "exclamationmark.triangle.fill")
                    .font(.footnote)
                    .foregroundStyle(.red)
            }
        }
    }
}
