package id.aduan.android.sync

import android.content.Context
import androidx.work.BackoffPolicy
import androidx.work.Constraints
import androidx.work.ExistingPeriodicWorkPolicy
import androidx.work.ExistingWorkPolicy
import androidx.work.NetworkType
import androidx.work.OneTimeWorkRequestBuilder
import androidx.work.PeriodicWorkRequestBuilder
import androidx.work.WorkInfo
import androidx.work.WorkManager
import androidx.work.workDataOf
import id.aduan.android.AppSettings
import id.aduan.ui.platform.SyncRunner
import id.aduan.ui.platform.SyncWorkState
import id.aduan.app.AduanRepository
import id.aduan.app.Decision
import id.aduan.app.SyncPolicy
import id.aduan.app.Trigger
import id.aduan.core.AduanException
import id.aduan.core.SyncStatus
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.combine
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.launch
import kotlinx.coroutines.sync.Mutex
import kotlinx.coroutines.sync.withLock
import java.util.concurrent.TimeUnit

/**
 * Turns SyncPolicy's answers into WorkManager work. All work needs a connected network
 * (NetworkType.CONNECTED), so a sync asked for offline runs by itself when the network returns,
 * even if the app was closed meanwhile; failures retry with exponential backoff.
 * - one unique one-time work ("aduan-sync") for local changes, the app coming to the
 *   foreground, connectivity coming back and the user's "sync now";
 * - one unique periodic work ("aduan-sync-periodic") every 15 minutes.
 */
class SyncScheduler(
    context: Context,
    private val repository: AduanRepository,
    private val settings: AppSettings,
    private val network: NetworkMonitor,
    private val history: SyncHistoryStore,
) : SyncRunner {
    private val workManager = WorkManager.getInstance(context.applicationContext)
    private val scope = CoroutineScope(SupervisorJob() + Dispatchers.IO)
    private val enqueueing = Mutex()

    private val constraints = Constraints.Builder()
        .setRequiredNetworkType(NetworkType.CONNECTED)
        .build()

    /** Running or waiting sync work, for the sync indicator. */
    override val workState: Flow<SyncWorkState> = combine(
        workManager.getWorkInfosForUniqueWorkFlow(ONE_TIME),
        workManager.getWorkInfosForUniqueWorkFlow(PERIODIC),
    ) { oneTime, periodic ->
        SyncWorkState(
            running = (oneTime + periodic).any { it.state == WorkInfo.State.RUNNING },
            waiting = oneTime.any { it.state == WorkInfo.State.ENQUEUED || it.state == WorkInfo.State.BLOCKED },
        )
    }

    /** The policy with the user's choice about full-size photos on mobile data. */
    fun decide(trigger: Trigger, status: SyncStatus, now: Long): Decision =
        SyncPolicy(fullPhotosOnMeteredNetworks = settings.uploadFullPhotosOnMobileData.value)
            .decide(trigger, network.now(), history.history(status), now)

    fun connectivityRegained() = schedule(Trigger.ConnectivityRegained)

    fun appForegrounded() = schedule(Trigger.AppForegrounded)

    /** After every write (a report filed, a step, a reply, a rating, a photo). */
    override fun localChange() = schedule(Trigger.LocalChange)

    override fun userAsked() = schedule(Trigger.UserAsked)

    fun schedulePeriodic() {
        val request = PeriodicWorkRequestBuilder<SyncWorker>(PERIOD_MINUTES, TimeUnit.MINUTES)
            .setConstraints(constraints)
            .setBackoffCriteria(BackoffPolicy.EXPONENTIAL, BACKOFF_SECONDS, TimeUnit.SECONDS)
            .setInputData(workDataOf(SyncWorker.KEY_TRIGGER to Trigger.Periodic.name))
            .build()
        workManager.enqueueUniquePeriodicWork(PERIODIC, ExistingPeriodicWorkPolicy.KEEP, request)
    }

    private fun schedule(trigger: Trigger) {
        scope.launch { enqueueing.withLock { enqueue(trigger) } }
    }

    private suspend fun enqueue(trigger: Trigger) {
        val status = try {
            repository.refreshStatus()
        } catch (_: AduanException) {
            return
        }
        if (!status.signedIn) return
        val now = System.currentTimeMillis()
        // No runAt means no network: enqueue anyway, the CONNECTED constraint holds it.
        val delay = decide(trigger, status, now).runAt?.let { (it - now).coerceAtLeast(0L) } ?: 0L
        val request = OneTimeWorkRequestBuilder<SyncWorker>()
            .setConstraints(constraints)
            .setInitialDelay(delay, TimeUnit.MILLISECONDS)
            .setBackoffCriteria(BackoffPolicy.EXPONENTIAL, BACKOFF_SECONDS, TimeUnit.SECONDS)
            .setInputData(workDataOf(SyncWorker.KEY_TRIGGER to trigger.name))
            .build()

        val existing = workManager.getWorkInfosForUniqueWorkFlow(ONE_TIME).first()
        val running = existing.any { it.state == WorkInfo.State.RUNNING }
        val waiting = existing.any { it.state == WorkInfo.State.ENQUEUED || it.state == WorkInfo.State.BLOCKED }
        val immediate = trigger == Trigger.UserAsked || trigger == Trigger.ConnectivityRegained
        when {
            // A sync already waits behind the running one; it will carry this change too.
            running && waiting -> Unit
            // Changes made during a sync go in the next one, right after it.
            running -> workManager.enqueueUniqueWork(ONE_TIME, ExistingWorkPolicy.APPEND_OR_REPLACE, request)
            // A sync is already scheduled (perhaps backing off); only the user or a returning
            // network may bring it forward.
            waiting && !immediate -> Unit
            else -> workManager.enqueueUniqueWork(ONE_TIME, ExistingWorkPolicy.REPLACE, request)
        }
    }

    companion object {
        const val ONE_TIME = "aduan-sync"
        const val PERIODIC = "aduan-sync-periodic"
        private const val PERIOD_MINUTES = 15L
        private const val BACKOFF_SECONDS = 30L
    }
}
