package id.aduan.desktop

import id.aduan.app.AduanRepository
import id.aduan.app.SyncPolicy
import id.aduan.core.AduanStore
import id.aduan.core.Language
import id.aduan.core.NotificationView
import id.aduan.ui.platform.AppEnvironment
import id.aduan.ui.platform.LocationSource
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import kotlinx.coroutines.launch
import java.io.File

/**
 * The desktop app's one store (in [dataDir]) and what the screens share. Sign-in tokens stay in
 * the store's own database: a desk computer has no keystore core could use (Android hands core
 * its Keystore-backed SecretStore instead).
 */
class DesktopEnvironment(
    dataDir: File,
    defaultServerUrl: String = "",
    override val network: DesktopConnectivity = DesktopConnectivity(),
    chooser: PhotoChooser = FileDialogPhotoChooser,
    allowInsecureHttp: Boolean = true,
    policy: (Boolean) -> SyncPolicy = { SyncPolicy(fullPhotosOnMeteredNetworks = it) },
) : AppEnvironment, AutoCloseable {
    private val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)
    val store: AduanStore = AduanStore.open(File(dataDir, "store").apply { mkdirs() }.absolutePath)
    override val settings = DesktopSettings(File(dataDir, "settings.properties"), defaultServerUrl)
    override val repository = AduanRepository(store)
    override val syncScheduler = DesktopSyncRunner(repository, settings, network, scope, policy)
    override val location: LocationSource? = null
    override val platform = DesktopPlatform(chooser)

    init {
        // Loopback and office test servers speak plain HTTP; core refuses it unless told.
        store.allowInsecureHttpForDevelopment(allowInsecureHttp)
        store.setLanguage(settings.language.value)
    }

    override fun changeLanguage(language: Language) {
        settings.setLanguage(language)
        scope.launch { repository.setLanguage(language) }
    }

    override fun latestNotifications(limit: UInt): List<NotificationView> = store.notifications(limit)

    override fun close() {
        scope.cancel()
        store.close()
    }
}
