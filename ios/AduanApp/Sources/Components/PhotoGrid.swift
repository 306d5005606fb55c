import AduanCore
import SwiftUI

/// A report's photos as thumbnails; a tap opens them full size.
@MainActor
struct PhotoGrid: View {
    @EnvironmentObject private var repository: AduanRepository
    let photos: [PhotoView]
    @State private var viewing: PhotoViewerRequest?

    private let columns = [GridItem(.adaptive(minimum: 96), spacing: 8)]

    var body: some View {
        LazyVGrid(columns: columns, alignment: .leading, spacing: 8) {
            ForEach(Array(photos.enumerated()), id: \.element.sha256) { offset, photo in
                Button {
                    viewing = PhotoViewerRequest(photos: photos.map { ViewerPhoto(full: $0.sha256, thumb: $0.thumbSha256) }, start: offset)
                } label: {
                    PhotoThumbnail(sha256: photo.thumbSha256)
                }
                .buttonStyle(.plain)
                .accessibilityLabel(tr("open_photo", offset + 1))
            }
        }
        .padding(.vertical, 4)
        .sheet(item: $viewing) { request in
            PhotoViewer(request: request)
                .environmentObject(repository)
        }
    }
}
