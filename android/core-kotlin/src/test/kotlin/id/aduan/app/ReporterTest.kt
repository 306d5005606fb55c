package id.aduan.app

import id.aduan.core.Channel
import id.aduan.core.Identity
import id.aduan.core.ReporterContact
import id.aduan.core.Role
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/** Filing for a caller and the reporter's contact, through the Kotlin bindings. */
class ReporterTest {
    private val operator = Identity("operator-112", "Operator 112", Role.OFFICER, "kota-makassar", null)

    @Test
    fun `a call-centre operator files for a caller and reads the tracking id back`() {
        val store = newStore()
        store.setIdentity(operator)
        val caller = ReporterContact(name = "Daeng Baso", phone = "081144556677")
        val filed = store.fileOnBehalf(draft("Selokan tersumbat"), caller)
        assertEquals("call_centre", filed.summary.channel)
        assertTrue(filed.summary.trackingId.startsWith("ADU-"))
        assertTrue(filed.filedBy!!.contains("operator-112"))
        assertEquals(Role.CITIZEN, filed.reporterRole)
        assertEquals(caller, store.reporterContact(filed.summary.trackingId))
        assertTrue(store.removeReporterContact(filed.summary.id))
        assertNull(store.reporterContact(filed.summary.id))
    }

    @Test
    fun `a walk-in who gives no name is anonymous`() {
        val store = newStore()
        store.setIdentity(operator)
        val filed = store.fileOnBehalf(draft("Lampu jalan mati").copy(channel = Channel.Desk), null)
        assertEquals("desk", filed.summary.channel)
        assertTrue(filed.summary.anonymous)
    }
}
