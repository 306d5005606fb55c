import AduanCore
import SwiftUI

/// A photo to show full size: its full-size hash, and the thumbnail to show while the full
/// size comes (from the phone, or from the server on demand).
struct ViewerPhoto: Hashable {
    let full: String
    let thumb: String?
}

struct PhotoViewerRequest: Identifiable {
    let id = UUID()
    let photos: [ViewerPhoto]
    let start: Int
}

/// Full-size photos, swiped through, pinch to zoom.
@MainActor
struct PhotoViewer: View {
    let request: PhotoViewerRequest
    @Environment(\.dismiss) private var dismiss
    @State private var index: Int

    init(request: PhotoViewerRequest) {
        self.request = request
        _index = State(initialValue: request.start)
    }

    var body: some View {
        NavigationStack {
            TabView(selection: $index) {
                ForEach(Array(request.photos.enumerated()), id: \.offset) { offset, photo in
                    FullSizePhoto(photo: photo)
                        .tag(offset)
                }
            }
            .tabViewStyle(.page(indexDisplayMode: request.photos.count > 1 ? .always : .never))
            .background(Color.black)
            .navigationTitle(tr("photo_position", index + 1, request.photos.count))
            .navigationBarTitleDisplayMode(.inline)
            .toolbar {
                ToolbarItem(placement: .confirmationAction) {
                    Button(tr("done")) { dismiss() }
                }
            }
        }
    }
}

@MainActor
private struct FullSizePhoto: View {
    @EnvironmentObject private var repository: AduanRepository
    let photo: ViewerPhoto

    @State private var image: UIImage?
    @State private var fullSize = false
    @State private var loading = true
    @State private var scale: CGFloat = 1

    var body: some View {
        ZStack {
            Color.black.ignoresSafeArea()
            if let image {
                Image(uiImage: image)
                    .resizable()
                    .scaledToFit()
                    .scaleEffect(scale)
                    .gesture(
                        MagnificationGesture()
                            .onChanged { scale = min(max($0, 1), 5) }
                            .onEnded { _ in withAnimation { scale = max(scale, 1) } }
                    )
                    .onTapGesture(count: 2) { withAnimation { scale = scale > 1 ? 1 : 2.5 } }
            }
            VStack {
                Spacer()
                if loading {
                    ProgressView(tr("loading_full_photo"))
                        .tint(.white)
                        .foregroundStyle(.white)
                } else if !fullSize {
                    Text(image == nil ? tr("photo_unavailable") : tr("full_photo_unavailable"))
                        .font(.footnote)
                        .foregroundStyle(.white)
                        .padding(8)
                        .background(Color.black.opacity(0.6), in: RoundedRectangle(cornerRadius: 8))
                }
            }
            .padding(.bottom, 40)
        }
        .task(id: photo) {
            if let thumb = photo.thumb {
                image = await PhotoCache.shared.image(thumb, from: repository, fetch: false)
            }
            if let full = await PhotoCache.shared.image(photo.full, from: repository) {
                image = full
                fullSize = true
            }
            loading = false
        }
    }
}
