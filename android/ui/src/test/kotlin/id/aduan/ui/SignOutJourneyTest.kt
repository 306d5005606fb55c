package id.aduan.ui

import id.aduan.core.ComplaintFilter
import id.aduan.core.Language
import id.aduan.core.SortOrder
import id.aduan.ui.strings.S
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.EnumSource

/**
 * Leaving a phone. A citizen with a report not yet sent asks to sign out: the app says what would
 * be lost and offers to sync first; with no signal it says so, once connected "Sync first" sends
 * the report and signs out, back to the sign-in screen with nothing of the account left on the
 * phone. Signed in again, the report comes back from the server; with nothing pending the
 * question is a plain one. Choosing to discard instead loses the report for good.
 */
class SignOutJourneyTest {
    private fun Device.complaints() =
        env.store.list(ComplaintFilter(mineOnly = false, sort = SortOrder.NEWEST, limit = 100u))

    @ParameterizedTest
    @EnumSource(Language::class)
    fun `sign-out warns of an unsent report, syncs it first, and the report is still there after signing in again`(language: Language) {
        TestServer().use { server ->
            val title = "Pohon tumbang di Jl. Hertasning (${language.name})"
            Device(server, language).use { phone ->
                runApp(phone) {
                    signIn("warga")
                    waitFor(lead(S.sync_last), substring = true)
                    runBlocking { phone.env.repository.file(drainageReport(title)) }
                    waitFor(title)
                    waitFor(t(S.not_yet_sent))

                    tap(t(S.tab_settings))
                    waitFor(t(S.settings_signout_explained))
                    screenshot("27-settings-account")
                    tap(t(S.signout_button))
                    waitFor(t(S.signout_unsynced_title))
                    val work = phone.env.store.unsyncedWork()
                    assertEquals(1uL, work.complaints)
                    waitFor(t(S.signout_unsynced_reports, 1, 1))
                    if (work.changes > 0uL) waitFor(t(S.signout_unsynced_changes, work.changes.toLong()))
                    screenshot("28-sign-out-unsent-work")

                    // Cancel keeps everything as it was.
                    tap(t(S.cancel))
                    waitGone(t(S.signout_unsynced_title))
                    assertEquals(1, phone.complaints().size)

                    // No signal: the app says so instead of trying.
                    phone.network.setConnected(false)
                    tap(t(S.signout_button))
                    tap(t(S.signout_sync_first))
                    waitFor(t(S.signout_offline))
                    screenshot("29-sign-out-no-signal")
                    assertEquals(1, phone.complaints().size)

                    phone.network.setConnected(true)
                    tap(t(S.signout_sync_first))
                    // Sent, then signed out: the sign-in screen says what became of the phone's data.
                    waitFor(t(S.signout_done))
                    waitFor(t(S.signin_button))
                    assertFalse(shows(t(S.signout_done_discarded)))
                    screenshot("30-signed-out")
                    assertNull(phone.env.store.identity())
                    assertEquals(0, phone.complaints().size, "the account's reports left the phone")
                    assertEquals(0uL, phone.env.store.unsyncedWork().complaints)

                    // Signed in again, the report comes back from the server.
                    signIn("warga")
                    waitFor(title)
                    waitFor(t(S.sync_all_sent))
                    waitGone(t(S.not_yet_sent))

                    // Nothing pending: a plain question, and out.
                    tap(t(S.tab_settings))
                    tap(t(S.signout_button))
                    waitFor(t(S.signout_plain))
                    screenshot("31-sign-out-confirm")
                    tap(t(S.signout_button))
                    waitFor(t(S.signout_done))
                    waitFor(t(S.signin_button))
                    assertNull(phone.env.store.identity())
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Language::class)
    fun `signing out and discarding loses the unsent report for good`(language: Language) {
        TestServer().use { server ->
            val title = "Sampah menumpuk di Jl. Daeng Tata (${language.name})"
            Device(server, language).use { phone ->
                runApp(phone) {
                    signIn("warga")
                    waitFor(lead(S.sync_last), substring = true)
                    phone.network.setConnected(false)
                    runBlocking { phone.env.repository.file(drainageReport(title)) }
                    waitFor(title)

                    tap(t(S.tab_settings))
                    tap(t(S.signout_button))
                    waitFor(t(S.signout_unsynced_title))
                    tap(t(S.signout_discard))
                    waitFor(t(S.signout_done))
                    waitFor(t(S.signout_done_discarded))
                    screenshot("32-signed-out-discarded")
                    assertEquals(0, phone.complaints().size)

                    phone.network.setConnected(true)
                    signIn("warga")
                    waitFor(t(S.sync_all_sent))
                    waitFor(t(S.my_reports_empty))
                    assertFalse(shows(title))
                }
            }
        }
    }
}
