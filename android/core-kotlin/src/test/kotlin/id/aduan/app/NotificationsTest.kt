package id.aduan.app

import id.aduan.core.Language
import id.aduan.core.NotificationChannel
import id.aduan.core.NotificationChoice
import id.aduan.core.NotificationKind
import id.aduan.core.WorkflowAction
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/** The notifications a phone receives with its syncs, through the Kotlin bindings and a real server. */
class NotificationsTest {
    @Test
    fun `a reporter's phone receives each status change once, in its language, until shown`() = runBlocking {
        TestServer().use { server ->
            val siti = AduanRepository(newStore())
            val admin = AduanRepository(newStore())
            val samarinda = AduanRepository(newStore())
            siti.login(server.url, "warga", "aduan-demo")
            admin.login(server.url, "admin-nasional", "aduan-demo")
            samarinda.login(server.url, "admin-samarinda", "aduan-demo")
            val filed = siti.file(draft("Selokan tersumbat")).summary
            siti.sync()
            admin.sync()
            val toDesk = admin.pendingNotifications().first()
            assertEquals(listOf(NotificationKind.NEW_WORK), toDesk.map { it.kind })
            assertEquals("Tugas baru: ${filed.trackingId}", toDesk[0].title)

            admin.perform(filed.id, WorkflowAction.Dispatch("kota-makassar"), "Wewenang Pemkot")
            admin.sync()
            repeat(3) { siti.sync() }
            val pending = siti.pendingNotifications().first()
            assertEquals(listOf(NotificationKind.STATUS_CHANGED), pending.map { it.kind }, "once, however often it syncs")
            assertEquals(filed.trackingId, pending[0].trackingId)
            assertEquals("Laporan ${filed.trackingId}: Didisposisikan ke instansi", pending[0].title)
            siti.setLanguage(Language.EN)
            assertEquals(
                "Report ${filed.trackingId}: Dispatched to institution",
                siti.pendingNotifications().first()[0].title,
            )
            assertEquals(1u, siti.markNotificationsShown(pending.map { it.id }))
            siti.sync()
            assertTrue(siti.pendingNotifications().first().isEmpty(), "shown once")

            samarinda.sync()
            assertTrue(samarinda.pendingNotifications().first().isEmpty(), "another institution hears nothing")
        }
    }

    @Test
    fun `a person who turns a kind off for the phone no longer receives it there`() = runBlocking {
        TestServer().use { server ->
            val siti = AduanRepository(newStore())
            val admin = AduanRepository(newStore())
            siti.login(server.url, "warga", "aduan-demo")
            admin.login(server.url, "admin-nasional", "aduan-demo")
            val prefs = siti.notificationPreferences()
            assertTrue(prefs.choices.all { it.enabled })
            val saved = siti.setNotificationPreferences(
                prefs.copy(choices = listOf(NotificationChoice(NotificationKind.STATUS_CHANGED, NotificationChannel.PHONE, false))),
            )
            assertTrue(saved.choices.any { it.kind == NotificationKind.STATUS_CHANGED && it.channel == NotificationChannel.PHONE && !it.enabled })
            assertTrue(saved.choices.any { it.kind == NotificationKind.COMPLETED && it.channel == NotificationChannel.PHONE && it.enabled })
            val id = siti.file(draft("Sampah menumpuk")).summary.id
            siti.sync()
            admin.sync()
            admin.perform(id, WorkflowAction.Dispatch("kota-makassar"), "")
            admin.sync()
            siti.sync()
            assertTrue(siti.pendingNotifications().first().isEmpty(), "status changes turned off for the phone")
            assertEquals(NotificationKind.values().size, siti.notificationKinds().size)
        }
    }
}
