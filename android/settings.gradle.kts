// The Aduan Android app. Open this folder (android/) in Android Studio.
//
// The Gradle wrapper jar is not checked in (it cannot be generated without Gradle). Run once,
// from this folder, with any local Gradle 8.9 or newer:
//     gradle wrapper
// gradle/wrapper/gradle-wrapper.properties already pins the version the wrapper will use.
//
// Building also needs, on the PATH: cargo with the Android targets
// (rustup target add aarch64-linux-android armv7-linux-androideabi x86_64-linux-android),
// cargo-ndk (cargo install cargo-ndk), and the NDK from the SDK manager (see app/build.gradle.kts).

pluginManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
}

dependencyResolutionManagement {
    repositoriesMode.set(RepositoriesMode.FAIL_ON_PROJECT_REPOS)
    repositories {
        google()
        mavenCentral()
    }
}

rootProject.name = "Aduan"
include(":app")
// The screens and view models, shared with the desktop app (built there by ui/pom.xml).
include(":ui")
