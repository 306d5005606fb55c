package id.aduan.ui

import id.aduan.core.Language
import id.aduan.core.Status
import id.aduan.core.WorkflowAction
import id.aduan.ui.strings.S
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.EnumSource

/**
 * The Dinas PU officer's day: the queue puts the report due soonest on top, the officer starts
 * work and posts the follow-up with a photo; the citizen then sees the step, replies and rates.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OfficerJourneyTest {
    @ParameterizedTest
    @EnumSource(Language::class)
    fun `the queue shows the report due soonest first and the officer follows it up with a photo, then the citizen replies and, after a second follow-up, rates`(language: Language) {
        TestServer().use { server ->
            val citizen = Phone(server, "warga")
            // Filed first but with a field inspection: its deadline is later than the next one's.
            val later = reportAssignedToDinasPu(server, citizen, "Trotoar amblas di Jl. Veteran", fieldInspection = true)
            val sooner = reportAssignedToDinasPu(server, citizen, "Got mampet di Jl. Mangasa", fieldInspection = false)

            Device(server, language).use { desk ->
                runApp(desk) {
                    signIn("petugas")
                    waitFor(t(S.queue_title))
                    assertTrue(topOf("Got mampet di Jl. Mangasa") < topOf("Trotoar amblas di Jl. Veteran"), "due soonest on top")
                    screenshot("10-queue")

                    tap("Got mampet di Jl. Mangasa")
                    waitFor(t(S.action_start_work))
                    screenshot("11-detail-officer")
                    tap(t(S.action_start_work))
                    waitFor(t(S.action_start_work_explained))
                    screenshot("12-action-start-work")
                    tap(t(S.action_start_work))

                    waitFor(t(S.action_follow_up))
                    tap(t(S.action_follow_up))
                    waitFor(t(S.action_follow_up_explained))
                    type(t(S.action_note_follow_up), "Saluran dibersihkan dan sampah diangkut.")
                    desk.photo = jpeg(800, 600, tint = 90)
                    tap(t(S.photo_pick))
                    waitForImage(t(S.photo_number, 1))
                    screenshot("13-action-follow-up")
                    tap(t(S.action_follow_up))

                    waitFor(t(S.timeline_photo, 1), substring = true)
                    tap(t(S.sync_now))
                    waitFor(t(S.sync_all_sent))
                    screenshot("14-detail-followed-up")
                }
            }

            // The citizen, on their own phone, sees the step with its photo. Not yet satisfied, they
            // reply (which takes the report back to work); after a second follow-up they rate it.
            val officer = Phone(server, "petugas")
            Device(server, language).use { phone ->
                runApp(phone) {
                    signIn("warga")
                    tap("Got mampet di Jl. Mangasa")
                    waitFor("Saluran dibersihkan dan sampah diangkut.")
                    waitFor(t(S.timeline_photo, 1))
                    waitFor(t(S.rating_title))
                    screenshot("15-detail-citizen-followed-up")
                    type(t(S.reply_label), "Masih ada genangan di ujung gang.")
                    tap(t(S.reply_send))
                    waitFor("Masih ada genangan di ujung gang.")
                    waitGone(t(S.rating_title))
                    tap(t(S.sync_now))
                    waitFor(t(S.sync_all_sent))

                    officer.sync()
                    runBlocking { officer.repo.perform(sooner, WorkflowAction.FollowUp, "Genangan di ujung gang sudah dikeringkan.") }
                    officer.sync()

                    tap(t(S.sync_now))
                    waitFor("Genangan di ujung gang sudah dikeringkan.")
                    tap(t(S.rating_stars, 4))
                    type(t(S.rating_note), "Cepat ditangani.")
                    screenshot("16-detail-rating")
                    tap(t(S.rating_send))
                    waitFor(t(S.detail_rating))
                    screenshot("17-detail-rated")
                    tap(t(S.sync_now))
                    waitFor(t(S.sync_all_sent))
                }
            }

            // The officer's side receives the reply and the rating.
            officer.sync()
            val seen = runBlocking { officer.repo.complaint(sooner).first() }
            assertTrue(seen.timeline.any { it.photos.isNotEmpty() && it.note == "Saluran dibersihkan dan sampah diangkut." })
            assertTrue(seen.timeline.any { it.byReporter && it.note == "Masih ada genangan di ujung gang." }, "the reply")
            assertEquals(4, seen.rating?.stars?.toInt())
            assertEquals("Cepat ditangani.", seen.rating?.note)
            val untouched = runBlocking { officer.repo.complaint(later).first() }
            assertEquals(Status.ASSIGNED, untouched.summary.status)
        }
    }
}
