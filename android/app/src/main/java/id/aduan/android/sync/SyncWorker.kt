package id.aduan.android.sync

import android.content.Context
import androidx.work.CoroutineWorker
import androidx.work.WorkerParameters
import id.aduan.android.aduanApp
import id.aduan.app.Trigger
import id.aduan.core.AduanException
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch

/**
 * One sync: asks SyncPolicy whether it is due and whether full-size photos may go on this
 * network, then runs the repository's sync. Network failures retry with WorkManager's
 * exponential backoff; the history feeds the policy's own backoff for later triggers.
 */
class SyncWorker(context: Context, params: WorkerParameters) : CoroutineWorker(context, params) {

    override suspend fun doWork(): Result {
        val app = applicationContext.aduanApp
        val repository = app.repository
        val trigger = inputData.getString(KEY_TRIGGER)
            ?.let { name -> Trigger.entries.firstOrNull { it.name == name } }
            ?: Trigger.Periodic

        val status = try {
            repository.refreshStatus()
        } catch (_: AduanException) {
            return Result.retry()
        }
        if (!status.signedIn) return Result.success()

        val now = System.currentTimeMillis()
        val decision = app.syncScheduler.decide(trigger, status, now)
        val runAt = decision.runAt ?: return Result.retry()
        // Periodic work only syncs when the policy says it is due (something waits, or the last
        // success is old); the other triggers were already timed by the policy when enqueued.
        if (trigger == Trigger.Periodic && runAt > now + PERIODIC_SLACK_MS) return Result.success()

        app.syncHistory.attempted(now)
        return try {
            coroutineScope {
                // Core's sync blocks its thread; when WorkManager stops this work, ask core to
                // stop after its current request instead of waiting for the whole round.
                val stopper = launch {
                    try {
                        awaitCancellation()
                    } finally {
                        if (isStopped) repository.cancelSync()
                    }
                }
                try {
                    repository.sync(uploadFullPhotos = decision.uploadFullPhotos)
                } finally {
                    stopper.cancel()
                }
            }
            app.syncHistory.succeeded()
            // What the sync brought, as local notifications (pending until allowed).
            app.notifications.showPending()
            Result.success()
        } catch (e: AduanException) {
            // The user pressed cancel: not a failure, and nothing to retry until asked again.
            if (e is AduanException.Sync && e.code == CODE_CANCELLED) return Result.success()
            app.syncHistory.failed()
            when (e) {
                // The network, the server, or the store being busy: try again later.
                is AduanException.Sync, is AduanException.Storage -> Result.retry()
                // Anything else will not get better by retrying (refused session, bad input):
                // the status keeps the error for the indicator, and the next trigger tries again.
                else -> Result.failure()
            }
        }
    }

    companion object {
        const val KEY_TRIGGER = "trigger"

        /** Core's code for a sync stopped by AduanStore.cancelSync. */
        private const val CODE_CANCELLED = "cancelled"

        /** Periodic runs drift inside their window; a sync due within this counts as due. */
        private const val PERIODIC_SLACK_MS = 5 * 60 * 1000L
    }
}
