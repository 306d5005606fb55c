import AduanCore
import SwiftUI

/// One report in a list: title, status, category, deadline (overdue marked), tracking number
/// and whether it has reached the server.
@MainActor
struct ComplaintRow: View {
    let summary: ComplaintSummary

    var body: some View {
        VStack(alignment: .leading, spacing: 6) {
            HStack(alignment: .firstTextBaseline, spacing: 8) {
                Text(summary.title)
                    .font(.headline)
                    .lineLimit(2)
                Spacer(minLength: 4)
                SyncBadge(pending: summary.pendingSync)
            }
            HStack(spacing: 6) {
                StatusChip(status: summary.status, label: summary.statusLabel)
                Text(summary.categoryLabel)
                    .font(.caption)
                    .foregroundStyle(.secondary)
                    .lineLimit(1)
            }
            DueLabel(dueAt: summary.dueAt, overdue: summary.overdue, status: summary.status)
            HStack(spacing: 10) {
                Text(summary.trackingId)
                    .font(.caption.monospaced())
                    .foregroundStyle(.secondary)
                if summary.photoCount > 0 {
                    Label(String(summary.photoCount), systemImage: "photo")
                        .font(.caption)
                        .foregroundStyle(.secondary)
                        .accessibilityLabel(tr("photo_count", Int(summary.photoCount)))
                }
                if summary.confidential {
                    Image(systemName: "lock.fill")
                        .font(.caption)
                        .foregroundStyle(.secondary)
                        .accessibilityLabel(tr("confidential"))
                }
                if summary.anonymous {
                    Image(systemName: "theatermasks")
                        .font(.caption)
                        .foregroundStyle(.secondary)
                        .accessibilityLabel(tr("anonymous"))
                }
            }
            if summary.damaged {
                Label(tr("damaged_on_device"), systemImage: "exclamationmark.triangle.fill")
                    .font(.caption)
                    .foregroundStyle(.red)
            }
        }
        .padding(.vertical, 4)
    }
}
