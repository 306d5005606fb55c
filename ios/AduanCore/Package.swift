// swift-tools-version:5.10
// The Swift side of aduan-core: the UniFFI bindings (Sources/AduanCore/Generated, written by
// scripts/bindings.sh), the facade the app uses (Sources/AduanCore/Facade) and its tests.
// AduanCoreFFI.xcframework (the static core library for iOS, the simulator and macOS) is built
// by ios/build-xcframework.sh; macOS is in it so `swift test` runs on a Mac.
import PackageDescription

let package = Package(
    name: "AduanCore",
    platforms: [.iOS(.v16), .macOS(.v13)],
    products: [
        .library(name: "AduanCore", targets: ["AduanCore"]),
    ],
    targets: [
        .binaryTarget(name: "AduanCoreFFI", path: "AduanCoreFFI.xcframework"),
        .target(
            name: "AduanCore",
            dependencies: ["AduanCoreFFI"],
            path: "Sources/AduanCore"
        ),
        .testTarget(
            name: "AduanCoreTests",
            dependencies: ["AduanCore"],
            path: "Tests/AduanCoreTests"
        ),
    ]
)
