package id.aduan.app

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import kotlin.time.Duration.Companion.hours
import kotlin.time.Duration.Companion.minutes
import kotlin.time.Duration.Companion.seconds

class SyncPolicyTest {
    private val policy = SyncPolicy()
    private val wifi = Network(connected = true, metered = false)
    private val mobile = Network(connected = true, metered = true)
    private val now = 1_750_000_000_000L

    @Test
    fun `no network means wait for connectivity`() {
        assertNull(policy.decide(Trigger.UserAsked, Network(false, false), SyncHistory(), now).runAt)
    }

    @Test
    fun `connectivity regained syncs at once even after failures`() {
        val h = SyncHistory(lastAttemptAt = now - 1000, consecutiveFailures = 5)
        assertEquals(now, policy.decide(Trigger.ConnectivityRegained, wifi, h, now).runAt)
    }

    @Test
    fun `failures back off exponentially up to an hour`() {
        assertEquals(30.seconds, policy.backoff(1))
        assertEquals(60.seconds, policy.backoff(2))
        assertEquals(1.hours, policy.backoff(30))
        val h = SyncHistory(lastAttemptAt = now, consecutiveFailures = 3)
        assertEquals(now + 120_000, policy.decide(Trigger.AppForegrounded, wifi, h, now).runAt)
    }

    @Test
    fun `a burst of local changes goes out together`() {
        assertEquals(now + 5_000, policy.decide(Trigger.LocalChange, wifi, SyncHistory(pendingChanges = true), now).runAt)
    }

    @Test
    fun `periodic sync waits its interval unless work is pending`() {
        val recent = SyncHistory(lastSuccessAt = now - 1.minutes.inWholeMilliseconds)
        assertEquals(now + 14.minutes.inWholeMilliseconds, policy.decide(Trigger.Periodic, wifi, recent, now).runAt)
        assertEquals(now, policy.decide(Trigger.Periodic, wifi, recent.copy(pendingChanges = true), now).runAt)
    }

    @Test
    fun `full size photos wait for an unmetered network unless the user allows mobile data`() {
        assertFalse(policy.decide(Trigger.UserAsked, mobile, SyncHistory(), now).uploadFullPhotos)
        assertTrue(policy.decide(Trigger.UserAsked, wifi, SyncHistory(), now).uploadFullPhotos)
        assertTrue(SyncPolicy(fullPhotosOnMeteredNetworks = true).decide(Trigger.UserAsked, mobile, SyncHistory(), now).uploadFullPhotos)
    }
}
