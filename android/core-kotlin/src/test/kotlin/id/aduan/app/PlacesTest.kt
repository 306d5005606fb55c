package id.aduan.app

import id.aduan.core.Identity
import id.aduan.core.Role
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/** Routing and duplicate suggestions through the generated bindings, against the real core. */
class PlacesTest {
    @Test
    fun `a village is routed to its kelurahan office and a repeat is suggested`() {
        val store = newStore()
        store.setIdentity(Identity("warga-siti", "Siti", Role.CITIZEN, null, null))
        val first = draft("Selokan tersumbat")
        val routing = store.suggestRouting(first.location, "lingkungan.sampah")
        assertEquals("73.71.10.1004", routing.village?.code)
        assertEquals("kota-makassar.kel-tamalate-mangasa", routing.suggestions[0].unitId)
        assertEquals("kelurahan", routing.suggestions[0].reason)
        assertTrue(store.suggestDuplicates(first).isEmpty())
        val filed = store.createComplaint(first)
        val again = store.suggestDuplicates(draft("Selokan tersumbat lagi"))
        assertEquals(listOf(filed.summary.trackingId), again.map { it.trackingId })
        assertEquals(38, store.areasUnder("").size)
    }
}
