import AduanCore
import SwiftUI

/// One workflow step: its parameters (institution, unit, merge target, privacy flags), a note
/// and optional photo evidence. Core checks the step again when it is recorded and again on
/// every phone; a refusal comes back in the person's language.
@MainActor
struct ActionFormView: View {
    @EnvironmentObject private var repository: AduanRepository
    @Environment(\.dismiss) private var dismiss

    let kind: ActionKind
    let detail: ComplaintDetail

    @State private var note = ""
    @State private var evidence: [PickedPhoto] = []
    @State private var institutions: [InstitutionView] = []
    @State private var institutionId = ""
    @State private var unitId = ""
    @State private var fieldInspection = false
    @State private var mergeTarget = ""
    @State private var anonymous: Bool
    @State private var confidential: Bool
    @State private var busy = false
    @State private var error: String?

    init(kind: ActionKind, detail: ComplaintDetail) {
        self.kind = kind
        self.detail = detail
        _anonymous = State(initialValue: detail.summary.anonymous)
        _confidential = State(initialValue: detail.summary.confidential)
    }

    var body: some View {
        NavigationStack {
            Form {
                Section {
                    Text(detail.summary.title)
                        .font(.headline)
                    Text(detail.summary.trackingId)
                        .font(.caption.monospaced())
                        .foregroundStyle(.secondary)
                } footer: {
                    Text(kind.explanation)
                }
                parameters
                Section {
                    TextField(kind == .followUp ? tr("follow_up_note_hint") : tr("note_hint"), text: $note, axis: .vertical)
                        .lineLimit(3...10)
                } header: {
                    Text(tr("note"))
                } footer: {
                    if kind == .followUp {
                        Text(tr("follow_up_note_required"))
                    }
                }
                Section(tr("photo_evidence")) {
                    PhotoAttachments(photos: $evidence, limit: 4)
                }
                if let error {
                    Section {
                        Label(error, systemImage: "exclamationmark.triangle")
                            .foregroundStyle(.red)
                    }
                }
            }
            .navigationTitle(kind.label)
            .navigationBarTitleDisplayMode(.inline)
            .toolbar {
                ToolbarItem(placement: .cancellationAction) {
                    Button(tr("cancel")) { dismiss() }
                        .disabled(busy)
                }
                ToolbarItem(placement: .confirmationAction) {
                    if busy {
                        ProgressView()
                    } else {
                        Button(tr("submit")) { submit() }
                            .disabled(!canSubmit)
                    }
                }
            }
            .interactiveDismissDisabled(busy)
            .task {
                guard kind == .dispatch || kind == .assign else { return }
                institutions = (try? await repository.institutions()) ?? []
            }
        }
    }

    @ViewBuilder
    private var parameters: some View {
        switch kind {
        case .dispatch:
            Section(tr("institution")) {
                Picker(tr("institution"), selection: $institutionId) {
                    Text(tr("choose")).tag("")
                    ForEach(dispatchTargets, id: \.id) { institution in
                        Text(institution.name).tag(institution.id)
                    }
                }
                .pickerStyle(.navigationLink)
            }
        case .assign:
            Section {
                Picker(tr("unit"), selection: $unitId) {
                    Text(tr("choose")).tag("")
                    ForEach(units, id: \.id) { unit in
                        Text(unit.name).tag(unit.id)
                    }
                }
                .pickerStyle(.navigationLink)
                Toggle(tr("field_inspection"), isOn: $fieldInspection)
            } header: {
                Text(tr("unit"))
            } footer: {
                Text(tr("field_inspection_explained"))
            }
        case .mergeInto:
            Section {
                TextField(tr("merge_target_hint"), text: $mergeTarget)
                    .textInputAutocapitalization(.characters)
                    .autocorrectionDisabled()
            } header: {
                Text(tr("merge_target"))
            } footer: {
                Text(tr("merge_target_explained"))
            }
        case .setFlags:
            Section {
                Toggle(tr("anonymous"), isOn: $anonymous)
                    .disabled(detail.summary.anonymous)
                Text(tr("anonymous_explained"))
                    .font(.footnote)
                    .foregroundStyle(.secondary)
                Toggle(tr("confidential"), isOn: $confidential)
                    .disabled(detail.summary.confidential)
                Text(tr("confidential_explained"))
                    .font(.footnote)
                    .foregroundStyle(.secondary)
            } footer: {
                Text(tr("flags_never_turn_off"))
            }
        default:
            EmptyView()
        }
    }

    /// Where a report may be sent: any institution but the one holding it and the national desk.
    private var dispatchTargets: [InstitutionView] {
        institutions.filter { $0.id != detail.summary.institutionId && $0.level != "national" }
    }

    /// The units of the institution holding the report.
    private var units: [UnitView] {
        institutions.first { $0.id == detail.summary.institutionId }?.units ?? []
    }

    private var action: WorkflowAction? {
        switch kind {
        case .dispatch: return institutionId.isEmpty ? nil : .dispatch(institutionId: institutionId)
        case .assign: return unitId.isEmpty ? nil : .assign(unitId: unitId, fieldInspection: fieldInspection)
        case .notOurAuthority: return .notOurAuthority
        case .`defer`: return .`defer`
        case .resume: return .resume
        case .archive: return .archive
        case .mergeInto: return mergeTarget.trimmed.isEmpty ? nil : .mergeInto(target: mergeTarget.trimmed)
        case .setFlags: return .setFlags(anonymous: anonymous, confidential: confidential)
        case .startWork: return .startWork
        case .followUp: return .followUp
        case .close: return .close
        case .reopen: return .reopen
        case .edit, .addPhoto, .reply, .rate: return nil
        }
    }

    private var canSubmit: Bool {
        guard action != nil else { return false }
        if kind == .followUp && note.trimmed.isEmpty { return false }
        return true
    }

    private func submit() {
        guard let action else { return }
        busy = true
        error = nil
        let id = detail.summary.id
        let text = note.trimmed
        let photos = evidence.map(\.data)
        Task {
            do {
                try await repository.perform(id, action: action, note: text, evidence: photos)
                dismiss()
            } catch {
                self.error = describe(error)
            }
            busy = false
        }
    }
}
