import AduanCore
import SwiftUI

/// The running stage and its deadline in working days (holidays and collective leave skipped
/// by core), overdue marked; or why there is none.
@MainActor
struct DeadlineSection: View {
    let detail: ComplaintDetail

    var body: some View {
        Section(tr("deadline")) {
            if let deadline = detail.deadline {
                LabeledContent(tr("stage"), value: deadline.stageLabel)
                LabeledContent(tr("allowance"), value: tr("working_days", Int(deadline.workingDays)))
                LabeledContent(tr("stage_started"), value: Formatting.dateTime(deadline.startedAt))
                LabeledContent(tr("due"), value: Formatting.dateTime(deadline.dueAt))
                if deadline.overdue {
                    Label(tr("overdue_by", Int(clamping: -deadline.workingDaysLeft)), systemImage: "exclamationmark.circle.fill")
                        .foregroundStyle(.red)
                        .font(.subheadline.weight(.semibold))
                } else if deadline.stage == .awaitingReporter {
                    Label(tr("awaiting_reporter_explained", Formatting.day(deadline.dueAt)), systemImage: "hourglass")
                        .font(.subheadline)
                } else {
                    Label(tr("working_days_left", Int(clamping: max(deadline.workingDaysLeft, 0))), systemImage: "clock")
                        .font(.subheadline)
                }
                if detail.fieldInspection {
                    Label(tr("field_inspection_needed"), systemImage: "figure.walk")
                        .font(.footnote)
                }
            } else if detail.autoCompleted {
                Text(tr("auto_completed"))
            } else if detail.summary.status == .deferred {
                Text(tr("deferred_no_deadline"))
            } else {
                Text(tr("no_deadline"))
            }
        }
    }
}
