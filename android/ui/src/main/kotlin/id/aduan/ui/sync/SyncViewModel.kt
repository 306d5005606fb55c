package id.aduan.ui.sync

import androidx.lifecycle.ViewModel
import androidx.lifecycle.viewModelScope
import id.aduan.ui.platform.AppEnvironment
import id.aduan.ui.platform.SyncWorkState
import id.aduan.app.Network
import id.aduan.core.AduanException
import id.aduan.core.SyncProgress
import id.aduan.core.SyncStatus
import kotlinx.coroutines.flow.SharingStarted
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.combine
import kotlinx.coroutines.flow.stateIn
import kotlinx.coroutines.launch

data class SyncUiState(
    val status: SyncStatus? = null,
    val progress: SyncProgress? = null,
    val work: SyncWorkState = SyncWorkState(running = false, waiting = false),
    val network: Network = Network(connected = true, metered = false),
    val fullPhotosOnMobileData: Boolean = false,
) {
    val syncing: Boolean get() = progress != null || work.running
    val pendingDocuments: Long get() = status?.pendingDocuments?.toLong() ?: 0L
    val pendingPhotos: Long get() = status?.pendingPhotos?.toLong() ?: 0L
    val somethingWaits: Boolean get() = pendingDocuments > 0 || pendingPhotos > 0
}

/** What the sync indicator shows, from the repository, WorkManager and the network. */
class SyncViewModel(private val app: AppEnvironment) : ViewModel() {
    val state: StateFlow<SyncUiState> = combine(
        app.repository.syncStatus,
        app.repository.syncProgress,
        app.syncScheduler.workState,
        app.network.state,
        app.settings.uploadFullPhotosOnMobileData,
    ) { status, progress, work, network, fullPhotos ->
        SyncUiState(status, progress, work, network, fullPhotos)
    }.stateIn(viewModelScope, SharingStarted.WhileSubscribed(5_000), SyncUiState())

    init {
        viewModelScope.launch {
            try {
                app.repository.refreshStatus()
            } catch (_: AduanException) {
                // Shown as the status's last error once a sync records it.
            }
        }
    }

    fun syncNow() = app.syncScheduler.userAsked()

    fun cancel() = app.repository.cancelSync()
}
