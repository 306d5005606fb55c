@file:OptIn(ExperimentalTestApi::class)

package id.aduan.ui

import androidx.compose.ui.test.ExperimentalTestApi
import id.aduan.core.Language
import id.aduan.core.ReporterContact
import id.aduan.core.WorkflowAction
import id.aduan.ui.strings.S
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.EnumSource

/**
 * The handlers of the institution that holds a report see who filed it and how to reach them,
 * as core gives it from the server; a report filed anonymously shows nothing of its reporter.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReporterContactJourneyTest {
    private val server = TestServer()

    @AfterAll
    fun stop() = server.close()

    @ParameterizedTest
    @EnumSource(Language::class)
    fun `the city's administrator and its officer see a named reporter's contact, and none on an anonymous report`(language: Language) {
        val named = "Got mampet di Jl. Daeng Tata (${language.name})"
        val anonymous = "Got mampet tanpa nama (${language.name})"
        val contact = ReporterContact(name = "Daeng Baso", phone = "081144556677", email = "baso@example.id")
        val citizen = Phone(server, "warga")
        val namedId = citizen.store.createNamedComplaint(drainageReport(named), contact).summary.id
        val anonymousId = runBlocking { citizen.repo.file(drainageReport(anonymous).copy(anonymous = true)).summary.id }
        citizen.sync()
        val national = Phone(server, "admin-nasional")
        national.sync()
        runBlocking {
            listOf(namedId, anonymousId).forEach { national.repo.perform(it, WorkflowAction.Dispatch("kota-makassar"), "Wewenang Pemkot") }
        }
        national.sync()

        Device(server, language).use { phone ->
            runApp(phone) {
                signIn("admin-makassar")
                waitFor(named)
                tap(named)
                waitFor(t(S.detail_reporter_contact))
                waitFor("Daeng Baso")
                waitFor("081144556677")
                waitFor("baso@example.id")
                waitFor(t(S.detail_reporter_phone))
                screenshot("50-detail-reporter-contact")
                tapIcon(t(S.back))

                tap(anonymous)
                waitFor(t(S.detail_description))
                waitFor(t(S.detail_timeline))
                // The screen asks core once, as this does; once core has answered nothing, the
                // screen's own answer has come too.
                assertNull(runBlocking { phone.env.repository.reporterContact(anonymousId) })
                ui.waitForIdle()
                assertFalse(shows(t(S.detail_reporter_contact)), "no contact card on an anonymous report")
                assertFalse(shows(t(S.detail_reporter_phone)))
                screenshot("51-detail-anonymous-no-contact")
            }
        }

        // Assigned to the Dinas PU, its officer may know the reporter too (core's rule).
        val city = Phone(server, "admin-makassar")
        city.sync()
        runBlocking { city.repo.perform(namedId, WorkflowAction.Assign("kota-makassar.dpu", false), "Mohon ditangani") }
        city.sync()
        Device(server, language).use { phone ->
            runApp(phone) {
                signIn("petugas")
                waitFor(named)
                tap(named)
                waitFor(t(S.detail_reporter_contact))
                waitFor("Daeng Baso")
                waitFor("081144556677")
            }
        }
    }
}
