// The shared screens and view models as an Android library. The same src/main/kotlin is compiled
// for the JVM desktop by ui/pom.xml (Maven, Compose Multiplatform): keep it free of android.*
// imports; what only a platform has goes behind id.aduan.ui.platform (Android's side is in app/).
import org.jetbrains.kotlin.gradle.dsl.JvmTarget

plugins {
    alias(libs.plugins.android.library)
    alias(libs.plugins.kotlin.android)
    alias(libs.plugins.kotlin.compose)
}

/** The repository root: the Cargo workspace, scripts/ and core/ live there. */
val repoRoot: File = rootDir.parentFile

android {
    namespace = "id.aduan.ui"
    compileSdk = 35

    defaultConfig {
        minSdk = 26
    }

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }

    buildFeatures {
        compose = true
    }

    sourceSets {
        getByName("main") {
            // The screens (shared with the desktop), plus the plain-Kotlin layer (repository,
            // sync policy) and the UniFFI bindings from ../core-kotlin: compiled from there, never
            // copied. src/desktop (file chooser, window) and src/test (desktop UI tests) are Maven's.
            java.srcDirs(
                "src/main/kotlin",
                "../core-kotlin/src/main/kotlin",
                "../core-kotlin/generated",
            )
        }
    }
}

kotlin {
    compilerOptions {
        jvmTarget.set(JvmTarget.JVM_17)
    }
}

/** The Kotlin bindings (package id.aduan.core) generated from the host build of core. */
val uniffiBindings = tasks.register<Exec>("uniffiBindings") {
    group = "aduan"
    description = "Runs scripts/bindings.sh: regenerates android/core-kotlin/generated."
    workingDir = repoRoot
    inputs.files(
        repoRoot.resolve("core/src"),
        repoRoot.resolve("core/Cargo.toml"),
        repoRoot.resolve("core/uniffi.toml"),
        repoRoot.resolve("Cargo.lock"),
    )
    outputs.dir(repoRoot.resolve("android/core-kotlin/generated"))
    commandLine("bash", "scripts/bindings.sh")
}

tasks.named("preBuild") {
    dependsOn(uniffiBindings)
}

dependencies {
    api(platform(libs.androidx.compose.bom))
    api(libs.androidx.compose.ui)
    api(libs.androidx.compose.foundation)
    api(libs.androidx.compose.material3)
    implementation(libs.androidx.compose.material.icons.core)
    api(libs.androidx.lifecycle.viewmodel.compose)
    api(libs.androidx.lifecycle.runtime.compose)
    api(libs.kotlinx.coroutines.android)
    // JNA for the bindings; the AAR carries libjnidispatch.so for every Android ABI.
    api("net.java.dev.jna:jna:${libs.versions.jna.get()}@aar")
}
