package id.aduan.ui.queue

import androidx.lifecycle.ViewModel
import androidx.lifecycle.viewModelScope
import id.aduan.core.AduanException
import id.aduan.core.CategoryView
import id.aduan.core.ComplaintFilter
import id.aduan.core.ComplaintSummary
import id.aduan.core.Identity
import id.aduan.core.InstitutionView
import id.aduan.core.Role
import id.aduan.core.SortOrder
import id.aduan.core.Status
import id.aduan.core.UnitView
import id.aduan.ui.common.Loadable
import id.aduan.ui.common.toUiMessage
import id.aduan.ui.platform.AppEnvironment
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.catch
import kotlinx.coroutines.flow.distinctUntilChanged
import kotlinx.coroutines.flow.flatMapLatest
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch

/** What the handler narrowed the queue to. Core does the narrowing (ComplaintFilter). */
data class QueueFilters(
    val overdueOnly: Boolean = false,
    val text: String = "",
    val status: Status? = null,
    val categoryId: String? = null,
    val unitId: String? = null,
) {
    /** Narrowed beyond "all open" or "overdue only": an empty queue then means nothing matched. */
    val narrowed: Boolean
        get() = text.isNotBlank() || status != null || categoryId != null || unitId != null
}

/** A category offered in the category filter, with its depth in core's tree. */
data class CategoryChoice(val category: CategoryView, val depth: Int)

/** A unit offered in the unit filter, with its depth under its institution (kelurahan under kecamatan). */
data class UnitChoice(val unit: UnitView, val institutionName: String?, val depth: Int)

/** Everything the queue screen draws, in one piece. */
data class QueueUiState(
    val filters: QueueFilters = QueueFilters(),
    val complaints: Loadable<List<ComplaintSummary>> = Loadable.Loading,
    /** Core's category tree, parents before their children. */
    val categories: List<CategoryChoice> = emptyList(),
    /** Units an administrator may narrow to (empty for an officer). */
    val units: List<UnitChoice> = emptyList(),
    /** The unit an officer bound to one always works in: shown, not changeable. */
    val fixedUnit: UnitView? = null,
) {
    val statuses: List<Status> get() = OPEN_STATUSES
}

/** Not finished: still waiting for someone to act. */
val OPEN_STATUSES: List<Status> = listOf(
    Status.SUBMITTED,
    Status.DISPATCHED,
    Status.ASSIGNED,
    Status.IN_PROGRESS,
    Status.FOLLOWED_UP,
    Status.DEFERRED,
)

/**
 * The handler's work: open complaints with their institution (and unit, for an officer bound
 * to one), soonest deadline first with overdue ones on top (core's SortOrder.DUE_SOONEST),
 * narrowed by words, status, category (with everything below it) and, for administrators, unit.
 * The national administrator sees every open complaint.
 */
@OptIn(ExperimentalCoroutinesApi::class)
class QueueViewModel(private val app: AppEnvironment, identity: Identity) : ViewModel() {
    /** An officer bound to a unit sees only it; administrators choose. */
    private val fixedUnitId: String? = if (identity.role == Role.OFFICER) identity.unitId else null
    private val choosesUnit = identity.role == Role.INSTITUTION_ADMIN || identity.role == Role.NATIONAL_ADMIN

    private val base = ComplaintFilter(
        statuses = OPEN_STATUSES,
        institutionId = if (identity.role == Role.NATIONAL_ADMIN) null else identity.institutionId,
        unitId = fixedUnitId,
        sort = SortOrder.DUE_SOONEST,
        limit = LIMIT,
    )

    // Filters change here at once (a search field must not lag behind the keys); the lists read
    // from core land in the same state when they come.
    private val mutable = MutableStateFlow(QueueUiState())
    val state: StateFlow<QueueUiState> = mutable.asStateFlow()

    init {
        viewModelScope.launch {
            mutable.map { it.filters }
                .distinctUntilChanged()
                .flatMapLatest { f ->
                    app.repository.complaints(query(f))
                        .map<List<ComplaintSummary>, Loadable<List<ComplaintSummary>>> { Loadable.Ready(it) }
                        .catch { emit(Loadable.Failed(it.toUiMessage())) }
                }
                // The previous list stays on screen while the next one is read: no flicker as one types.
                .collect { c -> mutable.update { it.copy(complaints = c) } }
        }
        viewModelScope.launch {
            app.repository.categories()
                .catch { emit(emptyList()) }
                .collect { cats -> mutable.update { it.copy(categories = treeOrder(cats)) } }
        }
        viewModelScope.launch {
            val institutions = try {
                app.repository.institutions().filter { identity.institutionId == null || it.id == identity.institutionId }
            } catch (_: AduanException) {
                emptyList()
            }
            mutable.update { s ->
                s.copy(
                    units = if (choosesUnit) unitChoices(institutions, named = identity.role == Role.NATIONAL_ADMIN) else emptyList(),
                    fixedUnit = fixedUnitId?.let { id -> institutions.flatMap { it.units }.firstOrNull { it.id == id } },
                )
            }
        }
    }

    private fun query(f: QueueFilters) = base.copy(
        overdueOnly = f.overdueOnly,
        text = f.text.trim().ifEmpty { null },
        statuses = f.status?.let(::listOf) ?: OPEN_STATUSES,
        categoryId = f.categoryId,
        unitId = fixedUnitId ?: f.unitId,
    )

    private fun filter(change: (QueueFilters) -> QueueFilters) = mutable.update { it.copy(filters = change(it.filters)) }

    fun setOverdueOnly(value: Boolean) = filter { it.copy(overdueOnly = value) }

    fun setText(value: String) = filter { it.copy(text = value) }

    fun chooseStatus(value: Status?) = filter { it.copy(status = value) }

    fun chooseCategory(id: String?) = filter { it.copy(categoryId = id) }

    fun chooseUnit(id: String?) = filter { it.copy(unitId = if (choosesUnit) id else null) }

    fun clearFilters() = filter { QueueFilters() }

    private companion object {
        const val LIMIT = 500u

        /** Parents first, each followed by its children, in core's order. */
        fun treeOrder(categories: List<CategoryView>): List<CategoryChoice> {
            val children = categories.groupBy { it.parentId }
            val ids = categories.map { it.id }.toSet()
            val out = mutableListOf<CategoryChoice>()
            fun add(c: CategoryView, depth: Int) {
                out += CategoryChoice(c, depth)
                children[c.id].orEmpty().forEach { add(it, depth + 1) }
            }
            categories.filter { it.parentId == null || it.parentId !in ids }.forEach { add(it, 0) }
            return out
        }

        /** Each institution's units, parents before children (kecamatan, then its kelurahan). */
        fun unitChoices(institutions: List<InstitutionView>, named: Boolean): List<UnitChoice> =
            institutions.flatMap { institution ->
                val children = institution.units.groupBy { it.parentId }
                val ids = institution.units.map { it.id }.toSet()
                val out = mutableListOf<UnitChoice>()
                fun add(unit: UnitView, depth: Int) {
                    out += UnitChoice(unit, if (named) institution.name else null, depth)
                    children[unit.id].orEmpty().forEach { add(it, depth + 1) }
                }
                institution.units.filter { it.parentId == null || it.parentId !in ids }.forEach { add(it, 0) }
                out
            }
    }
}
