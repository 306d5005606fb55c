package id.aduan.app

import id.aduan.core.ActionKind
import id.aduan.core.AduanException
import id.aduan.core.ComplaintEdit
import id.aduan.core.ComplaintFilter
import id.aduan.core.Identity
import id.aduan.core.ReporterContact
import id.aduan.core.Role
import id.aduan.core.SortOrder
import id.aduan.core.Stage
import id.aduan.core.Status
import id.aduan.core.WorkflowAction
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/** The Kotlin layer driving the real core (loaded through JNA), as the apps do. */
class RepositoryTest {
    private val citizen = Identity("warga-siti", "Siti", Role.CITIZEN, null, null)

    @Test
    fun `a citizen files a report with a photo offline and finds it in the list`() = runBlocking {
        val store = newStore()
        store.setIdentity(citizen)
        val repo = AduanRepository(store)
        val filed = repo.file(draft("Selokan tersumbat"), photos = listOf(jpeg(1200, 900)))
        assertEquals(Status.SUBMITTED, filed.summary.status)
        assertTrue(filed.summary.trackingId.startsWith("ADU-"))
        assertEquals(1, filed.photos.size)
        assertEquals(Stage.NATIONAL_VERIFICATION, filed.deadline?.stage)
        assertTrue(filed.summary.pendingSync, "offline: waiting to be sent")
        val mine = repo.complaints(ComplaintFilter(mineOnly = true, sort = SortOrder.NEWEST, limit = 10u)).first()
        assertEquals(listOf(filed.summary.id), mine.map { it.id })
        val found = repo.complaints(ComplaintFilter(text = "selokan", sort = SortOrder.NEWEST, limit = 10u)).first()
        assertEquals(1, found.size)
        assertEquals(1uL, repo.refreshStatus().pendingPhotos)
    }

    @Test
    fun `refusals arrive as typed errors in both languages`() = runBlocking {
        val store = newStore()
        store.setIdentity(citizen)
        val repo = AduanRepository(store)
        val id = repo.file(draft("Jalan rusak")).summary.id
        val e = assertThrows<AduanException.NotAllowed> {
            runBlocking { repo.perform(id, WorkflowAction.Dispatch("kota-makassar")) }
        }
        assertEquals("role_not_allowed", e.code)
        assertTrue(e.messageId.isNotBlank() && e.messageEn.isNotBlank())
        val bad = assertThrows<AduanException.PhotoRejected> {
            runBlocking { repo.importPhoto("bukan foto".toByteArray()) }
        }
        assertEquals("photo_not_image", bad.code)
    }

    @Test
    fun `the reporter edits the report while core offers it, and core refuses once it reached a unit`() = runBlocking {
        TestServer().use { server ->
            val siti = AduanRepository(newStore())
            siti.login(server.url, "warga", "aduan-demo")
            val id = siti.file(draft("Banjir di Mangasa")).summary.id
            assertTrue(ActionKind.EDIT in siti.complaint(id).first().availableActions)
            val edited = siti.editComplaint(id, ComplaintEdit(title = "Banjir setinggi lutut di Mangasa"))
            assertEquals("Banjir setinggi lutut di Mangasa", edited.summary.title)
            assertEquals(draft("").description, edited.description, "a field left null stays as it was")
            siti.sync()

            val national = AduanRepository(newStore())
            national.login(server.url, "admin-nasional", "aduan-demo")
            national.sync()
            assertEquals("Banjir setinggi lutut di Mangasa", national.complaint(id).first().summary.title)
            national.perform(id, WorkflowAction.Dispatch("kota-makassar"))
            national.sync()
            val city = AduanRepository(newStore())
            city.login(server.url, "admin-makassar", "aduan-demo")
            city.sync()
            city.perform(id, WorkflowAction.Assign("kota-makassar.dpu", false))
            city.sync()

            siti.sync()
            assertFalse(ActionKind.EDIT in siti.complaint(id).first().availableActions)
            val e = assertThrows<AduanException.NotAllowed> {
                runBlocking { siti.editComplaint(id, ComplaintEdit(title = "Terlambat")) }
            }
            assertEquals("invalid_status", e.code)
            assertEquals("Banjir setinggi lutut di Mangasa", siti.complaint(id).first().summary.title)
        }
    }

    @Test
    fun `two phones converge through a real server`() = runBlocking {
        TestServer().use { server ->
            val siti = AduanRepository(newStore())
            val admin = AduanRepository(newStore())
            siti.login(server.url, "warga", "aduan-demo")
            admin.login(server.url, "admin-nasional", "aduan-demo")
            val id = siti.file(draft("Banjir di Mangasa"), photos = listOf(jpeg(800, 600))).summary.id
            val sent = siti.sync()
            assertEquals(2u, sent.photosSent, "thumbnail and full size")
            assertEquals(0uL, siti.syncStatus.value?.pendingDocuments)
            admin.sync()
            val seen = admin.complaint(id).first()
            assertEquals("Banjir di Mangasa", seen.summary.title)
            assertNotNull(admin.photo(seen.photos[0].thumbSha256))
            admin.perform(id, WorkflowAction.Dispatch("kota-makassar"), "Wewenang Pemkot")
            admin.sync()
            siti.sync()
            val back = siti.complaint(id).first()
            assertEquals(Status.DISPATCHED, back.summary.status)
            assertEquals(Stage.INSTITUTION_VERIFICATION, back.deadline?.stage)
            assertEquals(admin.complaint(id).first().timeline, back.timeline)
            assertFalse(back.summary.pendingSync)
        }
    }

    @Test
    fun `the phone that filed a named report reads its reporter's contact, an anonymous one has none`() = runBlocking {
        val store = newStore()
        store.setIdentity(Identity("operator-112", "Operator 112", Role.OFFICER, "kota-makassar", null))
        val repo = AduanRepository(store)
        val caller = ReporterContact(name = "Daeng Baso", phone = "081144556677", email = "baso@example.id")
        val named = store.fileOnBehalf(draft("Selokan tersumbat"), caller).summary.id
        val anonymous = store.fileOnBehalf(draft("Lampu jalan mati"), null).summary.id
        assertEquals(caller, repo.reporterContact(named))
        assertNull(repo.reporterContact(anonymous))
    }
}
