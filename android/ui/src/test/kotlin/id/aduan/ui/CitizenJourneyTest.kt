package id.aduan.ui

import id.aduan.app.AduanRepository
import id.aduan.core.AduanStore
import id.aduan.core.ComplaintFilter
import id.aduan.core.Language
import id.aduan.core.SortOrder
import id.aduan.ui.strings.S
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.EnumSource
import java.nio.file.Files

/** A citizen files a report with no signal, sees it wait on the phone, and it goes once online. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CitizenJourneyTest {
    private val server = TestServer()

    @AfterAll
    fun stop() = server.close()

    @ParameterizedTest
    @EnumSource(Language::class)
    fun `a citizen files offline with a photo and a location, sees it waiting, and it is sent once online`(language: Language) {
        val title = "Selokan tersumbat di Jl. Mangasa (${language.name})"
        Device(server, language).use { phone ->
            val categories = phone.env.store.categories()
            val top = categories.first { it.id == "pu" }.label
            val sub = categories.first { it.id == "pu.drainase" }.label
            runApp(phone) {
                signIn("warga")
                waitFor(lead(S.sync_last), substring = true)
                phone.network.setConnected(false)
                waitFor(t(S.sync_offline))

                tap(t(S.report_new))
                waitFor(t(S.report_title))
                screenshot("03-report-form")
                tap(t(S.report_category))
                tap(top)
                tap(t(S.report_subcategory))
                tap(sub)
                type(t(S.report_field_title), title)
                type(t(S.report_field_description), "Air meluap ke jalan setiap hujan sejak dua minggu.")
                tap(t(S.photo_pick))
                waitForImage(t(S.photo_number, 1))
                type(t(S.location_latitude), "-5.1856")
                type(t(S.location_longitude), "119.4237")
                waitFor(t(S.location_coordinates, "-5.18560", "119.42370"))
                screenshot("04-report-filled")
                tap(t(S.report_save))

                waitFor(t(S.report_saved_title))
                assertTrue(shows(t(S.report_saved_offline)), "told it waits for a signal")
                screenshot("05-report-saved-offline")
                tap(t(S.report_saved_open))
                waitFor(title)
                screenshot("06-detail-not-sent")
                tapIcon(t(S.back))

                waitFor(t(S.my_reports_title))
                waitFor(t(S.not_yet_sent))
                waitFor(t(S.sync_waiting, 1, 1))
                screenshot("07-my-reports-waiting")

                phone.network.setConnected(true)
                waitGone(t(S.not_yet_sent))
                waitFor(t(S.sync_all_sent))
                screenshot("08-my-reports-sent")
            }
            val filed = phone.env.store.list(ComplaintFilter(mineOnly = true, sort = SortOrder.NEWEST, limit = 10u))
                .single { it.title == title }
            assertFalse(filed.pendingSync)

            // The national administrator's phone receives it, with its photo and its place.
            val admin = AduanRepository(AduanStore.open(Files.createTempDirectory("aduan-admin").toString()))
            runBlocking {
                admin.login(server.url, "admin-nasional", "aduan-demo")
                admin.sync()
                val seen = admin.complaint(filed.id).first()
                assertEquals(title, seen.summary.title)
                assertEquals("pu.drainase", seen.summary.categoryId)
                assertEquals(1, seen.photos.size)
                assertEquals(-5.1856, seen.location.latitude!!, 1e-6)
                assertEquals(119.4237, seen.location.longitude!!, 1e-6)
            }
        }
    }
}
