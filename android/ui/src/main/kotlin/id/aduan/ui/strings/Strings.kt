package id.aduan.ui.strings

import androidx.compose.runtime.Composable
import androidx.compose.runtime.ReadOnlyComposable
import androidx.compose.runtime.staticCompositionLocalOf
import id.aduan.core.Language
import java.util.Locale

/** The language the screens are shown in; core labels statuses and steps in the same one. */
val LocalLanguage = staticCompositionLocalOf { Language.ID }

fun texts(language: Language): Map<S, String> = if (language == Language.EN) English else Indonesian

/** The locale dates and numbers are written in, for [language]. */
fun locale(language: Language): Locale = if (language == Language.EN) Locale.ENGLISH else Locale.forLanguageTag("id-ID")

/** [key] in [language], its placeholders filled with [args]. */
fun text(language: Language, key: S, vararg args: Any): String {
    val pattern = texts(language)[key] ?: key.name
    return if (args.isEmpty()) pattern else String.format(locale(language), pattern, *args)
}

/** [key] in the language of the screen (the name kept from Android's resources, on purpose). */
@Composable
@ReadOnlyComposable
fun stringResource(key: S, vararg args: Any): String = text(LocalLanguage.current, key, *args)
