import SwiftUI

/// Per report: still on this phone only, or on the server.
@MainActor
struct SyncBadge: View {
    let pending: Bool

    var body: some View {
        Label(pending ? tr("not_sent_yet") : tr("sent"), systemImage: pending ? "icloud.and.arrow.up" : "checkmark.icloud")
            .font(.caption2.weight(.medium))
            .foregroundStyle(pending ? Color.orange : Color.green)
            .accessibilityLabel(pending ? tr("not_sent_yet_explained") : tr("sent_explained"))
    }
}
