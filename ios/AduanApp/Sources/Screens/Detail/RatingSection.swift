import AduanCore
import SwiftUI

/// The reporter's rating of the outcome: shown once given; offered (with reopening) after the
/// follow-up.
@MainActor
struct RatingSection: View {
    @EnvironmentObject private var repository: AduanRepository
    let detail: ComplaintDetail

    @State private var stars = 0
    @State private var note = ""
    @State private var busy = false
    @State private var error: String?

    var body: some View {
        if let rating = detail.rating {
            Section(tr("rating")) {
                StarsRow(stars: Int(rating.stars))
                if !rating.note.isEmpty {
                    Text(rating.note)
                }
                Text(Formatting.dateTime(rating.at))
                    .font(.caption)
                    .foregroundStyle(.secondary)
            }
        } else if detail.availableActions.contains(.rate) {
            Section {
                HStack(spacing: 10) {
                    ForEach(1...5, id: \.self) { value in
                        Button {
                            stars = value
                        } label: {
                            Image(systemName: value <= stars ? "star.fill" : "star")
                                .font(.title2)
                                .foregroundStyle(.yellow)
                        }
                        .buttonStyle(.borderless)
                        .accessibilityLabel(tr("stars", value))
                    }
                }
                TextField(tr("rating_note_hint"), text: $note, axis: .vertical)
                    .lineLimit(2...6)
                Button(tr("send_rating")) { submit() }
                    .disabled(stars == 0 || busy)
                if let error {
                    Text(error)
                        .font(.footnote)
                        .foregroundStyle(.red)
                }
            } header: {
                Text(tr("rate"))
            } footer: {
                Text(tr("rate_explained"))
            }
        }
    }

    private func submit() {
        busy = true
        error = nil
        let id = detail.summary.id
        let value = stars
        let text = note.trimmed
        Task {
            do {
                try await repository.rate(id, stars: value, note: text)
            } catch {
                self.error = describe(error)
            }
            busy = false
        }
    }
}

@MainActor
private struct StarsRow: View {
    let stars: Int

    var body: some View {
        HStack(spacing: 4) {
            ForEach(1...5, id: \.self) { value in
                Image(systemName: value <= stars ? "star.fill" : "star")
                    .foregroundStyle(.yellow)
            }
        }
        .accessibilityElement(children: .ignore)
        .accessibilityLabel(tr("stars", stars))
    }
}
