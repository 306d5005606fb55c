package id.aduan.ui.list

import androidx.lifecycle.ViewModel
import androidx.lifecycle.viewModelScope
import id.aduan.ui.platform.AppEnvironment
import id.aduan.ui.common.Loadable
import id.aduan.ui.common.asLoadable
import id.aduan.core.ComplaintFilter
import id.aduan.core.ComplaintSummary
import id.aduan.core.RefusedView
import id.aduan.core.SortOrder
import kotlinx.coroutines.flow.SharingStarted
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.catch
import kotlinx.coroutines.flow.stateIn

/** The user's own reports, most recently changed first, and any refused work. */
class MyReportsViewModel(app: AppEnvironment) : ViewModel() {
    val reports: StateFlow<Loadable<List<ComplaintSummary>>> = app.repository
        .complaints(ComplaintFilter(mineOnly = true, sort = SortOrder.RECENTLY_UPDATED, limit = LIMIT))
        .asLoadable()
        .stateIn(viewModelScope, SharingStarted.WhileSubscribed(5_000), Loadable.Loading)

    val refused: StateFlow<List<RefusedView>> = app.repository.refusedWork()
        .catch { emit(emptyList()) }
        .stateIn(viewModelScope, SharingStarted.WhileSubscribed(5_000), emptyList())

    private companion object {
        const val LIMIT = 500u
    }
}
