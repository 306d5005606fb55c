package id.aduan.ui

import id.aduan.core.AduanException
import id.aduan.core.ComplaintEdit
import id.aduan.core.Language
import id.aduan.core.Status
import id.aduan.core.WorkflowAction
import id.aduan.ui.strings.S
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.EnumSource

/**
 * A citizen changes his own report while core allows it (until it is assigned to a unit): offline,
 * with the new title on the detail and in his list at once and sent once online. When the report
 * moves on under an open form, core refuses the change and says why; the action is then gone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EditReportJourneyTest {
    private val server = TestServer()

    @AfterAll
    fun stop() = server.close()

    @ParameterizedTest
    @EnumSource(Language::class)
    fun `a citizen edits his unverified report offline, the change is sent, and once the report is assigned core refuses and the action is gone`(language: Language) {
        val title = "Got mampet di Jl. Mangasa (${language.name})"
        val edited = "Got mampet dan berbau di Jl. Mangasa (${language.name})"
        val refused = "Judul yang ditolak (${language.name})"
        val citizen = Phone(server, "warga")
        val id = runBlocking { citizen.repo.file(drainageReport(title)).summary.id }
        citizen.sync()

        Device(server, language).use { phone ->
            runApp(phone) {
                signIn("warga")
                waitFor(title)
                waitFor(t(S.sync_all_sent))
                phone.network.setConnected(false)
                waitFor(t(S.sync_offline))

                tap(title)
                waitFor(t(S.action_edit))
                screenshot("44-detail-editable")
                tap(t(S.action_edit))
                waitFor(t(S.edit_explained))
                // Prefilled with the report as filed.
                waitFor(title)
                waitFor("Air meluap ke jalan setiap hujan.")
                waitFor("Jl. Sultan Alauddin")
                screenshot("45-edit-form")

                replace(t(S.report_field_title), edited)
                replace(t(S.report_address), "Jl. Mangasa Raya No. 12")
                tap(t(S.edit_save))

                // Back on the detail, changed on the phone and waiting for a signal.
                waitFor(edited)
                waitFor("Jl. Mangasa Raya No. 12")
                waitFor(t(S.not_yet_sent))
                assertFalse(shows(title), "the old title is gone")
                screenshot("46-detail-edited-offline")
                tapIcon(t(S.back))
                waitFor(t(S.my_reports_title))
                waitFor(edited)
                assertFalse(shows(title), "the list shows the new title")
                screenshot("47-my-reports-edited")

                phone.network.setConnected(true)
                waitGone(t(S.not_yet_sent))
                waitFor(t(S.sync_all_sent))
            }
        }
        citizen.sync()
        val sent = runBlocking { citizen.repo.complaint(id).first() }
        assertEquals(edited, sent.summary.title, "the server has the change")
        assertEquals("Jl. Mangasa Raya No. 12", sent.location.address)

        // Dispatched to the city, the report may still be changed (core's rule); the form is
        // open when the city's administrator assigns it to a unit.
        val national = Phone(server, "admin-nasional")
        national.sync()
        runBlocking { national.repo.perform(id, WorkflowAction.Dispatch("kota-makassar"), "Wewenang Pemkot") }
        national.sync()
        Device(server, language).use { phone ->
            runApp(phone) {
                signIn("warga")
                waitFor(edited)
                waitFor(t(S.sync_all_sent))
                tap(edited)
                waitFor(t(S.action_edit))
                tap(t(S.action_edit))
                waitFor(t(S.edit_explained))

                val city = Phone(server, "admin-makassar")
                city.sync()
                runBlocking { city.repo.perform(id, WorkflowAction.Assign("kota-makassar.dpu", false), "Mohon ditangani") }
                city.sync()
                tap(t(S.sync_now))
                waitFor(t(S.sync_all_sent))
                waitGone(t(S.edit_explained))
                assertEquals(Status.ASSIGNED, runBlocking { phone.env.repository.complaint(id).first() }.summary.status)

                waitFor(t(S.action_current_status, t(S.status_assigned)))

                replace(t(S.report_field_title), refused)
                tap(t(S.edit_save))
                // Core's own sentence, as core says it to anyone who tries.
                val refusal = assertThrows<AduanException.NotAllowed> {
                    runBlocking { phone.env.repository.editComplaint(id, ComplaintEdit(title = refused)) }
                }
                waitFor(if (language == Language.EN) refusal.messageEn else refusal.messageId)
                assertFalse(shows(t(S.edit_explained)), "no longer says it may be changed")
                screenshot("48-edit-refused")

                tapIcon(t(S.back))
                waitFor(t(S.status_assigned))
                waitFor(edited)
                waitGone(t(S.action_edit))
                assertFalse(shows(refused))
                screenshot("49-detail-not-editable")
            }
        }
    }
}
