import AduanCore
import SwiftUI

/// One button per workflow step core says this person may take now; each opens a form
/// (ActionFormView) with a note and optional photo evidence.
@MainActor
struct WorkflowActionsSection: View {
    let detail: ComplaintDetail
    let choose: (ActionKind) -> Void

    private var steps: [ActionKind] {
        ActionKind.workflowSteps.filter { detail.availableActions.contains($0) }
    }

    var body: some View {
        if !steps.isEmpty {
            Section(tr("actions")) {
                ForEach(steps, id: \.self) { kind in
                    Button(role: kind.isDestructive ? .destructive : nil) {
                        choose(kind)
                    } label: {
                        Label(kind.label, systemImage: kind.systemImage)
                    }
                }
            }
        }
    }
}

/// The step being filled in, for `.sheet(item:)`.
struct ChosenAction: Identifiable {
    let kind: ActionKind
    var id: ActionKind { kind }
}
