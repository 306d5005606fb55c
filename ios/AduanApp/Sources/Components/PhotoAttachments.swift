import PhotosUI
import SwiftUI

/// Photos for a report, a workflow step's evidence or a reply: taken with the camera or chosen
/// from the library, shown as thumbnails that can be removed before sending.
@MainActor
struct PhotoAttachments: View {
    @Binding var photos: [PickedPhoto]
    var limit = 5

    @State private var pickerItems: [PhotosPickerItem] = []
    @State private var showCamera = false
    @State private var loading = false
    @State private var error: String?

    var body: some View {
        VStack(alignment: .leading, spacing: 10) {
            if !photos.isEmpty {
                ScrollView(.horizontal, showsIndicators: false) {
                    HStack(spacing: 10) {
                        ForEach(photos) { photo in
                            thumbnail(photo)
                        }
                    }
                    .padding(.vertical, 4)
                }
            }
            if photos.count < limit {
                HStack(spacing: 16) {
                    if CameraPicker.isAvailable {
                        Button {
                            showCamera = true
                        } label: {
                            Label(tr("take_photo"), systemImage: "camera")
                        }
                        .buttonStyle(.borderless)
                    }
                    PhotosPicker(selection: $pickerItems, maxSelectionCount: limit - photos.count, matching: .images) {
                        Label(tr("choose_from_library"), systemImage: "photo.on.rectangle")
                    }
                    .buttonStyle(.borderless)
                    if loading {
                        ProgressView()
                    }
                }
            } else {
                Text(tr("photo_limit_reached", limit))
                    .font(.footnote)
                    .foregroundStyle(.secondary)
            }
            if let error {
                Text(error)
                    .font(.footnote)
                    .foregroundStyle(.red)
            }
        }
        .fullScreenCover(isPresented: $showCamera) {
            CameraPicker(isPresented: $showCamera) { image in
                add(image)
            }
            .ignoresSafeArea()
        }
        .task(id: pickerItems) {
            await load(pickerItems)
        }
    }

    private func thumbnail(_ photo: PickedPhoto) -> some View {
        Image(uiImage: photo.preview)
            .resizable()
            .scaledToFill()
            .frame(width: 84, height: 84)
            .clipShape(RoundedRectangle(cornerRadius: 8))
            .overlay(alignment: .topTrailing) {
                Button {
                    photos.removeAll { $0.id == photo.id }
                } label: {
                    Image(systemName: "xmark.circle.fill")
                        .symbolRenderingMode(.palette)
                        .foregroundStyle(Color.white, Color.black.opacity(0.6))
                        .font(.title3)
                }
                .buttonStyle(.borderless)
                .padding(2)
                .accessibilityLabel(tr("remove_photo"))
            }
    }

    private func add(_ image: UIImage) {
        loading = true
        Task {
            let prepared = await Task.detached(priority: .userInitiated) { PhotoEncoding.prepare(image) }.value
            if let prepared {
                photos.append(prepared)
                error = nil
            } else {
                error = tr("photo_unreadable")
            }
            loading = false
        }
    }

    private func load(_ items: [PhotosPickerItem]) async {
        guard !items.isEmpty else { return }
        loading = true
        var failed = false
        for item in items where photos.count < limit {
            guard let data = try? await item.loadTransferable(type: Data.self) else {
                failed = true
                continue
            }
            let prepared = await Task.detached(priority: .userInitiated) { PhotoEncoding.prepare(data) }.value
            if let prepared {
                photos.append(prepared)
            } else {
                failed = true
            }
        }
        error = failed ? tr("photo_unreadable") : nil
        pickerItems = []
        loading = false
    }
}
