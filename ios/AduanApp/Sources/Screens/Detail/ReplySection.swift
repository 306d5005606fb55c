import AduanCore
import SwiftUI

/// A reply in the report's conversation (reporter or handler), with optional photos. It is
/// saved on the phone at once and goes out with the next sync.
@MainActor
struct ReplySection: View {
    @EnvironmentObject private var repository: AduanRepository
    let complaintId: String

    @State private var text = ""
    @State private var photos: [PickedPhoto] = []
    @State private var busy = false
    @State private var error: String?

    var body: some View {
        Section(tr("reply")) {
            TextField(tr("reply_hint"), text: $text, axis: .vertical)
                .lineLimit(2...8)
            PhotoAttachments(photos: $photos, limit: 3)
            HStack {
                Spacer()
                if busy {
                    ProgressView()
                } else {
                    Button(tr("send")) { send() }
                        .buttonStyle(.borderedProminent)
                        .disabled(text.trimmed.isEmpty)
                }
            }
            if let error {
                Text(error)
                    .font(.footnote)
                    .foregroundStyle(.red)
            }
        }
    }

    private func send() {
        busy = true
        error = nil
        let message = text.trimmed
        let attached = photos.map(\.data)
        Task {
            do {
                try await repository.reply(complaintId, text: message, photos: attached)
                text = ""
                photos = []
            } catch {
                self.error = describe(error)
            }
            busy = false
        }
    }
}
