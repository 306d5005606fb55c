@file:OptIn(ExperimentalTestApi::class)

package id.aduan.ui

import androidx.compose.runtime.CompositionLocalProvider
import androidx.compose.ui.graphics.asSkiaBitmap
import androidx.lifecycle.ViewModelStore
import androidx.lifecycle.ViewModelStoreOwner
import androidx.lifecycle.viewmodel.compose.LocalViewModelStoreOwner
import androidx.compose.ui.semantics.SemanticsNode
import androidx.compose.ui.semantics.SemanticsProperties
import androidx.compose.ui.semantics.getOrNull
import androidx.compose.ui.test.SemanticsNodeInteraction
import androidx.compose.ui.test.ExperimentalTestApi
import androidx.compose.ui.test.SemanticsMatcher
import androidx.compose.ui.test.SkikoComposeUiTest
import androidx.compose.ui.test.hasClickAction
import androidx.compose.ui.test.hasSetTextAction
import androidx.compose.ui.test.hasText
import androidx.compose.ui.test.isRoot
import androidx.compose.ui.test.isEnabled
import androidx.compose.ui.test.hasScrollToNodeAction
import androidx.compose.ui.test.performScrollToNode
import androidx.compose.ui.test.hasAnyAncestor
import androidx.compose.ui.test.hasContentDescription
import androidx.compose.ui.test.isPopup
import androidx.compose.ui.test.performTextReplacement
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.performScrollTo
import androidx.compose.ui.test.performTextInput
import androidx.compose.ui.unit.Density
import id.aduan.app.SyncPolicy
import id.aduan.core.Language
import id.aduan.desktop.DesktopConnectivity
import id.aduan.desktop.DesktopEnvironment
import id.aduan.ui.platform.AppEnvironment
import id.aduan.ui.strings.English
import id.aduan.ui.strings.Indonesian
import id.aduan.ui.strings.S
import id.aduan.ui.strings.text
import id.aduan.ui.strings.texts
import org.jetbrains.skia.EncodedImageFormat
import org.jetbrains.skia.Image
import java.io.File
import java.nio.file.Files
import kotlin.coroutines.EmptyCoroutineContext
import kotlin.time.Duration.Companion.hours

/** A screen size the app is shown at: a phone (411 x 891 dp) or a desk monitor. */
enum class Screen(val widthDp: Int, val heightDp: Int, val density: Float) {
    PHONE(411, 891, 2f),
    DESKTOP(1280, 800, 1f),
}

/** Longest a test waits for core, the server or a sync before it fails. Not a timing assertion. */
private const val PATIENCE_MS = 30_000L

/**
 * One person's device running the real app: the desktop environment over a fresh store, real
 * core through JNA, talking to a real server. Photos "picked from a file" are [photo]; the
 * network is [network], switchable like airplane mode. Local changes do not sync by themselves
 * here (an hour's delay), so each sync in a test is one the person asked for.
 */
class Device(server: TestServer, val language: Language, connected: Boolean = true) : AutoCloseable {
    val dir: File = Files.createTempDirectory("aduan-desktop").toFile()
    val network = DesktopConnectivity(connected)
    var photo: ByteArray = jpeg(1200, 900)
    val env = DesktopEnvironment(
        dataDir = dir,
        defaultServerUrl = server.url,
        network = network,
        chooser = { listOf(photo) },
        policy = { SyncPolicy(localChangeDelay = 1.hours, fullPhotosOnMeteredNetworks = it) },
    )

    init {
        env.settings.setLanguage(language)
        env.store.setLanguage(language)
    }

    fun t(key: S, vararg args: Any): String = text(language, key, *args)

    override fun close() {
        env.close()
        dir.deleteRecursively()
    }
}

/**
 * Runs [block] with the app on [device] at [screen] size, the way a person sees and touches it;
 * [env] stands in for the device's environment where a test gives it a piece the desktop lacks (a GPS).
 */
fun runApp(device: Device, screen: Screen = Screen.PHONE, env: AppEnvironment = device.env, block: AppDriver.() -> Unit) {
    val test = SkikoComposeUiTest(
        (screen.widthDp * screen.density).toInt(),
        (screen.heightDp * screen.density).toInt(),
        EmptyCoroutineContext,
        Density(screen.density),
    )
    // The app's own view model owner, cleared when the test ends (as an activity's would be),
    // so no view model reads the store after the device closes it.
    val owner = object : ViewModelStoreOwner {
        override val viewModelStore = ViewModelStore()
    }
    try {
        test.runTest {
            setContent {
                CompositionLocalProvider(LocalViewModelStoreOwner provides owner) { AduanRoot(env) }
            }
            AppDriver(this, device, screen).block()
            setContent {}
            waitForIdle()
        }
    } finally {
        owner.viewModelStore.clear()
    }
}

class AppDriver(val ui: SkikoComposeUiTest, val device: Device, val screen: Screen) {
    fun t(key: S, vararg args: Any): String = device.t(key, *args)

    /** Waits until a node shows [text] (core, the server and syncs answer on other threads). */
    fun waitFor(text: String, substring: Boolean = false) {
        try {
            ui.waitUntil("\"$text\" shown", PATIENCE_MS) {
                val found = ui.onAllNodes(hasText(text, substring = substring), useUnmergedTree = true).fetchSemanticsNodes().isNotEmpty()
                if (!found) bringIntoView(hasText(text, substring = substring))
                found
            }
        } catch (e: Throwable) {
            // What the screen showed instead, for whoever reads the failure.
            write(File(root(), "failed/${device.language.name.lowercase()}-${System.nanoTime()}.png"))
            throw e
        }
    }

    fun waitGone(text: String, substring: Boolean = false) {
        ui.waitUntil("\"$text\" gone", PATIENCE_MS) {
            ui.onAllNodes(hasText(text, substring = substring), useUnmergedTree = true).fetchSemanticsNodes().isEmpty()
        }
    }

    fun shows(text: String, substring: Boolean = false): Boolean =
        ui.onAllNodes(hasText(text, substring = substring), useUnmergedTree = true).fetchSemanticsNodes().isNotEmpty()

    /** Taps the button (or row, or tab, or menu item) labelled [label]. */
    fun tap(label: String, substring: Boolean = false) {
        // Enabled: a person waits for a button to wake up before pressing it.
        val named = hasClickAction() and isEnabled() and
            (hasText(label, substring = substring) or hasContentDescription(label, substring = substring))
        bringIntoView(named)
        ui.waitUntil("button \"$label\" shown", PATIENCE_MS) { ui.onAllNodes(named).fetchSemanticsNodes().isNotEmpty() }
        val node = ui.onAllNodes(named)[0]
        try {
            node.performScrollTo()
        } catch (_: AssertionError) {
            // not in a scrolling container
        }
        node.performClick()
        ui.waitForIdle()
    }

    /**
     * Lazy lists compose only what is on screen: when nothing matches yet, scroll each list to
     * a match (as a person scrolls to find a button).
     */
    fun bringIntoView(matcher: SemanticsMatcher) {
        if (ui.onAllNodes(matcher).fetchSemanticsNodes().isNotEmpty()) return
        val lists = ui.onAllNodes(hasScrollToNodeAction())
        for (i in 0 until lists.fetchSemanticsNodes().size) {
            try {
                lists[i].performScrollToNode(matcher)
                ui.waitForIdle()
                return
            } catch (_: AssertionError) {
                // not in this list
            }
        }
    }

    /** The top edge of the first node showing [text], to compare what comes first on screen. */
    fun topOf(text: String): Float {
        waitFor(text)
        return ui.onAllNodes(hasText(text), useUnmergedTree = true)[0].fetchSemanticsNode().boundsInRoot.top
    }

    /** Types into the field labelled [label]. */
    fun type(label: String, value: String) {
        field(label).performTextInput(value)
        ui.waitForIdle()
    }

    /** Replaces what the field labelled [label] holds (a prefilled form) with [value]. */
    fun replace(label: String, value: String) {
        field(label).performTextReplacement(value)
        ui.waitForIdle()
    }

    /** The text field labelled [label], once shown and scrolled into view. */
    private fun field(label: String): SemanticsNodeInteraction {
        val named = hasSetTextAction() and hasText(label)
        bringIntoView(named)
        ui.waitUntil("field \"$label\" shown", PATIENCE_MS) { ui.onAllNodes(named).fetchSemanticsNodes().isNotEmpty() }
        val field = ui.onNode(named)
        try {
            field.performScrollTo()
        } catch (_: AssertionError) {
        }
        return field
    }

    /**
     * Opens the menu of the field labelled [field] and picks [option] in it (the menu's entry,
     * not a card on the screen that happens to show the same words).
     */
    fun choose(field: String, option: String) {
        tap(field)
        val entry = hasText(option) and hasClickAction() and hasAnyAncestor(isPopup())
        ui.waitUntil("menu entry \"$option\" shown", PATIENCE_MS) { ui.onAllNodes(entry).fetchSemanticsNodes().isNotEmpty() }
        val node = ui.onAllNodes(entry)[0]
        try {
            node.performScrollTo()
        } catch (_: AssertionError) {
        }
        node.performClick()
        ui.waitForIdle()
    }

    /**
     * Waits until a list shows every one of [shown] and none of [hidden], scrolling to look for
     * each as a person would (a card below the fold is not "gone").
     */
    fun waitForExactly(shown: Collection<String>, hidden: Collection<String>) {
        try {
            ui.waitUntil("$shown shown and $hidden not", PATIENCE_MS) {
                shown.all { title ->
                    bringIntoView(hasText(title))
                    shows(title)
                } && hidden.none { title ->
                    bringIntoView(hasText(title))
                    shows(title)
                }
            }
        } catch (e: Throwable) {
            write(File(root(), "failed/${device.language.name.lowercase()}-${System.nanoTime()}.png"))
            throw e
        }
    }

    /** The fixed words of a text with placeholders, up to its first one ("Last synced"). */
    fun lead(key: S): String = texts(device.language).getValue(key).substringBefore('%').trim()

    /** Taps the icon button described as [description] (Back, Remove photo). */
    fun tapIcon(description: String) {
        ui.waitUntil("\"$description\" shown", PATIENCE_MS) {
            ui.onAllNodes(hasContentDescription(description)).fetchSemanticsNodes().isNotEmpty()
        }
        ui.onAllNodes(hasContentDescription(description) and hasClickAction())[0].performClick()
        ui.waitForIdle()
    }

    /** Waits until something described as [description] (a badge, an icon) is shown. */
    fun waitForDescription(description: String) {
        ui.waitUntil("\"$description\" shown", PATIENCE_MS) {
            ui.onAllNodes(hasContentDescription(description), useUnmergedTree = true).fetchSemanticsNodes().isNotEmpty()
        }
    }

    fun waitGoneDescription(description: String) {
        ui.waitUntil("\"$description\" gone", PATIENCE_MS) {
            ui.onAllNodes(hasContentDescription(description), useUnmergedTree = true).fetchSemanticsNodes().isEmpty()
        }
    }

    /** Waits until an image described as [description] is shown. */
    fun waitForImage(description: String) {
        ui.waitUntil("image \"$description\" shown", PATIENCE_MS) {
            ui.onAllNodes(hasContentDescription(description), useUnmergedTree = true).fetchSemanticsNodes().isNotEmpty()
        }
    }

    fun signIn(account: String, password: String = "aduan-demo") {
        type(t(S.signin_account), account)
        type(t(S.signin_password), password)
        tap(t(S.signin_button))
    }

    /** Every text, field value and description on the screen now. */
    fun visibleTexts(): List<String> {
        val out = mutableListOf<String>()
        fun walk(node: SemanticsNode) {
            node.config.getOrNull(SemanticsProperties.Text)?.forEach { out += it.text }
            node.config.getOrNull(SemanticsProperties.EditableText)?.let { out += it.text }
            node.config.getOrNull(SemanticsProperties.ContentDescription)?.let { out += it }
            node.children.forEach(::walk)
        }
        ui.onAllNodes(isRoot(), useUnmergedTree = true).fetchSemanticsNodes().forEach(::walk)
        return out
    }

    /**
     * Writes target/screenshots/<size>/<language>/<name>.png, after checking the screen shows no
     * raw key (a name of S) and no sentence of the other language the app could have translated.
     */
    fun screenshot(name: String) {
        ui.waitForIdle()
        val other = if (device.language == Language.EN) Indonesian else English
        val mine = if (device.language == Language.EN) English else Indonesian
        val keys = S.entries.map { it.name }.toSet()
        val untranslated = S.entries.filter { other[it] != mine[it] }.mapNotNull { other[it] }.toSet()
        val texts = visibleTexts()
        val raw = texts.filter { it in keys }
        check(raw.isEmpty()) { "$name shows raw string keys: $raw" }
        val foreign = texts.filter { it in untranslated }
        check(foreign.isEmpty()) { "$name (${device.language}) shows untranslated text: $foreign" }
        write(File(root(), "${screen.name.lowercase()}/${device.language.name.lowercase()}/$name.png"))
    }

    private fun root() = File(System.getProperty("aduan.screenshots") ?: "target/screenshots")

    private fun write(file: File) {
        file.parentFile.mkdirs()
        val bitmap = ui.captureToImage().asSkiaBitmap()
        file.writeBytes(Image.makeFromBitmap(bitmap).encodeToData(EncodedImageFormat.PNG)!!.bytes)
    }
}

