package id.aduan.ui.settings

import androidx.lifecycle.ViewModel
import androidx.lifecycle.viewModelScope
import id.aduan.core.AduanException
import id.aduan.core.Language
import id.aduan.core.NotificationChannel
import id.aduan.core.NotificationChoice
import id.aduan.core.NotificationKind
import id.aduan.core.NotificationKindView
import id.aduan.core.NotificationPreferences
import id.aduan.ui.common.UiMessage
import id.aduan.ui.common.toUiMessage
import id.aduan.ui.notificationKindsFor
import id.aduan.ui.platform.AppEnvironment
import id.aduan.ui.strings.S
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch

data class NotificationSettingsUiState(
    val loading: Boolean = true,
    /** Why the choices could not be read (no signal, or the server's reason); the screen offers a retry. */
    val loadError: UiMessage? = null,
    /** The kinds that matter to the signed-in role, labelled by core in the app's language. */
    val kinds: List<NotificationKindView> = emptyList(),
    /** The choices as read from the server, with the person's edits; null until read. */
    val preferences: NotificationPreferences? = null,
    val saving: Boolean = false,
    val saveError: UiMessage? = null,
    val saved: Boolean = false,
) {
    val email: String get() = preferences?.email.orEmpty()

    /** Empty (no e-mail) or something with an @ and a dot after it; the server checks the rest. */
    val emailValid: Boolean
        get() {
            val e = email.trim()
            val at = e.indexOf('@')
            return e.isEmpty() || (at > 0 && e.lastIndexOf('.') > at + 1 && !e.endsWith('.') && e.none(Char::isWhitespace))
        }

    val canSave: Boolean get() = preferences != null && !saving && emailValid

    /** Every kind on every channel is on until turned off (the server's rule). */
    fun enabled(kind: NotificationKind, channel: NotificationChannel): Boolean =
        preferences?.choices?.firstOrNull { it.kind == kind && it.channel == channel }?.enabled ?: true
}

/**
 * The person's choice of notification kinds per channel, their e-mail address and the language
 * of e-mails. They live on the server (each read and save is a round trip), so with no signal
 * the screen says so and offers a retry instead of showing stale or made-up choices.
 */
class NotificationSettingsViewModel(private val app: AppEnvironment) : ViewModel() {
    private val mutable = MutableStateFlow(NotificationSettingsUiState())
    val state: StateFlow<NotificationSettingsUiState> = mutable.asStateFlow()

    init {
        load()
    }

    fun load() {
        mutable.update { it.copy(loading = true, loadError = null) }
        viewModelScope.launch {
            if (!app.network.now().connected) {
                mutable.update { it.copy(loading = false, loadError = UiMessage.Resource(S.notification_prefs_offline)) }
                return@launch
            }
            try {
                val role = app.repository.identity()?.role
                val wanted = role?.let(::notificationKindsFor).orEmpty()
                val kinds = app.repository.notificationKinds().filter { it.kind in wanted }
                val preferences = app.repository.notificationPreferences()
                mutable.update { it.copy(loading = false, kinds = kinds, preferences = preferences) }
            } catch (e: AduanException) {
                mutable.update { it.copy(loading = false, loadError = e.toUiMessage()) }
            }
        }
    }

    fun setEnabled(kind: NotificationKind, channel: NotificationChannel, enabled: Boolean) = edit { p ->
        val others = p.choices.filterNot { it.kind == kind && it.channel == channel }
        p.copy(choices = others + NotificationChoice(kind, channel, enabled))
    }

    fun setEmail(value: String) = edit { it.copy(email = value) }

    fun setEmailLanguage(language: Language) = edit { it.copy(language = language) }

    fun save() {
        val s = state.value
        val preferences = s.preferences ?: return
        if (!s.canSave) return
        if (!app.network.now().connected) {
            mutable.update { it.copy(saveError = UiMessage.Resource(S.notification_prefs_offline), saved = false) }
            return
        }
        mutable.update { it.copy(saving = true, saveError = null, saved = false) }
        viewModelScope.launch {
            try {
                val stored = app.repository.setNotificationPreferences(preferences.copy(email = preferences.email.trim()))
                mutable.update { it.copy(saving = false, saved = true, preferences = stored) }
            } catch (e: AduanException) {
                mutable.update { it.copy(saving = false, saveError = e.toUiMessage()) }
            }
        }
    }

    private fun edit(change: (NotificationPreferences) -> NotificationPreferences) = mutable.update { s ->
        val p = s.preferences ?: return@update s
        s.copy(preferences = change(p), saved = false, saveError = null)
    }
}
