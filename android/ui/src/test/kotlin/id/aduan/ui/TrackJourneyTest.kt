@file:OptIn(ExperimentalTestApi::class)

package id.aduan.ui

import androidx.compose.ui.test.ExperimentalTestApi
import androidx.compose.ui.test.hasSetTextAction
import androidx.compose.ui.test.hasText
import androidx.compose.ui.test.performScrollTo
import androidx.compose.ui.test.performTextClearance
import id.aduan.core.Language
import id.aduan.core.WorkflowAction
import id.aduan.ui.strings.S
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.EnumSource

/**
 * Anyone with a tracking number follows that report without signing in. A citizen's report is
 * filed, sent and taken up by the Dinas PU, whose officer posts a follow-up; on a phone that never
 * signed in, the number (typed loosely) is looked up from the sign-in screen: with no signal the
 * screen says so and retries, then shows the status, category, area, the timeline and the
 * institution's reply, never the reporter's words. A malformed number is caught before asking, an
 * unknown one is "not found". Signed in, the same lookup opens from Settings.
 */
class TrackJourneyTest {
    @ParameterizedTest
    @EnumSource(Language::class)
    fun `a tracking number shows the report's public status without signing in, and an unknown one is not found`(language: Language) {
        TestServer().use { server ->
            val title = "Got tersumbat di Jl. Mappaodang (${language.name})"
            val reply = "Saluran sudah dibersihkan petugas kami."
            val citizen = Phone(server, "warga")
            val id = reportAssignedToDinasPu(server, citizen, title, fieldInspection = false)
            val officer = Phone(server, "petugas")
            officer.sync()
            runBlocking {
                officer.repo.perform(id, WorkflowAction.StartWork, "")
                officer.repo.perform(id, WorkflowAction.FollowUp, reply)
            }
            officer.sync()
            val trackingId = runBlocking { citizen.repo.complaint(id).first().summary.trackingId }

            Device(server, language).use { stranger ->
                // What the server's public view says, in this language: the screen must show it.
                val expected = stranger.env.store.track(server.url, trackingId) ?: error("$trackingId is not public")
                runApp(stranger) {
                    waitFor(t(S.signin_track_title))
                    tap(t(S.signin_track_button))
                    waitFor(t(S.track_explained))
                    screenshot("33-track-empty")

                    // A number that cannot be one is caught before asking.
                    type(t(S.track_field), "ADU-123")
                    tap(t(S.track_button))
                    waitFor(t(S.track_invalid))
                    ui.onNode(hasSetTextAction()).performTextClearance()

                    // No signal: said so, with a retry.
                    stranger.network.setConnected(false)
                    type(t(S.track_field), "  " + trackingId.lowercase() + " ")
                    tap(t(S.track_button))
                    waitFor(t(S.track_offline))
                    waitFor(trackingId) // the field shows the number as it was understood
                    screenshot("34-track-no-signal")

                    stranger.network.setConnected(true)
                    tap(t(S.retry))
                    waitFor(expected.statusLabel)
                    waitFor("${expected.kindLabel} · ${expected.categoryLabel}")
                    waitFor(expected.area.kelurahan, substring = true)
                    waitFor(expected.timeline.last().actionLabel)
                    waitFor(reply)
                    waitFor(t(S.track_reply))
                    assertFalse(shows(title), "the reporter's words are not public")
                    screenshot("35-track-found")
                    ui.onNode(hasText(reply)).performScrollTo()
                    screenshot("36-track-found-reply")

                    ui.onNode(hasSetTextAction()).performTextClearance()
                    type(t(S.track_field), "ADU-00000-00000")
                    tap(t(S.track_button))
                    waitFor(t(S.track_not_found))
                    waitGone(expected.statusLabel)
                    screenshot("37-track-not-found")

                    // Back on the sign-in screen; signed in, Settings opens the same lookup.
                    tapIcon(t(S.back))
                    signIn("warga")
                    waitFor(title)
                    tap(t(S.tab_settings))
                    tap(t(S.track_title))
                    type(t(S.track_field), trackingId)
                    tap(t(S.track_button))
                    waitFor(reply)
                    waitFor(expected.statusLabel)
                }
            }
        }
    }
}
