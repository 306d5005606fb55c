package id.aduan.ui

import id.aduan.core.ComplaintFilter
import id.aduan.core.Language
import id.aduan.core.NotificationKind
import id.aduan.core.SortOrder
import id.aduan.core.WorkflowAction
import id.aduan.ui.strings.S
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.EnumSource

/**
 * A citizen hears of their report's news after a sync: the national administrator dispatches it,
 * the citizen's next sync puts a count on the notifications tab, the screen tells the new status
 * in the app's language, and tapping the notification opens the report. The city's administrator,
 * whose bar has the queue tab as well, hears of the same report as new work.
 */
class NotificationsJourneyTest {
    @ParameterizedTest
    @EnumSource(Language::class)
    fun `after a sync the citizen sees the status change counted on the tab, reads it, and opens the report from it`(language: Language) {
        // A server of its own: a fresh phone receives every notification its account has.
        TestServer().use { server ->
            val title = "Lampu jalan mati di Jl. Andi Tonro (${language.name})"
            lateinit var id: String
            Device(server, language).use { phone ->
                runApp(phone) {
                    signIn("warga")
                    waitFor(lead(S.sync_last), substring = true)
                    tap(t(S.tab_notifications))
                    waitFor(t(S.notifications_empty))
                    screenshot("18-notifications-empty")

                    // Filed on this phone (the form has its own journey) and sent.
                    tap(t(S.tab_my_reports))
                    id = runBlocking { phone.env.repository.file(drainageReport(title)).summary.id }
                    waitFor(title)
                    tap(t(S.sync_now))
                    waitFor(t(S.sync_all_sent))

                    // The national administrator sends it to the city: its status changes.
                    val admin = Phone(server, "admin-nasional")
                    admin.sync()
                    runBlocking { admin.repo.perform(id, WorkflowAction.Dispatch("kota-makassar"), "Wewenang Pemkot") }
                    admin.sync()

                    tap(t(S.sync_now))
                    waitForDescription(t(S.notifications_unread, 1))
                    screenshot("19-notifications-badge")

                    val report = phone.env.store.list(ComplaintFilter(mineOnly = true, sort = SortOrder.NEWEST, limit = 10u))
                        .single { it.id == id }
                    val news = phone.env.store.pendingNotifications().single()
                    assertEquals(NotificationKind.STATUS_CHANGED, news.kind)
                    assertTrue(news.body.contains(report.trackingId) && news.body.contains(report.statusLabel), news.body)

                    tap(t(S.tab_notifications))
                    waitFor(news.title)
                    waitFor(news.body)
                    waitFor(t(S.notifications_new))
                    waitGoneDescription(t(S.notifications_unread, 1))
                    screenshot("20-notifications")
                    // Shown once on this screen, so Android's poster will not post it again.
                    assertTrue(phone.env.store.pendingNotifications().isEmpty(), "marked shown")
                    assertTrue(phone.env.store.notifications(10u).single().shown)

                    tap(news.body)
                    waitFor(report.trackingId, substring = true)
                    waitFor(title)
                    tapIcon(t(S.back))
                    waitFor(t(S.notifications_title))
                    waitFor(news.body)
                }

                // The city's administrator, with the queue tab too, hears the report was sent to them.
                Device(server, language).use { desk ->
                    runApp(desk) {
                        signIn("admin-makassar")
                        waitFor(t(S.queue_title))
                        waitFor(title)
                        waitFor(t(S.sync_all_sent))
                        val pending = desk.env.store.pendingNotifications()
                        val dispatched = pending.first { it.complaintId == id }
                        waitForDescription(t(S.notifications_unread, pending.size))
                        tap(t(S.tab_notifications))
                        waitFor(dispatched.body)
                        screenshot("21-notifications-administrator")
                        tap(dispatched.body)
                        waitFor(title)
                    }
                }
            }
        }
    }
}
