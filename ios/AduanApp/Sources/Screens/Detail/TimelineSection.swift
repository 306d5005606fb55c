import AduanCore
import SwiftUI

/// Every step, reply and rating in the merged order, with who, when, the note and photos. A
/// step that came too late to take effect is kept and shown with the reason.
@MainActor
struct TimelineSection: View {
    let entries: [TimelineEntry]

    var body: some View {
        Section(tr("timeline")) {
            if entries.isEmpty {
                Text(tr("timeline_empty"))
                    .foregroundStyle(.secondary)
            }
            ForEach(entries, id: \.id) { entry in
                TimelineRow(entry: entry)
            }
        }
    }
}

@MainActor
private struct TimelineRow: View {
    @EnvironmentObject private var repository: AduanRepository
    let entry: TimelineEntry
    @State private var viewing: PhotoViewerRequest?

    var body: some View {
        HStack(alignment: .top, spacing: 12) {
            Image(systemName: entry.byReporter ? "person.crop.circle" : "building.columns.circle")
                .font(.title3)
                .foregroundStyle(entry.applied ? Color.accentColor : Color.secondary)
            VStack(alignment: .leading, spacing: 4) {
                Text(entry.actionLabel)
                    .font(.subheadline.weight(.semibold))
                    .strikethrough(!entry.applied)
                Text(tr("by_at", entry.authorLabel, Formatting.dateTime(entry.at)))
                    .font(.caption)
                    .foregroundStyle(.secondary)
                if !entry.note.isEmpty {
                    Text(entry.note)
                        .font(.subheadline)
                        .textSelection(.enabled)
                }
                if !entry.photos.isEmpty {
                    Button {
                        viewing = PhotoViewerRequest(photos: entry.photos.map { ViewerPhoto(full: $0, thumb: nil) }, start: 0)
                    } label: {
                        Label(tr("view_photos", entry.photos.count), systemImage: "photo.on.rectangle")
                            .font(.footnote)
                    }
                    .buttonStyle(.borderless)
                }
                if !entry.applied {
                    Label(entry.refusal ?? tr("step_had_no_effect"), systemImage: "exclamationmark.triangle")
                        .font(.footnote)
                        .foregroundStyle(.orange)
                }
            }
        }
        .padding(.vertical, 2)
        .sheet(item: $viewing) { request in
            PhotoViewer(request: request)
                .environmentObject(repository)
        }
    }
}
