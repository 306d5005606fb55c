package id.aduan.android

import android.content.Context
import id.aduan.core.Language
import id.aduan.ui.platform.UserSettings
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import java.util.Locale

/**
 * The few choices the user makes on this phone (kept in SharedPreferences): the app's language,
 * whether full-size photos may go over mobile data, and the last server signed in to.
 */
class AppSettings(context: Context) : UserSettings {
    private val prefs = context.getSharedPreferences(PREFS, Context.MODE_PRIVATE)

    private val languageState = MutableStateFlow(readLanguage())
    private val fullPhotosState = MutableStateFlow(prefs.getBoolean(KEY_FULL_PHOTOS_METERED, false))

    /** Bahasa Indonesia unless the user chose English, or never chose and the phone is English. */
    override val language: StateFlow<Language> = languageState.asStateFlow()

    /** Upload full-size photos on metered networks too (SyncPolicy's fullPhotosOnMeteredNetworks). */
    override val uploadFullPhotosOnMobileData: StateFlow<Boolean> = fullPhotosState.asStateFlow()

    override var lastServerUrl: String
        get() = prefs.getString(KEY_SERVER_URL, "") ?: ""
        set(value) = prefs.edit().putString(KEY_SERVER_URL, value).apply()

    override fun setLanguage(language: Language) {
        prefs.edit().putString(KEY_LANGUAGE, language.tag).apply()
        languageState.value = language
    }

    override fun setUploadFullPhotosOnMobileData(allowed: Boolean) {
        prefs.edit().putBoolean(KEY_FULL_PHOTOS_METERED, allowed).apply()
        fullPhotosState.value = allowed
    }

    private fun readLanguage(): Language = when (prefs.getString(KEY_LANGUAGE, null)) {
        Language.EN.tag -> Language.EN
        Language.ID.tag -> Language.ID
        else -> if (Locale.getDefault().language == "en") Language.EN else Language.ID
    }

    private companion object {
        const val PREFS = "aduan_settings"
        const val KEY_LANGUAGE = "language"
        const val KEY_FULL_PHOTOS_METERED = "upload_full_photos_metered"
        const val KEY_SERVER_URL = "server_url"
    }
}

/** BCP 47 tag of a core language ("id" for Bahasa Indonesia, "en" for English). */
val Language.tag: String
    get() = when (this) {
        Language.ID -> "id"
        Language.EN -> "en"
    }
