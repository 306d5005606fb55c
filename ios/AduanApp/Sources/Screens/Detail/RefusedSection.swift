import AduanCore
import SwiftUI

/// Work done on this phone that the server refused (rights lost while offline): kept and shown
/// with the reason, never dropped silently.
@MainActor
struct RefusedSection: View {
    let items: [RefusedView]

    var body: some View {
        if !items.isEmpty {
            Section {
                ForEach(Array(items.enumerated()), id: \.offset) { _, item in
                    RefusedRow(item: item)
                }
            } header: {
                Text(tr("refused_by_server"))
            } footer: {
                Text(tr("refused_explained"))
            }
        }
    }
}

@MainActor
struct RefusedRow: View {
    let item: RefusedView

    var body: some View {
        VStack(alignment: .leading, spacing: 4) {
            HStack {
                Text(item.actionLabel)
                    .font(.subheadline.weight(.semibold))
                Spacer()
                Text(Formatting.dateTime(item.at))
                    .font(.caption)
                    .foregroundStyle(.secondary)
            }
            if !item.note.isEmpty {
                Text(item.note)
                    .font(.subheadline)
            }
            Label(item.reason, systemImage: "xmark.octagon")
                .font(.footnote)
                .foregroundStyle(.red)
        }
        .padding(.vertical, 2)
    }
}
