package id.aduan.app

import kotlin.math.min
import kotlin.time.Duration
import kotlin.time.Duration.Companion.hours
import kotlin.time.Duration.Companion.minutes
import kotlin.time.Duration.Companion.seconds

/** Why the app thinks about syncing now. */
enum class Trigger { ConnectivityRegained, AppForegrounded, Periodic, LocalChange, UserAsked }

data class Network(val connected: Boolean, val metered: Boolean)

/** What the scheduler knows; times are milliseconds since the epoch. */
data class SyncHistory(
    val lastAttemptAt: Long? = null,
    val lastSuccessAt: Long? = null,
    val consecutiveFailures: Int = 0,
    val pendingChanges: Boolean = false,
)

/** Sync at [runAt] (or not at all when null), uploading full-size photos or not. */
data class Decision(val runAt: Long?, val uploadFullPhotos: Boolean)

/**
 * When to sync. Pure, so the Android WorkManager glue and the iOS background refresh ask the
 * same question and get the same answer, and tests need no device.
 * - no network: wait for connectivity;
 * - after a failure: exponential backoff (30 s doubling, at most an hour), except when the
 *   user asks or connectivity just came back;
 * - a local change waits a few seconds so a burst of edits goes in one round trip;
 * - periodic syncs no more often than [minInterval];
 * - full-size photos only on unmetered networks, unless the user allowed mobile data.
 */
class SyncPolicy(
    private val minInterval: Duration = 15.minutes,
    private val localChangeDelay: Duration = 5.seconds,
    private val firstBackoff: Duration = 30.seconds,
    private val maxBackoff: Duration = 1.hours,
    private val fullPhotosOnMeteredNetworks: Boolean = false,
) {
    fun backoff(failures: Int): Duration {
        if (failures <= 0) return Duration.ZERO
        val factor = 1L shl min(failures - 1, 20)
        return minOf(firstBackoff * factor.toDouble(), maxBackoff)
    }

    fun decide(trigger: Trigger, network: Network, history: SyncHistory, now: Long): Decision {
        val fullPhotos = !network.metered || fullPhotosOnMeteredNetworks
        if (!network.connected) return Decision(null, fullPhotos)
        val retryAt = history.lastAttemptAt?.let { it + backoff(history.consecutiveFailures).inWholeMilliseconds }
        val runAt = when (trigger) {
            Trigger.UserAsked, Trigger.ConnectivityRegained -> now
            Trigger.AppForegrounded -> maxOf(now, retryAt ?: now)
            Trigger.LocalChange -> maxOf(now + localChangeDelay.inWholeMilliseconds, retryAt ?: now)
            Trigger.Periodic -> {
                val due = (history.lastSuccessAt ?: 0L) + minInterval.inWholeMilliseconds
                if (!history.pendingChanges && now < due) due else maxOf(now, retryAt ?: now)
            }
        }
        return Decision(runAt, fullPhotos)
    }
}
