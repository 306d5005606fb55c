package id.aduan.ui.nearby

import androidx.lifecycle.ViewModel
import androidx.lifecycle.viewModelScope
import id.aduan.core.Area
import id.aduan.core.ComplaintFilter
import id.aduan.core.ComplaintSummary
import id.aduan.core.SortOrder
import id.aduan.ui.common.Loadable
import id.aduan.ui.common.asLoadable
import id.aduan.ui.common.typedFix
import id.aduan.ui.platform.AppEnvironment
import id.aduan.ui.platform.Fix
import id.aduan.ui.platform.LocationUnavailableException
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.Job
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.SharingStarted
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.distinctUntilChanged
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.flow.flatMapLatest
import kotlinx.coroutines.flow.flowOf
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.flow.stateIn
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch
import kotlinx.coroutines.withTimeoutOrNull

/** The distances a person picks from; 1 km to start with. */
enum class Radius(val metres: Int) {
    M500(500),
    KM1(1_000),
    KM5(5_000),
}

data class NearbyUiState(
    val radius: Radius = Radius.KM1,
    val fix: Fix? = null,
    val locating: Boolean = false,
    /** The last attempt found no position (no permission, providers off, or no fix in time). */
    val failed: Boolean = false,
    val typedLatitude: String = "",
    val typedLongitude: String = "",
)

/**
 * The complaints this phone holds within a chosen distance of the person, nearest first: core
 * narrows and orders the list (ComplaintFilter.near, SortOrder.NEAREST) and measures each
 * distance (distanceMetres); the screen only formats it.
 */
class NearbyViewModel(private val app: AppEnvironment) : ViewModel() {
    private val tracker = app.location

    /** A device that can find its position; elsewhere the user types the coordinates. */
    val canLocate: Boolean get() = tracker != null

    private val mutable = MutableStateFlow(NearbyUiState())
    val state: StateFlow<NearbyUiState> = mutable.asStateFlow()

    private var locating: Job? = null

    @OptIn(ExperimentalCoroutinesApi::class)
    val reports: StateFlow<Loadable<List<ComplaintSummary>>?> = mutable
        .map { s -> s.fix?.let { Area(it.latitude, it.longitude, s.radius.metres.toDouble()) } }
        .distinctUntilChanged()
        .flatMapLatest { area ->
            if (area == null) {
                flowOf(null)
            } else {
                app.repository.complaints(ComplaintFilter(near = area, sort = SortOrder.NEAREST, limit = LIMIT)).asLoadable()
            }
        }
        .stateIn(viewModelScope, SharingStarted.WhileSubscribed(5_000), null)

    init {
        if (tracker?.hasPermission() == true) locate()
    }

    fun hasLocationPermission(): Boolean = tracker?.hasPermission() == true

    fun setRadius(radius: Radius) = mutable.update { it.copy(radius = radius) }

    fun onLocationDenied() = mutable.update { it.copy(failed = true, locating = false) }

    /** One position from the device, good to a few hundred metres or the best within the wait. */
    fun locate() {
        val tracker = tracker ?: return mutable.update { it.copy(failed = true) }
        locating?.cancel()
        locating = viewModelScope.launch {
            mutable.update { it.copy(locating = true, failed = false) }
            var best: Fix? = null
            try {
                withTimeoutOrNull(LOCATE_TIMEOUT_MS) {
                    tracker.fixes().first { fix ->
                        best = fix
                        (fix.accuracyM ?: Float.MAX_VALUE) <= GOOD_ENOUGH_M
                    }
                }
            } catch (_: LocationUnavailableException) {
                // told below: no position
            } catch (_: NoSuchElementException) {
                // the providers stopped; the last fix, if any, stands
            }
            val found = best
            mutable.update { it.copy(locating = false, fix = found ?: it.fix, failed = found == null && it.fix == null) }
        }
    }

    /** Coordinates typed as a map shows them (a dot, decimals); the position once both parse and are in range. */
    fun setTypedCoordinates(latitude: String, longitude: String) = mutable.update { s ->
        s.copy(typedLatitude = latitude, typedLongitude = longitude, fix = typedFix(latitude, longitude))
    }

    private companion object {
        const val LIMIT = 200u
        const val LOCATE_TIMEOUT_MS = 30_000L
        const val GOOD_ENOUGH_M = 200f
    }
}
