package id.aduan.desktop

import id.aduan.core.Language
import id.aduan.ui.platform.UserSettings
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import java.io.File
import java.util.Locale
import java.util.Properties

/** The user's choices on this computer, in a small properties file beside the store. */
class DesktopSettings(private val file: File, defaultServerUrl: String = "") : UserSettings {
    private val props = Properties().apply { if (file.isFile) file.inputStream().use(::load) }
    private val languageState = MutableStateFlow(
        when (props.getProperty(KEY_LANGUAGE)) {
            "en" -> Language.EN
            "id" -> Language.ID
            else -> if (Locale.getDefault().language == "en") Language.EN else Language.ID
        },
    )
    private val fullPhotosState = MutableStateFlow(props.getProperty(KEY_FULL_PHOTOS) == "true")

    init {
        if (props.getProperty(KEY_SERVER_URL).isNullOrEmpty() && defaultServerUrl.isNotEmpty()) {
            props.setProperty(KEY_SERVER_URL, defaultServerUrl)
        }
    }

    override val language: StateFlow<Language> = languageState.asStateFlow()
    override val uploadFullPhotosOnMobileData: StateFlow<Boolean> = fullPhotosState.asStateFlow()

    override var lastServerUrl: String
        get() = props.getProperty(KEY_SERVER_URL, "")
        set(value) = save(KEY_SERVER_URL, value)

    override fun setLanguage(language: Language) {
        save(KEY_LANGUAGE, if (language == Language.EN) "en" else "id")
        languageState.value = language
    }

    override fun setUploadFullPhotosOnMobileData(allowed: Boolean) {
        save(KEY_FULL_PHOTOS, allowed.toString())
        fullPhotosState.value = allowed
    }

    @Synchronized
    private fun save(key: String, value: String) {
        props.setProperty(key, value)
        file.parentFile?.mkdirs()
        file.outputStream().use { props.store(it, "Aduan desktop settings") }
    }

    private companion object {
        const val KEY_LANGUAGE = "language"
        const val KEY_FULL_PHOTOS = "upload_full_photos_metered"
        const val KEY_SERVER_URL = "server_url"
    }
}
