import AduanCore
import CoreGraphics
import Foundation
import ImageIO
import UniformTypeIdentifiers
import XCTest

/// Phones for tests: each is a real store in its own temporary folder, as in the Kotlin tests'
/// TestSupport.kt.
extension XCTestCase {
    func newStore() throws -> AduanStore {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("aduan-phone-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock {
            try? FileManager.default.removeItem(at: dir)
        }
        return try AduanStore.open(path: dir.path)
    }
}

let citizen = Identity(accountId: "warga-siti", displayName: "Siti", role: .citizen, institutionId: nil, unitId: nil)

func draft(_ title: String, category: String = "pu.drainase", description: String = "Air meluap ke jalan setiap hujan.") -> ComplaintDraft {
    ComplaintDraft(
        kind: .complaint,
        categoryId: category,
        title: title,
        description: description,
        location: Location(
            latitude: -5.1856,
            longitude: 119.4237,
            accuracyM: 12.0,
            address: "Jl. Sultan Alauddin",
            province: "Sulawesi Selatan",
            city: "Kota Makassar",
            kecamatan: "Tamalate",
            kelurahan: "Mangasa"
        ),
        anonymous: false,
        confidential: false,
        photos: []
    )
}

/// Milliseconds at a local time in WIB (+7), the store's default offset.
func wib(_ year: Int, _ month: Int, _ day: Int, _ hour: Int) -> Int64 {
    let zone = TimeZone(secondsFromGMT: 7 * 3600)!
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = zone
    let date = calendar.date(from: DateComponents(timeZone: zone, year: year, month: month, day: day, hour: hour))!
    return Millis.of(date)
}

/// A JPEG as a phone camera would hand it over, drawn with CoreGraphics and encoded by ImageIO.
func jpeg(width: Int, height: Int) -> Data {
    let context = CGContext(
        data: nil,
        width: width,
        height: height,
        bitsPerComponent: 8,
        bytesPerRow: 0,
        space: CGColorSpaceCreateDeviceRGB(),
        bitmapInfo: CGImageAlphaInfo.noneSkipLast.rawValue
    )!
    let block = 10
    for y in stride(from: 0, to: height, by: block) {
        for x in stride(from: 0, to: width, by: block) {
            context.setFillColor(
                red: CGFloat((x * 7) & 0xFF) / 255,
                green: CGFloat((y * 5) & 0xFF) / 255,
                blue: CGFloat((x ^ y) & 0xFF) / 255,
                alpha: 1
            )
            context.fill(CGRect(x: x, y: y, width: block, height: block))
        }
    }
    let image = context.makeImage()!
    let out = NSMutableData()
    let destination = CGImageDestinationCreateWithData(out as CFMutableData, UTType.jpeg.identifier as CFString, 1, nil)!
    CGImageDestinationAddImage(destination, image, [kCGImageDestinationLossyCompressionQuality: 0.9] as CFDictionary)
    precondition(CGImageDestinationFinalize(destination), "JPEG encoding failed")
    return out as Data
}

struct StreamEnded: Error {}

/// The first value a repository stream yields (what Kotlin's `flow.first()` does).
func first<T>(_ stream: AsyncStream<Result<T, AduanError>>) async throws -> T {
    for await result in stream {
        return try result.get()
    }
    throw StreamEnded()
}

struct NoErrorThrown: Error {}

/// The ``AduanError`` that `work` throws; fails the test if it throws nothing or another error.
@MainActor
func aduanError<T>(
    _ work: () async throws -> T,
    file: StaticString = #filePath,
    line: UInt = #line
) async throws -> AduanError {
    do {
        _ = try await work()
    } catch let error as AduanError {
        return error
    } catch {
        XCTFail("expected an AduanError, got \(error)", file: file, line: line)
        throw error
    }
    XCTFail("expected an AduanError", file: file, line: line)
    throw NoErrorThrown()
}

#if os(macOS)
/// A real aduan-server process on loopback with its own data folder. The binary comes from
/// ADUAN_SERVER_BINARY (e.g. target/debug/aduan-server); without it the test is skipped.
final class TestServer: @unchecked Sendable {
    let url: String
    private let process: Process
    private let data: URL

    init() throws {
        guard let binary = ProcessInfo.processInfo.environment["ADUAN_SERVER_BINARY"], !binary.isEmpty else {
            throw XCTSkip("ADUAN_SERVER_BINARY is not set: run `cargo build -p aduan-server` and point it at target/debug/aduan-server")
        }
        let data = FileManager.default.temporaryDirectory
            .appendingPathComponent("aduan-server-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["--data", data.path, "serve", "--demo", "--listen", "127.0.0.1:0"]
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        // "aduan-server listening on http://127.0.0.1:PORT": the URL ends the first line.
        let line = (try? Self.firstLine(of: stdout.fileHandleForReading)) ?? ""
        guard let last = line.split(separator: " ").last, last.hasPrefix("http") else {
            if process.isRunning {
                process.terminate()
                process.waitUntilExit()
            }
            try? FileManager.default.removeItem(at: data)
            throw ServerDidNotStart(output: line)
        }
        self.url = String(last)
        self.process = process
        self.data = data
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: data)
    }

    struct ServerDidNotStart: Error {
        let output: String
    }

    private static func firstLine(of handle: FileHandle) throws -> String {
        var buffer = Data()
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty {
                throw ServerDidNotStart(output: String(decoding: buffer, as: UTF8.self))
            }
            buffer.append(chunk)
            if let newline = buffer.firstIndex(of: 0x0A) {
                return String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
            }
        }
    }
}
#endif
