package id.aduan.ui

import androidx.lifecycle.ViewModel
import androidx.lifecycle.viewModelScope
import id.aduan.ui.platform.AppEnvironment
import id.aduan.core.Identity
import kotlinx.coroutines.flow.SharingStarted
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.flow.stateIn

sealed interface Session {
    data object Loading : Session
    data object SignedOut : Session
    data class SignedIn(val identity: Identity) : Session
}

/** Whether core holds an identity yet: the sign-in screen until it does, the app after. */
class SessionViewModel(app: AppEnvironment) : ViewModel() {
    val session: StateFlow<Session> = app.repository.identityFlow()
        .map { identity -> if (identity == null) Session.SignedOut else Session.SignedIn(identity) }
        .stateIn(viewModelScope, SharingStarted.WhileSubscribed(5_000), Session.Loading)
}
