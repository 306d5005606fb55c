package id.aduan.ui.signin

import androidx.lifecycle.ViewModel
import androidx.lifecycle.viewModelScope
import id.aduan.ui.platform.AppEnvironment
import id.aduan.ui.common.UiMessage
import id.aduan.ui.common.toUiMessage
import id.aduan.core.AduanException
import id.aduan.core.Identity
import id.aduan.core.SignOutReport
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch

data class SignInUiState(
    val serverUrl: String = "",
    val account: String = "",
    val password: String = "",
    val busy: Boolean = false,
    val message: UiMessage? = null,
    /** What the sign-out that led here did, to say so (null when nobody signed out in this run). */
    val signedOut: SignOutReport? = null,
) {
    val canSignIn: Boolean get() = !busy && serverUrl.isNotBlank() && account.isNotBlank() && password.isNotEmpty()
    val canContinueAnonymously: Boolean get() = !busy && serverUrl.isNotBlank()

    /** Tracking asks the typed server, without an account. */
    val canTrack: Boolean get() = !busy && serverUrl.isNotBlank()

    /** The sign-out threw away work the server never got, because the person chose so. */
    val discardedWork: Boolean
        get() = signedOut?.discarded?.let { it.complaints + it.changes + it.photos + it.refused > 0uL } ?: false
}

/**
 * Signs in with an account, or continues without one (the server gives this phone its own
 * citizen identity). Once core holds an identity the app leaves this screen by itself.
 */
class SignInViewModel(private val app: AppEnvironment) : ViewModel() {
    private val mutable = MutableStateFlow(SignInUiState(serverUrl = app.settings.lastServerUrl))
    val state: StateFlow<SignInUiState> = mutable.asStateFlow()

    init {
        viewModelScope.launch {
            app.repository.lastSignOut.collect { report -> mutable.update { it.copy(signedOut = report) } }
        }
    }

    fun setServerUrl(value: String) = mutable.update { it.copy(serverUrl = value, message = null) }

    fun setAccount(value: String) = mutable.update { it.copy(account = value, message = null) }

    fun setPassword(value: String) = mutable.update { it.copy(password = value, message = null) }

    fun signIn() {
        val s = state.value
        if (!s.canSignIn) return
        attempt(s.serverUrl.trim()) { url -> app.repository.login(url, s.account.trim(), s.password) }
    }

    fun continueAnonymously() {
        val s = state.value
        if (!s.canContinueAnonymously) return
        attempt(s.serverUrl.trim()) { url -> app.repository.continueAnonymously(url) }
    }

    private fun attempt(url: String, action: suspend (String) -> Identity) {
        viewModelScope.launch {
            mutable.update { it.copy(busy = true, message = null) }
            try {
                action(url)
                app.settings.lastServerUrl = url
                // Nothing of the account stays on this screen for whoever signs in after a sign-out.
                mutable.update { it.copy(busy = false, account = "", password = "") }
                // Bring this user's reports (or queue) down at once.
                app.syncScheduler.userAsked()
            } catch (e: AduanException) {
                mutable.update { it.copy(busy = false, message = e.toUiMessage()) }
            }
        }
    }
}
