package id.aduan.ui.platform

import androidx.compose.runtime.Composable
import androidx.compose.runtime.staticCompositionLocalOf
import androidx.compose.ui.graphics.ImageBitmap
import id.aduan.app.AduanRepository
import id.aduan.app.Network
import id.aduan.core.Language
import id.aduan.core.NotificationView
import id.aduan.ui.common.UiMessage
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.StateFlow

/**
 * Everything the shared screens need from the device they run on. Android implements it in
 * android/app (AduanApp), the desktop in android/ui/src/desktop; the screens and view models
 * never touch a platform API themselves, so they run and are tested wherever a JVM runs.
 */
interface AppEnvironment {
    val repository: AduanRepository
    val settings: UserSettings
    val network: Connectivity
    val syncScheduler: SyncRunner

    /** The device's positioning, or null where there is none (the form then takes typed coordinates). */
    val location: LocationSource?
    val platform: PlatformUi

    /** Saves the choice and has core label everything in it from now on. */
    fun changeLanguage(language: Language)

    /**
     * The latest [limit] notifications, shown or not, newest first (core's `notifications`;
     * the repository has only the pending ones). Blocks on the store: call it off the main thread.
     */
    fun latestNotifications(limit: UInt): List<NotificationView>
}

/** The few choices the user makes on this device. */
interface UserSettings {
    val language: StateFlow<Language>

    /** Upload full-size photos on metered networks too (SyncPolicy's fullPhotosOnMeteredNetworks). */
    val uploadFullPhotosOnMobileData: StateFlow<Boolean>
    var lastServerUrl: String

    fun setLanguage(language: Language)

    fun setUploadFullPhotosOnMobileData(allowed: Boolean)
}

/** Whether a network is there, and whether it costs the user money. */
interface Connectivity {
    val state: StateFlow<Network>

    /** Reads the network afresh. */
    fun now(): Network
}

/** Whether a sync runs now, and whether one waits (for its time, or for a network). */
data class SyncWorkState(val running: Boolean, val waiting: Boolean)

/** Runs SyncPolicy's answers: WorkManager on Android, coroutines on the desktop. */
interface SyncRunner {
    val workState: Flow<SyncWorkState>

    /** After every write (a report filed, a step, a reply, a rating, a photo). */
    fun localChange()

    fun userAsked()
}

/** A position, with the radius it is good to (null when the source gave none). */
data class Fix(val latitude: Double, val longitude: Double, val accuracyM: Float?, val atMillis: Long)

/** No permission, or every location provider is switched off. */
class LocationUnavailableException : Exception("no location provider available")

interface LocationSource {
    /** Positions until the collector stops; fails with [LocationUnavailableException]. */
    fun fixes(): Flow<Fix>

    fun hasPermission(): Boolean
}

/** The two ways to get a photo; [takePhoto] is null where there is no camera. */
class PhotoSources(val takePhoto: (() -> Unit)?, val pickPhotos: () -> Unit)

/** Platform pieces that live inside the composition (launchers, dialogs) or decode images. */
interface PlatformUi {
    /** Camera and gallery (or file chooser) handing back the photos' bytes. */
    @Composable
    fun rememberPhotoSources(onPhotos: (List<ByteArray>) -> Unit, onError: (UiMessage) -> Unit): PhotoSources

    /** Asks for the location permission where there is one; returns what starts the request. */
    @Composable
    fun rememberLocationRequest(onGranted: () -> Unit, onDenied: () -> Unit): () -> Unit

    /** JPEG/PNG/WebP bytes as an image no larger than [maxSide] on a side, upright; null if unreadable. */
    suspend fun decodeImage(bytes: ByteArray, maxSide: Int): ImageBitmap?
}

/** The platform's pieces for composables deep in a screen (photo decoding, launchers). */
val LocalPlatform = staticCompositionLocalOf<PlatformUi> { error("AduanRoot provides the platform") }
