import org.jetbrains.kotlin.gradle.dsl.JvmTarget

plugins {
    alias(libs.plugins.android.application)
    alias(libs.plugins.kotlin.android)
    alias(libs.plugins.kotlin.compose)
}

/** The repository root: the Cargo workspace, scripts/ and core/ live there. */
val repoRoot: File = rootDir.parentFile

android {
    namespace = "id.aduan.android"
    compileSdk = 35
    // cargo-ndk links core with this NDK (install it from the SDK manager: NDK 27.2.12479018).
    ndkVersion = "27.2.12479018"

    defaultConfig {
        applicationId = "id.aduan.android"
        minSdk = 26
        targetSdk = 35
        versionCode = 1
        versionName = "0.1.0"
        // Only the ABIs cargoNdk builds libaduan_core.so for; JNA's AAR carries more.
        ndk { abiFilters += listOf("arm64-v8a", "armeabi-v7a", "x86_64") }
    }

    buildTypes {
        debug {
            // Local test servers (scripts/run.sh, http://10.0.2.2:...) speak plain HTTP. Core has
            // its own rule for its own HTTP client: AduanApp lifts it in debug builds only.
            manifestPlaceholders["usesCleartextTraffic"] = true
            buildConfigField("boolean", "ALLOW_INSECURE_HTTP", "true")
        }
        release {
            manifestPlaceholders["usesCleartextTraffic"] = false
            buildConfigField("boolean", "ALLOW_INSECURE_HTTP", "false")
            // Not minified: JNA and the UniFFI bindings are reached through reflection, and no
            // keep rules have been verified for them yet.
            isMinifyEnabled = false
        }
    }

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }

    buildFeatures {
        compose = true
        buildConfig = true
    }

    lint {
        lintConfig = file("lint.xml")
    }
}

kotlin {
    compilerOptions {
        jvmTarget.set(JvmTarget.JVM_17)
    }
}

// ---- Core (Rust) ------------------------------------------------------------------------------

val coreInputs = listOf(
    repoRoot.resolve("core/src"),
    repoRoot.resolve("core/data"),
    repoRoot.resolve("core/Cargo.toml"),
    repoRoot.resolve("core/uniffi.toml"),
    repoRoot.resolve("Cargo.toml"),
    repoRoot.resolve("Cargo.lock"),
)
val jniLibsDir: File = projectDir.resolve("src/main/jniLibs")
val ndkDirectory = androidComponents.sdkComponents.ndkDirectory

/** libaduan_core.so for each ABI, where JNA's Android loader finds it (jniLibs/<abi>/). */
val cargoNdk = tasks.register<Exec>("cargoNdk") {
    group = "aduan"
    description = "Builds libaduan_core.so with cargo-ndk for arm64-v8a, armeabi-v7a and x86_64."
    workingDir = repoRoot
    inputs.files(coreInputs)
    outputs.dir(jniLibsDir)
    commandLine(
        "cargo", "ndk",
        "-t", "arm64-v8a",
        "-t", "armeabi-v7a",
        "-t", "x86_64",
        "-o", jniLibsDir.absolutePath,
        "build", "--release", "-p", "aduan-core",
    )
    // 16 KB pages (required by Google Play for Android 15+ targets).
    environment("RUSTFLAGS", "-C link-arg=-Wl,-z,max-page-size=16384")
    doFirst("use the SDK's NDK unless ANDROID_NDK_HOME says otherwise") {
        if (System.getenv("ANDROID_NDK_HOME").isNullOrEmpty()) {
            (this as Exec).environment("ANDROID_NDK_HOME", ndkDirectory.get().asFile.absolutePath)
        }
    }
}

tasks.named("preBuild") {
    dependsOn(cargoNdk)
}

dependencies {
    // The screens, view models, the Kotlin layer and the bindings (android/ui).
    implementation(project(":ui"))
    implementation(platform(libs.androidx.compose.bom))
    implementation(libs.androidx.compose.ui)
    implementation(libs.androidx.compose.foundation)
    implementation(libs.androidx.compose.material3)
    implementation(libs.androidx.compose.material.icons.core)
    implementation(libs.androidx.core.ktx)
    implementation(libs.androidx.activity.compose)
    implementation(libs.androidx.lifecycle.viewmodel.compose)
    implementation(libs.androidx.lifecycle.runtime.compose)
    implementation(libs.androidx.work.runtime.ktx)
    implementation(libs.kotlinx.coroutines.android)
}
