import ImageIO
import UIKit
import UniformTypeIdentifiers

/// A photo chosen or taken for a report, a step's evidence or a reply, ready for core.
/// Immutable (UIImage is immutable and thread-safe), so it may cross to a background task.
struct PickedPhoto: Identifiable, @unchecked Sendable {
    let id = UUID()
    /// JPEG or PNG bytes (what core's photo pipeline accepts), metadata kept so core can
    /// offer the place it was taken and orient it; core strips all of it before storing.
    let data: Data
    let preview: UIImage
    /// Where the photo says it was taken, if it says so.
    let location: PhotoLocation?
}

struct PhotoLocation: Equatable {
    let latitude: Double
    let longitude: Double
    let accuracy: Double?
}

/// Turns what the camera and the photo library hand over into bytes core accepts. iPhones
/// store HEIC, which core does not read: those are re-encoded to JPEG by ImageIO, keeping the
/// metadata. JPEG and PNG pass through untouched.
enum PhotoEncoding {
    /// Large enough for core (which keeps 1600 px), small enough to stay far under its 25 MB.
    static let maxPixelSize = 4096

    static func prepare(_ data: Data) -> PickedPhoto? {
        guard let source = CGImageSourceCreateWithData(data as CFData, nil),
              CGImageSourceGetCount(source) > 0,
              let preview = thumbnail(of: source)
        else { return nil }
        let type = CGImageSourceGetType(source) as String?
        let passThrough = type == UTType.jpeg.identifier || type == UTType.png.identifier
        guard let bytes = passThrough ? data : reencode(source) else { return nil }
        return PickedPhoto(data: bytes, preview: UIImage(cgImage: preview), location: location(in: source))
    }

    /// A camera photo: drawn upright (the camera's orientation applied) and scaled down, then
    /// encoded as JPEG.
    static func prepare(_ image: UIImage) -> PickedPhoto? {
        let longEdge = max(image.size.width, image.size.height)
        let scale = longEdge > CGFloat(maxPixelSize) ? CGFloat(maxPixelSize) / longEdge : 1
        let size = CGSize(width: (image.size.width * scale).rounded(), height: (image.size.height * scale).rounded())
        let format = UIGraphicsImageRendererFormat()
        format.scale = 1
        format.opaque = true
        let upright = UIGraphicsImageRenderer(size: size, format: format).image { _ in
            image.draw(in: CGRect(origin: .zero, size: size))
        }
        guard let data = upright.jpegData(compressionQuality: 0.9) else { return nil }
        return prepare(data)
    }

    private static func reencode(_ source: CGImageSource) -> Data? {
        let out = NSMutableData()
        guard let destination = CGImageDestinationCreateWithData(out as CFMutableData, UTType.jpeg.identifier as CFString, 1, nil) else {
            return nil
        }
        let options: [CFString: Any] = [
            kCGImageDestinationLossyCompressionQuality: 0.9,
            kCGImageDestinationImageMaxPixelSize: maxPixelSize,
        ]
        CGImageDestinationAddImageFromSource(destination, source, 0, options as CFDictionary)
        guard CGImageDestinationFinalize(destination) else { return nil }
        return out as Data
    }

    private static func thumbnail(of source: CGImageSource) -> CGImage? {
        let options: [CFString: Any] = [
            kCGImageSourceCreateThumbnailFromImageAlways: true,
            kCGImageSourceCreateThumbnailWithTransform: true,
            kCGImageSourceThumbnailMaxPixelSize: 480,
        ]
        return CGImageSourceCreateThumbnailAtIndex(source, 0, options as CFDictionary)
    }

    private static func location(in source: CGImageSource) -> PhotoLocation? {
        guard let properties = CGImageSourceCopyPropertiesAtIndex(source, 0, nil) as? [CFString: Any],
              let gps = properties[kCGImagePropertyGPSDictionary] as? [CFString: Any],
              let latitude = gps[kCGImagePropertyGPSLatitude] as? Double,
              let longitude = gps[kCGImagePropertyGPSLongitude] as? Double
        else { return nil }
        let south = (gps[kCGImagePropertyGPSLatitudeRef] as? String) == "S"
        let west = (gps[kCGImagePropertyGPSLongitudeRef] as? String) == "W"
        return PhotoLocation(
            latitude: south ? -latitude : latitude,
            longitude: west ? -longitude : longitude,
            accuracy: gps[kCGImagePropertyGPSHPositioningError] as? Double
        )
    }
}
