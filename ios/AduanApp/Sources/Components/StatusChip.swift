import AduanCore
import SwiftUI

/// A report's status as core labels it, tinted by stage.
@MainActor
struct StatusChip: View {
    let status: Status
    let label: String

    var body: some View {
        Text(label)
            .font(.caption.weight(.semibold))
            .lineLimit(1)
            .padding(.horizontal, 8)
            .padding(.vertical, 3)
            .foregroundStyle(status.tint)
            .background(status.tint.opacity(0.15), in: Capsule())
    }
}
