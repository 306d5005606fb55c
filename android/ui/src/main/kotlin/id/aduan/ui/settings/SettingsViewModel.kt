package id.aduan.ui.settings

import androidx.lifecycle.ViewModel
import androidx.lifecycle.viewModelScope
import id.aduan.ui.platform.AppEnvironment
import id.aduan.core.Identity
import id.aduan.core.InstitutionView
import id.aduan.core.Language
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.SharingStarted
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.combine
import kotlinx.coroutines.flow.stateIn
import kotlinx.coroutines.launch

data class SettingsUiState(
    val language: Language = Language.ID,
    val fullPhotosOnMobileData: Boolean = false,
    val identity: Identity? = null,
    val serverUrl: String? = null,
    val institutions: List<InstitutionView> = emptyList(),
) {
    val institutionName: String?
        get() = identity?.institutionId?.let { id -> institutions.firstOrNull { it.id == id }?.name ?: id }

    val unitName: String?
        get() = identity?.unitId?.let { id -> institutions.flatMap { it.units }.firstOrNull { it.id == id }?.name ?: id }
}

/** The language, the photo upload choice, and who is signed in to which server. */
class SettingsViewModel(private val app: AppEnvironment) : ViewModel() {
    private val institutions = MutableStateFlow<List<InstitutionView>>(emptyList())

    val state: StateFlow<SettingsUiState> = combine(
        app.settings.language,
        app.settings.uploadFullPhotosOnMobileData,
        app.repository.identityFlow(),
        app.repository.syncStatus,
        institutions,
    ) { language, fullPhotos, identity, status, institutions ->
        SettingsUiState(language, fullPhotos, identity, status?.serverUrl, institutions)
    }.stateIn(viewModelScope, SharingStarted.WhileSubscribed(5_000), SettingsUiState(language = app.settings.language.value))

    init {
        viewModelScope.launch { institutions.value = app.repository.institutions() }
    }

    /** Core's labels switch at once; the activity then recreates itself in the new language. */
    fun setLanguage(language: Language) = app.changeLanguage(language)

    fun setFullPhotosOnMobileData(allowed: Boolean) = app.settings.setUploadFullPhotosOnMobileData(allowed)
}
