package id.aduan.app

import java.io.File
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/**
 * Every string the apps show exists in Bahasa Indonesia (the default) and English, with the
 * same placeholders: the Android resources and the iOS Localizable.strings are read, and the
 * apps' sources are scanned for every key they use. (Statuses, kinds, categories, deadlines,
 * timeline entries and errors come from core, which labels them in both languages itself.)
 */
class StringsTest {
    private val repo = File("../..").canonicalFile
    private val androidSources = File(repo, "android/ui/src/main/kotlin")
    private val iosRes = File(repo, "ios/AduanApp/Resources")
    private val iosSources = File(repo, "ios/AduanApp/Sources")

    private val iosLine = Regex("""^\s*"((?:[^"\\]|\\.)+)"\s*=\s*"((?:[^"\\]|\\.)*)"\s*;\s*$""")

    private fun iosStrings(lang: String): Map<String, String> {
        val file = File(iosRes, "$lang.lproj/Localizable.strings")
        assertTrue(file.isFile, "missing $file")
        return file.readLines()
            .mapNotNull { iosLine.matchEntire(it) }
            .associate { it.groupValues[1] to it.groupValues[2] }
    }

    private fun placeholders(text: String): List<String> =
        Regex("""%(\d+\$)?[sd@]""").findAll(text).map { it.value }.sorted().toList()

    private fun assertSameKeysAndPlaceholders(what: String, id: Map<String, String>, en: Map<String, String>) {
        assertTrue(id.isNotEmpty(), "$what: no strings")
        assertEquals(id.keys.sorted(), en.keys.sorted(), "$what: the same keys in both languages")
        for ((key, text) in id) {
            assertTrue(text.isNotBlank() && en.getValue(key).isNotBlank(), "$what: $key is empty")
            assertEquals(placeholders(text), placeholders(en.getValue(key)), "$what: placeholders of $key")
        }
    }

    private fun usedKeys(root: File, extension: String, pattern: Regex): Set<String> {
        assertTrue(root.isDirectory, "missing $root")
        return root.walkTopDown()
            .filter { it.isFile && it.extension == extension }
            .flatMap { f -> pattern.findAll(f.readText()).map { it.groupValues[1] } }
            .toSet()
    }

    // The Android screens' texts are Kotlin maps in android/ui (id.aduan.ui.strings), keyed by an
    // enum: a missing key does not compile, and android/ui's TextsTest checks both languages.

    @Test
    fun `ios strings exist in both languages and every key the app uses is defined`() {
        val id = iosStrings("id")
        val en = iosStrings("en")
        assertSameKeysAndPlaceholders("ios", id, en)
        val used = usedKeys(iosSources, "swift", Regex("""\btr\("(\w+)""""))
        assertTrue(used.size > 20, "the scan finds the app's strings (${used.size})")
        assertEquals(emptySet<String>(), used - id.keys, "used by the app but not defined")
    }

    @Test
    fun `no user-visible text is written into the apps' screens directly`() {
        // Compose Text("…") and SwiftUI Text("…") with a literal would bypass translation.
        val literalCompose = Regex("""\bText\(\s*"[^"]*[A-Za-z]{2}""")
        val composeHits = androidSources.walkTopDown().filter { it.isFile && it.extension == "kt" }
            .flatMap { f -> literalCompose.findAll(f.readText()).map { "${f.name}: ${it.value}" } }.toList()
        assertEquals(emptyList<String>(), composeHits)
        val literalSwift = Regex("""\b(?:Text|Button|Label|Toggle|Section|navigationTitle)\(\s*"[^"]*[A-Za-z]{2}""")
        val swiftHits = iosSources.walkTopDown().filter { it.isFile && it.extension == "swift" }
            .flatMap { f -> literalSwift.findAll(f.readText()).map { "${f.name}: ${it.value}" } }.toList()
        assertEquals(emptyList<String>(), swiftHits)
    }
}
