package id.aduan.ui

import id.aduan.ui.strings.English
import id.aduan.ui.strings.Indonesian
import id.aduan.ui.strings.S
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/** The two languages' maps: every key in both, translated, with the same placeholders. */
class TextsTest {
    private val placeholder = Regex("""%(\d+\$)?[sdf]""")

    @Test
    fun `every text exists in bahasa indonesia and in english`() {
        assertEquals(emptyList<S>(), S.entries.filter { Indonesian[it].isNullOrBlank() }, "missing in Indonesian")
        assertEquals(emptyList<S>(), S.entries.filter { English[it].isNullOrBlank() }, "missing in English")
    }

    @Test
    fun `both languages fill the same placeholders`() {
        val differ = S.entries.filter { key ->
            placeholder.findAll(Indonesian.getValue(key)).map { it.value }.sorted().toList() !=
                placeholder.findAll(English.getValue(key)).map { it.value }.sorted().toList()
        }
        assertEquals(emptyList<S>(), differ)
    }

    @Test
    fun `sentences are translated, not copied`() {
        // Names and codes may read the same in both languages; a sentence may not.
        val copied = S.entries.filter { key ->
            val id = Indonesian.getValue(key)
            id == English.getValue(key) && id.replace(placeholder, "").split(' ').count { w -> w.any(Char::isLetter) } > 2
        }
        assertTrue(copied.isEmpty(), "same text in both languages: $copied")
    }
}
