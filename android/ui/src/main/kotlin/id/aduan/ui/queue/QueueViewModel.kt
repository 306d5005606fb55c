package id.aduan.ui.queue

import androidx.lifecycle.ViewModel
import androidx.lifecycle.viewModelScope
import id.aduan.ui.platform.AppEnvironment
import id.aduan.ui.common.Loadable
import id.aduan.ui.common.asLoadable
import id.aduan.core.ComplaintFilter
import id.aduan.core.ComplaintSummary
import id.aduan.core.Identity
import id.aduan.core.Role
import id.aduan.core.SortOrder
import id.aduan.core.Status
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.SharingStarted
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.flatMapLatest
import kotlinx.coroutines.flow.stateIn

/**
 * The handler's work: open complaints with their institution (and unit, for an officer bound
 * to one), soonest deadline first with overdue ones on top (core's SortOrder.DUE_SOONEST).
 * The national administrator sees every open complaint.
 */
class QueueViewModel(app: AppEnvironment, identity: Identity) : ViewModel() {
    private val overdue = MutableStateFlow(false)
    val overdueOnly: StateFlow<Boolean> = overdue.asStateFlow()

    private val base = ComplaintFilter(
        statuses = OPEN,
        institutionId = if (identity.role == Role.NATIONAL_ADMIN) null else identity.institutionId,
        unitId = if (identity.role == Role.OFFICER) identity.unitId else null,
        sort = SortOrder.DUE_SOONEST,
        limit = LIMIT,
    )

    @OptIn(ExperimentalCoroutinesApi::class)
    val complaints: StateFlow<Loadable<List<ComplaintSummary>>> = overdue
        .flatMapLatest { only -> app.repository.complaints(base.copy(overdueOnly = only)).asLoadable() }
        .stateIn(viewModelScope, SharingStarted.WhileSubscribed(5_000), Loadable.Loading)

    fun setOverdueOnly(value: Boolean) {
        overdue.value = value
    }

    private companion object {
        /** Not finished: still waiting for someone to act. */
        val OPEN = listOf(
            Status.SUBMITTED,
            Status.DISPATCHED,
            Status.ASSIGNED,
            Status.IN_PROGRESS,
            Status.FOLLOWED_UP,
            Status.DEFERRED,
        )
        const val LIMIT = 500u
    }
}
