package id.aduan.ui

import id.aduan.core.Language
import id.aduan.ui.strings.S
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.EnumSource

/**
 * Handlers narrow the queue: the Dinas PU officer by category (a category takes in everything
 * below it) and by words, always within his own unit; the city's administrator also by unit.
 * Core does the narrowing; the screen says when nothing matches and clears back to everything.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueueFiltersJourneyTest {
    private val server = TestServer()
    private val gutter = "Got mampet di Jl. Mangasa"
    private val pothole = "Jalan berlubang di Jl. Veteran"
    private val lamp = "Lampu jalan padam di Jl. Kakatua"
    private val litter = "Sampah menumpuk di Pasar Pa'baeng-baeng"
    private val all = listOf(gutter, pothole, lamp, litter)

    init {
        // Three public-works reports and one about litter, all with the Dinas PU.
        reportsAssigned(
            server,
            Phone(server, "warga"),
            listOf(
                drainageReport(gutter) to "kota-makassar.dpu",
                drainageReport(pothole).copy(categoryId = "pu.jalan") to "kota-makassar.dpu",
                drainageReport(lamp).copy(categoryId = "pu.penerangan-jalan") to "kota-makassar.dpu",
                drainageReport(litter).copy(categoryId = "lingkungan.sampah") to "kota-makassar.dpu",
            ),
        )
    }

    @AfterAll
    fun stop() = server.close()

    @ParameterizedTest
    @EnumSource(Language::class)
    fun `an officer narrows his queue by category and by words, sees exactly the matching reports, and clears the filters`(language: Language) {
        Device(server, language).use { desk ->
            val categories = desk.env.store.categories()
            val publicWorks = categories.first { it.id == "pu" }.label
            val roads = categories.first { it.id == "pu.jalan" }.label
            runApp(desk) {
                signIn("petugas")
                waitFor(t(S.queue_title))
                waitForExactly(shown = all, hidden = emptyList())
                // Bound to the Dinas PU: his unit is shown and cannot be changed.
                waitFor("Dinas Pekerjaan Umum")
                waitFor(t(S.queue_filter_unit_fixed))
                assertFalse(shows(t(S.queue_clear_filters)), "nothing to clear yet")

                choose(t(S.queue_filter_category), roads)
                waitForExactly(shown = listOf(pothole), hidden = all - pothole)
                screenshot("40-queue-filtered-category")

                // A category takes in its subcategories: public works is three of the four.
                choose(t(S.queue_filter_category), publicWorks)
                waitForExactly(shown = listOf(gutter, pothole, lamp), hidden = listOf(litter))

                tap(t(S.queue_clear_filters))
                waitForExactly(shown = all, hidden = emptyList())
                waitGone(t(S.queue_clear_filters))

                // Words are looked for in the title, the description and the address.
                type(t(S.queue_search), "berlubang")
                waitForExactly(shown = listOf(pothole), hidden = all - pothole)
                screenshot("41-queue-search")

                // Words and a category together: nothing is both, and the screen says so.
                choose(t(S.queue_filter_category), publicWorks)
                waitForExactly(shown = listOf(pothole), hidden = all - pothole)
                replace(t(S.queue_search), "sampah")
                waitFor(t(S.queue_empty_filtered))
                assertFalse(shows(t(S.queue_empty)), "not the message of an empty queue")
                waitForExactly(shown = emptyList(), hidden = all)
                screenshot("42-queue-no-match")

                tap(t(S.queue_clear_filters))
                waitForExactly(shown = all, hidden = emptyList())
                waitGone(t(S.queue_empty_filtered))
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Language::class)
    fun `the city's administrator narrows the queue by unit and by status`(language: Language) {
        Device(server, language).use { desk ->
            runApp(desk) {
                signIn("admin-makassar")
                waitFor(t(S.queue_title))
                waitForExactly(shown = all, hidden = emptyList())
                assertFalse(shows(t(S.queue_filter_unit_fixed)), "an administrator chooses the unit")

                choose(t(S.queue_filter_unit), "Dinas Pekerjaan Umum")
                waitForExactly(shown = all, hidden = emptyList())
                choose(t(S.queue_filter_status), t(S.status_in_progress))
                waitFor(t(S.queue_empty_filtered))
                choose(t(S.queue_filter_status), t(S.status_assigned))
                waitForExactly(shown = all, hidden = emptyList())

                choose(t(S.queue_filter_unit), "Dinas Lingkungan Hidup")
                waitFor(t(S.queue_empty_filtered))
                screenshot("43-queue-unit-no-match")
                tap(t(S.queue_clear_filters))
                waitForExactly(shown = all, hidden = emptyList())
                assertTrue(shows(t(S.queue_filter_unit_any)), "back to every unit")
            }
        }
    }
}
