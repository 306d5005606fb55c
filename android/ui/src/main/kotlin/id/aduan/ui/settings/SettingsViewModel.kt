package id.aduan.ui.settings

import androidx.lifecycle.ViewModel
import androidx.lifecycle.viewModelScope
import id.aduan.ui.platform.AppEnvironment
import id.aduan.ui.common.UiMessage
import id.aduan.ui.common.toUiMessage
import id.aduan.ui.strings.S
import id.aduan.core.AduanException
import id.aduan.core.Identity
import id.aduan.core.InstitutionView
import id.aduan.core.Language
import id.aduan.core.UnsyncedWork
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.SharingStarted
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.combine
import kotlinx.coroutines.flow.stateIn
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch

/** The sign-out confirmation, from the moment it is asked for until the app leaves for sign-in. */
data class SignOutDialog(
    /** Core is asked what signing out would lose. */
    val checking: Boolean = true,
    /** What would be lost (null while checking, or when core could not say). */
    val work: UnsyncedWork? = null,
    /** "Sync first" runs. */
    val syncing: Boolean = false,
    val signingOut: Boolean = false,
    /** Why the last step did not get through (no signal, a refusal, work still left). */
    val message: UiMessage? = null,
) {
    /** Something the server does not have would be lost (or core could not say). */
    val losesWork: Boolean get() = !checking && (work == null || !work.isEmpty())
    val busy: Boolean get() = checking || syncing || signingOut
}

fun UnsyncedWork.isEmpty(): Boolean = complaints + changes + photos + refused == 0uL

data class SettingsUiState(
    val language: Language = Language.ID,
    val fullPhotosOnMobileData: Boolean = false,
    val identity: Identity? = null,
    val serverUrl: String? = null,
    val institutions: List<InstitutionView> = emptyList(),
    /** The sign-out confirmation on screen, or null. */
    val signOut: SignOutDialog? = null,
) {
    val institutionName: String?
        get() = identity?.institutionId?.let { id -> institutions.firstOrNull { it.id == id }?.name ?: id }

    val unitName: String?
        get() = identity?.unitId?.let { id -> institutions.flatMap { it.units }.firstOrNull { it.id == id }?.name ?: id }
}

/**
 * The language, the photo upload choice, who is signed in to which server, and signing out:
 * core is asked first what would be lost, and the person chooses to sync first, discard it, or stay.
 */
class SettingsViewModel(private val app: AppEnvironment) : ViewModel() {
    private val institutions = MutableStateFlow<List<InstitutionView>>(emptyList())
    private val signOut = MutableStateFlow<SignOutDialog?>(null)

    val state: StateFlow<SettingsUiState> = combine(
        combine(
            app.settings.language,
            app.settings.uploadFullPhotosOnMobileData,
            app.repository.identityFlow(),
            app.repository.syncStatus,
            institutions,
        ) { language, fullPhotos, identity, status, institutions ->
            SettingsUiState(language, fullPhotos, identity, status?.serverUrl, institutions)
        },
        signOut,
    ) { settings, dialog -> settings.copy(signOut = dialog) }
        .stateIn(viewModelScope, SharingStarted.WhileSubscribed(5_000), SettingsUiState(language = app.settings.language.value))

    init {
        viewModelScope.launch { institutions.value = app.repository.institutions() }
    }

    /** Core's labels switch at once; the activity then recreates itself in the new language. */
    fun setLanguage(language: Language) = app.changeLanguage(language)

    fun setFullPhotosOnMobileData(allowed: Boolean) = app.settings.setUploadFullPhotosOnMobileData(allowed)

    /** Opens the confirmation, once core has said what signing out would lose. */
    fun askSignOut() {
        if (signOut.value != null) return
        signOut.value = SignOutDialog()
        viewModelScope.launch { check(message = null) }
    }

    fun dismissSignOut() {
        if (signOut.value?.busy == true) return
        signOut.value = null
    }

    /**
     * Sends everything first (full-size photos too, whatever the network: the person asked for
     * it to leave), then signs out if nothing is left; otherwise says what is still here.
     */
    fun syncFirst() {
        val dialog = signOut.value ?: return
        if (dialog.busy) return
        if (!app.network.now().connected) {
            signOut.update { it?.copy(message = UiMessage.Resource(S.signout_offline)) }
            return
        }
        signOut.update { it?.copy(syncing = true, message = null) }
        viewModelScope.launch {
            val failure = try {
                app.repository.sync(uploadFullPhotos = true)
                null
            } catch (e: AduanException) {
                e.toUiMessage()
            }
            val left = try {
                app.repository.unsyncedWork()
            } catch (e: AduanException) {
                signOut.update { it?.copy(syncing = false, work = null, message = e.toUiMessage()) }
                return@launch
            }
            if (left.isEmpty()) {
                signOut.update { it?.copy(syncing = false, work = left) }
                signOutNow(discardUnsynced = false)
            } else {
                signOut.update {
                    it?.copy(syncing = false, work = left, message = failure ?: UiMessage.Resource(S.signout_still_unsynced))
                }
            }
        }
    }

    /** Signs out: [discardUnsynced] once the person chose to lose what is not sent. */
    fun signOut(discardUnsynced: Boolean) {
        val dialog = signOut.value ?: return
        if (dialog.busy) return
        signOutNow(discardUnsynced)
    }

    private fun signOutNow(discardUnsynced: Boolean) {
        signOut.update { it?.copy(signingOut = true, message = null) }
        viewModelScope.launch {
            try {
                // Core forgets the identity: the app goes back to the sign-in screen by itself.
                app.repository.signOut(discardUnsynced)
            } catch (e: AduanException.NotAllowed) {
                // Work arrived since the question (a sync brought a refusal, a step was saved): ask again.
                signOut.update { it?.copy(signingOut = false) }
                check(message = if (e.code == "unsynced_work") null else e.toUiMessage())
            } catch (e: AduanException) {
                signOut.update { it?.copy(signingOut = false, message = e.toUiMessage()) }
            }
        }
    }

    private suspend fun check(message: UiMessage?) {
        try {
            val work = app.repository.unsyncedWork()
            signOut.update { it?.copy(checking = false, work = work, message = message) }
        } catch (e: AduanException) {
            signOut.update { it?.copy(checking = false, work = null, message = e.toUiMessage()) }
        }
    }
}
