package id.aduan.android

import android.app.Application
import android.content.Context
import id.aduan.android.notify.LocalNotifications
import id.aduan.android.location.LocationTracker
import id.aduan.android.platform.AndroidPlatform
import id.aduan.android.security.KeystoreSecretStore
import id.aduan.android.sync.NetworkMonitor
import id.aduan.android.sync.SyncHistoryStore
import id.aduan.android.sync.SyncScheduler
import id.aduan.app.AduanRepository
import id.aduan.core.AduanException
import id.aduan.core.AduanStore
import id.aduan.core.Language
import id.aduan.core.NotificationView
import id.aduan.ui.platform.AppEnvironment
import id.aduan.ui.platform.LocationSource
import id.aduan.ui.platform.PlatformUi
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.launch
import java.io.File

/**
 * Opens the one store of this phone (in filesDir) and builds what every screen and the sync
 * worker share: the repository, the settings, the network monitor and the sync scheduler.
 */
class AduanApp : Application(), AppEnvironment {
    private lateinit var store: AduanStore
    override lateinit var repository: AduanRepository
        private set
    override lateinit var settings: AppSettings
        private set
    override lateinit var network: NetworkMonitor
        private set
    lateinit var syncHistory: SyncHistoryStore
        private set
    override lateinit var syncScheduler: SyncScheduler
        private set
    lateinit var notifications: LocalNotifications
        private set
    override lateinit var location: LocationSource
        private set
    override val platform: PlatformUi = AndroidPlatform

    private val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)

    override fun onCreate() {
        super.onCreate()
        settings = AppSettings(this)
        val dir = File(filesDir, STORE_DIR).apply { mkdirs() }
        // Sign-in tokens live in the Android Keystore's care, not in the store's database.
        store = AduanStore.openWithSecretStore(dir.absolutePath, KeystoreSecretStore(this))
        store.allowInsecureHttpForDevelopment(BuildConfig.ALLOW_INSECURE_HTTP)
        store.setLanguage(settings.language.value)
        repository = AduanRepository(store)
        network = NetworkMonitor(this)
        syncHistory = SyncHistoryStore(this)
        syncScheduler = SyncScheduler(this, repository, settings, network, syncHistory)
        notifications = LocalNotifications(this, repository)
        location = LocationTracker(this)

        network.start(onConnectivityRegained = syncScheduler::connectivityRegained)
        syncScheduler.schedulePeriodic()
        scope.launch {
            try {
                repository.refreshStatus()
            } catch (_: AduanException) {
                // The sync indicator asks again; a broken store shows its error there.
            }
        }
    }

    /** Saves the choice and has core label everything in it; the screens follow at once. */
    override fun changeLanguage(language: Language) {
        settings.setLanguage(language)
        scope.launch {
            repository.setLanguage(language)
            notifications.createChannels()
        }
    }

    override fun latestNotifications(limit: UInt): List<NotificationView> = store.notifications(limit)

    private companion object {
        const val STORE_DIR = "aduan-store"
    }
}

/** The application object from any context (activities, composables, workers). */
val Context.aduanApp: AduanApp
    get() = applicationContext as AduanApp
