package id.aduan.desktop

import id.aduan.app.AduanRepository
import id.aduan.app.Network
import id.aduan.app.SyncHistory
import id.aduan.app.SyncPolicy
import id.aduan.app.Trigger
import id.aduan.core.AduanException
import id.aduan.ui.platform.Connectivity
import id.aduan.ui.platform.SyncRunner
import id.aduan.ui.platform.SyncWorkState
import id.aduan.ui.platform.UserSettings
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.launch
import kotlinx.coroutines.sync.Mutex
import kotlinx.coroutines.sync.withLock

/**
 * A computer's network as the app sees it. A desk PC is taken as connected and unmetered; the
 * state can be set (a "work offline" switch, or a test), and a change to connected is a
 * ConnectivityRegained trigger for [DesktopSyncRunner].
 */
class DesktopConnectivity(connected: Boolean = true) : Connectivity {
    private val current = MutableStateFlow(Network(connected = connected, metered = false))
    private val listeners = mutableListOf<() -> Unit>()

    override val state: StateFlow<Network> = current.asStateFlow()

    override fun now(): Network = current.value

    fun setConnected(connected: Boolean) {
        val regained = connected && !current.value.connected
        current.value = Network(connected = connected, metered = false)
        if (regained) listeners.forEach { it() }
    }

    fun onRegained(listener: () -> Unit) {
        listeners += listener
    }
}

/**
 * SyncPolicy's answers run as coroutines while the app is open (the desktop has no WorkManager):
 * one sync at a time, the next one waiting for its time or for the network.
 */
class DesktopSyncRunner(
    private val repository: AduanRepository,
    private val settings: UserSettings,
    private val network: DesktopConnectivity,
    private val scope: CoroutineScope,
    private val policy: (fullPhotosOnMetered: Boolean) -> SyncPolicy = { SyncPolicy(fullPhotosOnMeteredNetworks = it) },
) : SyncRunner {
    private val state = MutableStateFlow(SyncWorkState(running = false, waiting = false))
    private val running = Mutex()
    private var waiting: Job? = null
    private var lastAttemptAt: Long? = null
    private var failures = 0

    override val workState: StateFlow<SyncWorkState> = state.asStateFlow()

    init {
        network.onRegained { schedule(Trigger.ConnectivityRegained) }
    }

    override fun localChange() = schedule(Trigger.LocalChange)

    override fun userAsked() = schedule(Trigger.UserAsked)

    private fun schedule(trigger: Trigger) {
        scope.launch {
            val status = try {
                repository.refreshStatus()
            } catch (e: AduanException) {
                System.err.println("aduan: sync status unreadable (${e.javaClass.simpleName}); scheduling anyway")
                null
            }
            if (status != null && !status.signedIn) return@launch
            val pending = status == null || status.pendingDocuments + status.pendingPhotos > 0uL
            val history = SyncHistory(lastAttemptAt, status?.lastSuccessAt, failures, pending)
            val now = System.currentTimeMillis()
            val decision = policy(settings.uploadFullPhotosOnMobileData.value).decide(trigger, network.now(), history, now)
            val immediate = trigger == Trigger.UserAsked || trigger == Trigger.ConnectivityRegained
            synchronized(this@DesktopSyncRunner) {
                // A sync already waits; only the user or a returning network brings it forward.
                if (waiting?.isActive == true && !immediate) return@launch
                waiting?.cancel()
                state.value = state.value.copy(waiting = true)
                val runAt = decision.runAt
                if (runAt == null) return@launch // no network: the ConnectivityRegained trigger comes back here
                waiting = scope.launch {
                    delay((runAt - now).coerceAtLeast(0L))
                    run(decision.uploadFullPhotos)
                }
            }
        }
    }

    private suspend fun run(uploadFullPhotos: Boolean) = running.withLock {
        state.value = SyncWorkState(running = true, waiting = false)
        lastAttemptAt = System.currentTimeMillis()
        try {
            repository.sync(uploadFullPhotos)
            failures = 0
        } catch (_: AduanException) {
            // The status keeps the error for the indicator; the next trigger tries again.
            failures += 1
        } finally {
            state.value = SyncWorkState(running = false, waiting = false)
        }
    }
}
