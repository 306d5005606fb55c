import AduanCore
import SwiftUI

/// The running stage's deadline on a list row: overdue in red; for a follow-up awaiting the
/// reporter, when it will count as completed.
@MainActor
struct DueLabel: View {
    let dueAt: Int64?
    let overdue: Bool
    let status: Status

    var body: some View {
        if let dueAt {
            if overdue {
                Label(tr("overdue_since", Formatting.day(dueAt)), systemImage: "exclamationmark.circle.fill")
                    .font(.caption.weight(.semibold))
                    .foregroundStyle(.red)
            } else if status == .followedUp {
                Label(tr("reply_until", Formatting.day(dueAt)), systemImage: "hourglass")
                    .font(.caption)
                    .foregroundStyle(.secondary)
            } else {
                Label(tr("due_on", Formatting.day(dueAt)), systemImage: "clock")
                    .font(.caption)
                    .foregroundStyle(.secondary)
            }
        }
    }
}
