import AduanCore
import SwiftUI

/// The reporter adds photos to their own open report.
@MainActor
struct AddPhotosRow: View {
    @EnvironmentObject private var repository: AduanRepository
    let complaintId: String

    @State private var photos: [PickedPhoto] = []
    @State private var busy = false
    @State private var error: String?

    var body: some View {
        VStack(alignment: .leading, spacing: 8) {
            PhotoAttachments(photos: $photos, limit: 5)
            if !photos.isEmpty {
                if busy {
                    ProgressView()
                } else {
                    Button(tr("attach_photos", photos.count)) { attach() }
                        .buttonStyle(.borderedProminent)
                }
            }
            if let error {
                Text(error)
                    .font(.footnote)
                    .foregroundStyle(.red)
            }
        }
    }

    private func attach() {
        busy = true
        error = nil
        let pending = photos
        Task {
            for photo in pending {
                do {
                    try await repository.addPhoto(to: complaintId, bytes: photo.data)
                    photos.removeAll { $0.id == photo.id }
                } catch {
                    self.error = describe(error)
                    break
                }
            }
            busy = false
        }
    }
}
