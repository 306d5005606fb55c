package id.aduan.app

import id.aduan.core.Identity
import id.aduan.core.Role
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/** A field cadre's kelurahan through the generated bindings, against the real core. */
class CadreAreaTest {
    @Test
    fun `a cadre's phone lists the open reports of their kelurahan`() {
        val store = newStore()
        store.setIdentity(Identity("warga-siti", "Siti", Role.CITIZEN, null, null))
        val filed = store.createComplaint(draft("Sampah menumpuk"))
        assertEquals("73.71.10.1004", filed.location.area, "the village's code, from its names")

        val cadre = Identity("pakandatto-01", "Kader", Role.CADRE, "kota-makassar", null, area = "73.71.10.1004")
        store.setIdentity(cadre)
        assertEquals("73.71.10.1004", store.identity()?.area)
        assertEquals(listOf(filed.summary.id), store.myAreaOpenReports(50u).map { it.id })

        store.setIdentity(cadre.copy(area = "73.71.10.1005"))
        assertTrue(store.myAreaOpenReports(50u).isEmpty(), "another kelurahan's cadre")
    }
}
