package id.aduan.ui.report

import androidx.lifecycle.ViewModel
import androidx.lifecycle.viewModelScope
import id.aduan.ui.platform.AppEnvironment
import id.aduan.ui.strings.S
import id.aduan.ui.strings.stringResource
import id.aduan.ui.platform.Fix
import id.aduan.ui.platform.LocationUnavailableException
import id.aduan.ui.common.MAX_PICKED_PHOTOS
import id.aduan.ui.common.PendingPhoto
import id.aduan.ui.common.UiMessage
import id.aduan.ui.common.toUiMessage
import id.aduan.ui.common.typedFix
import id.aduan.core.AduanException
import id.aduan.core.CategoryView
import id.aduan.core.ComplaintDraft
import id.aduan.core.Location
import id.aduan.core.ReportKind
import kotlinx.coroutines.Job
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.catch
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch
import kotlinx.coroutines.withTimeoutOrNull

/** A kecamatan or kelurahan from core's directory. */
data class AreaUnit(val id: String, val name: String, val parentId: String?, val institutionName: String)

/** The kecamatan and kelurahan the directory knows, for the location pickers. */
data class Areas(val kecamatan: List<AreaUnit> = emptyList(), val kelurahan: List<AreaUnit> = emptyList()) {
    /** More than one city or regency: names alone could be ambiguous. */
    val severalInstitutions: Boolean get() = kecamatan.map { it.institutionName }.distinct().size > 1

    fun kelurahanOf(kecamatanId: String?): List<AreaUnit> = kelurahan.filter { it.parentId == kecamatanId }
}

data class ReportForm(
    val kind: ReportKind = ReportKind.COMPLAINT,
    /** From the top-level category down to the chosen one. */
    val categoryPath: List<String> = emptyList(),
    val title: String = "",
    val description: String = "",
    val photos: List<PendingPhoto> = emptyList(),
    val fix: Fix? = null,
    val typedLatitude: String = "",
    val typedLongitude: String = "",
    val kecamatanId: String? = null,
    val kelurahanId: String? = null,
    val address: String = "",
    val anonymous: Boolean = false,
    val confidential: Boolean = false,
)

data class SavedReport(val id: String, val trackingId: String, val online: Boolean)

data class ReportUiState(
    val form: ReportForm = ReportForm(),
    val categories: List<CategoryView> = emptyList(),
    val areas: Areas = Areas(),
    val locating: Boolean = false,
    val saving: Boolean = false,
    val message: UiMessage? = null,
    val saved: SavedReport? = null,
) {
    val canSave: Boolean
        get() = !saving && form.categoryPath.isNotEmpty() && form.title.isNotBlank() && form.description.isNotBlank()

    fun children(parentId: String?): List<CategoryView> = categories.filter { it.parentId == parentId }
}

/**
 * The report form. Nothing here needs a network: filing is one durable save in core, and the
 * sync scheduler sends it when it can.
 */
class ReportViewModel(private val app: AppEnvironment) : ViewModel() {
    private val tracker = app.location

    /** A device that can find its position; elsewhere the user types the coordinates. */
    val canLocate: Boolean get() = tracker != null

    private val mutable = MutableStateFlow(ReportUiState())
    val state: StateFlow<ReportUiState> = mutable.asStateFlow()

    private var locating: Job? = null
    private var nextPhotoKey = 0L

    init {
        viewModelScope.launch {
            app.repository.categories()
                .catch { e -> mutable.update { it.copy(message = e.toUiMessage()) } }
                .collect { categories -> mutable.update { it.copy(categories = categories) } }
        }
        viewModelScope.launch {
            val units = app.repository.institutions().flatMap { institution ->
                institution.units.map { unit -> AreaUnit(unit.id, unit.name, unit.parentId, institution.name) to unit.kind }
            }
            fun ofKind(kind: String) = units.filter { it.second == kind }.map { it.first }.sortedBy { it.name }
            mutable.update { it.copy(areas = Areas(kecamatan = ofKind(KIND_KECAMATAN), kelurahan = ofKind(KIND_KELURAHAN))) }
        }
    }

    private fun edit(change: (ReportForm) -> ReportForm) =
        mutable.update { it.copy(form = change(it.form), message = null) }

    fun setKind(kind: ReportKind) = edit { it.copy(kind = kind) }

    /** Chooses [categoryId] at [level] of the tree (null clears that level and below). */
    fun chooseCategory(level: Int, categoryId: String?) = edit {
        it.copy(categoryPath = it.categoryPath.take(level) + listOfNotNull(categoryId))
    }

    fun setTitle(value: String) = edit { it.copy(title = value) }

    fun setDescription(value: String) = edit { it.copy(description = value) }

    fun setAddress(value: String) = edit { it.copy(address = value) }

    fun chooseKecamatan(id: String?) = edit { it.copy(kecamatanId = id, kelurahanId = null) }

    fun chooseKelurahan(id: String?) = edit { it.copy(kelurahanId = id) }

    fun setAnonymous(value: Boolean) = edit { it.copy(anonymous = value) }

    fun setConfidential(value: Boolean) = edit { it.copy(confidential = value) }

    fun addPhotos(photos: List<ByteArray>) {
        val room = MAX_PICKED_PHOTOS - state.value.form.photos.size
        val added = photos.take(room.coerceAtLeast(0)).map { PendingPhoto(nextPhotoKey++, it) }
        edit { it.copy(photos = it.photos + added) }
        if (photos.size > added.size) {
            mutable.update { it.copy(message = UiMessage.Resource(S.report_photos_limit)) }
        }
    }

    fun removePhoto(key: Long) = edit { form -> form.copy(photos = form.photos.filterNot { it.key == key }) }

    fun showMessage(message: UiMessage) = mutable.update { it.copy(message = message) }

    fun messageShown() = mutable.update { it.copy(message = null) }

    fun hasLocationPermission(): Boolean = tracker?.hasPermission() == true

    fun onLocationDenied() = showMessage(UiMessage.Resource(S.location_permission_denied))

    /** Listens to the phone's positioning until a fix is good enough or a minute passes. */
    fun locate() {
        val tracker = tracker ?: return showMessage(UiMessage.Resource(S.location_unavailable))
        locating?.cancel()
        locating = viewModelScope.launch {
            mutable.update { it.copy(locating = true, message = null) }
            try {
                withTimeoutOrNull(LOCATE_TIMEOUT_MS) {
                    tracker.fixes().first { fix ->
                        edit { form -> form.copy(fix = better(form.fix, fix)) }
                        (fix.accuracyM ?: Float.MAX_VALUE) <= GOOD_ENOUGH_M
                    }
                }
            } catch (_: LocationUnavailableException) {
                showMessage(UiMessage.Resource(S.location_unavailable))
            } catch (_: NoSuchElementException) {
                // The providers stopped before a good fix; the best one so far stays.
            } finally {
                mutable.update { it.copy(locating = false) }
            }
        }
    }

    fun stopLocating() {
        locating?.cancel()
    }

    fun clearLocation() {
        locating?.cancel()
        edit { it.copy(fix = null, typedLatitude = "", typedLongitude = "") }
    }

    /** Coordinates typed as a map shows them (a dot, decimals); the fix once both parse and are in range. */
    fun setTypedCoordinates(latitude: String, longitude: String) = edit { form ->
        form.copy(typedLatitude = latitude, typedLongitude = longitude, fix = typedFix(latitude, longitude))
    }

    fun save() {
        val s = state.value
        if (!s.canSave) return
        val form = s.form
        val kecamatan = s.areas.kecamatan.firstOrNull { it.id == form.kecamatanId }
        val kelurahan = s.areas.kelurahan.firstOrNull { it.id == form.kelurahanId }
        val draft = ComplaintDraft(
            kind = form.kind,
            categoryId = form.categoryPath.last(),
            title = form.title.trim(),
            description = form.description.trim(),
            location = Location(
                latitude = form.fix?.latitude,
                longitude = form.fix?.longitude,
                accuracyM = form.fix?.accuracyM?.toDouble(),
                address = form.address.trim(),
                province = "",
                city = "",
                kecamatan = kecamatan?.name.orEmpty(),
                kelurahan = kelurahan?.name.orEmpty(),
            ),
            anonymous = form.anonymous,
            confidential = form.confidential,
        )
        locating?.cancel()
        viewModelScope.launch {
            mutable.update { it.copy(saving = true, message = null) }
            try {
                val filed = app.repository.file(draft, form.photos.map { it.bytes })
                app.syncScheduler.localChange()
                val online = app.network.now().connected
                mutable.update {
                    it.copy(saving = false, saved = SavedReport(filed.summary.id, filed.summary.trackingId, online))
                }
            } catch (e: AduanException) {
                mutable.update { it.copy(saving = false, message = e.toUiMessage()) }
            }
        }
    }

    /** Starts an empty form after a report was saved. */
    fun startAnother() = mutable.update { ReportUiState(categories = it.categories, areas = it.areas) }

    private fun better(current: Fix?, next: Fix): Fix {
        if (current == null) return next
        val nextAccuracy = next.accuracyM ?: Float.MAX_VALUE
        val currentAccuracy = current.accuracyM ?: Float.MAX_VALUE
        return if (nextAccuracy <= currentAccuracy) next else current
    }

    override fun onCleared() {
        locating?.cancel()
    }

    private companion object {
        /** Unit kinds in core's directory (InstitutionView.units[].kind). */
        const val KIND_KECAMATAN = "kecamatan"
        const val KIND_KELURAHAN = "kelurahan"
        const val LOCATE_TIMEOUT_MS = 60_000L
        const val GOOD_ENOUGH_M = 10f
    }
}
