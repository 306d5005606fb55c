package id.aduan.app

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

class LabelsTest {
    @Test
    fun `every string exists in both languages with the same placeholders`() {
        assertEquals(Labels.id.keys, Labels.en.keys)
        val placeholder = Regex("%[ds]")
        for (key in Labels.id.keys) {
            val id = Labels.get(key, Labels.Lang.ID)
            val en = Labels.get(key, Labels.Lang.EN)
            assertTrue(id.isNotBlank() && en.isNotBlank(), key)
            assertEquals(placeholder.findAll(id).map { it.value }.toList(), placeholder.findAll(en).map { it.value }.toList(), key)
        }
    }
}
