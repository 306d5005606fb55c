package id.aduan.android.sync

import android.content.Context
import id.aduan.app.SyncHistory
import id.aduan.core.SyncStatus

/**
 * The part of SyncPolicy's history core does not keep: when the last attempt was and how many
 * failed in a row. The last success and what waits come from core's SyncStatus.
 */
class SyncHistoryStore(context: Context) {
    private val prefs = context.getSharedPreferences(PREFS, Context.MODE_PRIVATE)

    fun history(status: SyncStatus): SyncHistory = SyncHistory(
        lastAttemptAt = prefs.getLong(KEY_LAST_ATTEMPT, 0L).takeIf { it > 0L },
        lastSuccessAt = status.lastSuccessAt,
        consecutiveFailures = prefs.getInt(KEY_FAILURES, 0),
        pendingChanges = status.pendingDocuments + status.pendingPhotos > 0uL,
    )

    fun attempted(at: Long) {
        prefs.edit().putLong(KEY_LAST_ATTEMPT, at).apply()
    }

    fun succeeded() {
        prefs.edit().putInt(KEY_FAILURES, 0).apply()
    }

    fun failed() {
        prefs.edit().putInt(KEY_FAILURES, prefs.getInt(KEY_FAILURES, 0) + 1).apply()
    }

    private companion object {
        const val PREFS = "aduan_sync_history"
        const val KEY_LAST_ATTEMPT = "last_attempt_at"
        const val KEY_FAILURES = "consecutive_failures"
    }
}
