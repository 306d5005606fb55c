import AduanCore
import SwiftUI

/// What the public may know of a report: status, kind, category, who handles it, its times and
/// deadline, the area and the timeline with the institution's replies. Never the reporter, the
/// words, the photos or the exact place (the server leaves them out). Times are in the zone of
/// the institution holding it (WITA for Makassar), named after each time.
@MainActor
struct PublicComplaintSections: View {
    let complaint: PublicComplaint
    /// Institution ids to names; an id missing here is shown as it is.
    let institutions: [String: String]

    var body: some View {
        Section {
            VStack(alignment: .leading, spacing: 8) {
                Text(complaint.trackingId)
                    .font(.title3.monospaced().weight(.semibold))
                    .textSelection(.enabled)
                HStack(spacing: 8) {
                    StatusChip(status: complaint.status, label: complaint.statusLabel)
                    if complaint.overdue {
                        Label(tr("overdue"), systemImage: "exclamationmark.circle.fill")
                            .font(.caption.weight(.semibold))
                            .foregroundStyle(.red)
                    }
                }
            }
            .padding(.vertical, 4)
            // Both labels come translated from core.
            LabeledContent(tr("kind"), value: complaint.kindLabel)
            LabeledContent(tr("category"), value: complaint.categoryLabel)
            if let institution = complaint.institutionId {
                LabeledContent(tr("institution"), value: name(institution))
            }
            LabeledContent(tr("filed_at"), value: at(complaint.createdAt))
            LabeledContent(tr("updated_at"), value: at(complaint.updatedAt))
            if let due = complaint.dueAt {
                LabeledContent(tr("due")) {
                    Text(at(due))
                        .foregroundStyle(complaint.overdue ? Color.red : Color.secondary)
                }
            }
        }

        Section(tr("track_area")) {
            Text(area)
        }

        Section(tr("timeline")) {
            if complaint.timeline.isEmpty {
                Text(tr("track_timeline_empty"))
                    .foregroundStyle(.secondary)
            }
            ForEach(Array(complaint.timeline.enumerated()), id: \.offset) { _, step in
                PublicStepRow(step: step, by: author(step), at: at(step.at))
            }
        }
    }

    private var area: String {
        let place = complaint.area
        return [place.kelurahan, place.kecamatan, place.city, place.province]
            .filter { !$0.isEmpty }
            .joined(separator: ", ")
    }

    private func at(_ millis: Int64) -> String {
        Formatting.dateTime(millis, utcOffsetMinutes: complaint.utcOffsetMinutes, zone: complaint.zone)
    }

    private func name(_ institutionId: String) -> String {
        institutions[institutionId] ?? institutionId
    }

    /// "Reporter", or the handler's role and institution; never a name.
    private func author(_ step: PublicStep) -> String {
        guard let institution = step.institutionId else { return step.byLabel }
        return tr("role_of_institution", step.byLabel, name(institution))
    }
}

@MainActor
private struct PublicStepRow: View {
    let step: PublicStep
    let by: String
    let at: String

    var body: some View {
        HStack(alignment: .top, spacing: 12) {
            Image(systemName: step.byReporter ? "person.crop.circle" : "building.columns.circle")
                .font(.title3)
                .foregroundStyle(Color.accentColor)
            VStack(alignment: .leading, spacing: 4) {
                Text(step.actionLabel)
                    .font(.subheadline.weight(.semibold))
                Text(tr("by_at", by, at))
                    .font(.caption)
                    .foregroundStyle(.secondary)
                if let reply = step.reply, !reply.trimmed.isEmpty {
                    VStack(alignment: .leading, spacing: 4) {
                        Text(tr("track_reply"))
                            .font(.caption.weight(.semibold))
                        Text(reply)
                            .font(.subheadline)
                            .textSelection(.enabled)
                    }
                    .padding(10)
                    .frame(maxWidth: .infinity, alignment: .leading)
                    .background(Color.accentColor.opacity(0.12), in: RoundedRectangle(cornerRadius: 8))
                }
            }
        }
        .padding(.vertical, 2)
    }
}
