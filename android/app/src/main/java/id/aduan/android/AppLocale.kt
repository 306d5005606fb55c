package id.aduan.android

import android.content.Context
import android.content.res.Configuration
import android.os.LocaleList
import id.aduan.core.Language
import java.util.Locale

/**
 * Gives the activity the app's own language, whatever the phone's is. res/values is Bahasa
 * Indonesia and res/values-en English, so any non-English locale resolves to Indonesian.
 */
object AppLocale {
    fun wrap(base: Context, language: Language): Context {
        val locale = Locale.forLanguageTag(language.tag)
        val configuration = Configuration(base.resources.configuration)
        configuration.setLocales(LocaleList(locale))
        return base.createConfigurationContext(configuration)
    }
}
