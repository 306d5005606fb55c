import AduanCore
import SwiftUI

/// A photo by hash, loaded from the phone or (if not here yet) the server, with a placeholder
/// while it loads and a marker when it cannot be had now.
@MainActor
struct PhotoThumbnail: View {
    @EnvironmentObject private var repository: AduanRepository

    let sha256: String
    var size: CGFloat = 96

    @State private var image: UIImage?
    @State private var failed = false

    var body: some View {
        ZStack {
            RoundedRectangle(cornerRadius: 8)
                .fill(Color(.secondarySystemBackground))
            if let image {
                Image(uiImage: image)
                    .resizable()
                    .scaledToFill()
            } else if failed {
                Image(systemName: "icloud.slash")
                    .foregroundStyle(.secondary)
                    .accessibilityLabel(tr("photo_not_here_yet"))
            } else {
                ProgressView()
            }
        }
        .frame(width: size, height: size)
        .clipShape(RoundedRectangle(cornerRadius: 8))
        .task(id: sha256) {
            image = await PhotoCache.shared.image(sha256, from: repository)
            failed = image == nil
        }
    }
}
