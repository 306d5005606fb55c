package id.aduan.ui.track

import androidx.lifecycle.ViewModel
import androidx.lifecycle.viewModelScope
import id.aduan.core.AduanException
import id.aduan.core.PublicComplaint
import id.aduan.ui.common.UiMessage
import id.aduan.ui.common.toUiMessage
import id.aduan.ui.platform.AppEnvironment
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch

/** What the last lookup came to. */
sealed interface TrackResult {
    /** Nothing asked yet. */
    data object None : TrackResult
    data object Loading : TrackResult

    /** The server has no public report with that id (unknown and confidential look the same). */
    data object NotFound : TrackResult

    /** No network, or the server could not be reached: the screen offers a retry. */
    data class NoSignal(val offline: Boolean) : TrackResult

    /** The server or core refused, in their own words. */
    data class Failed(val message: UiMessage) : TrackResult

    data class Found(val complaint: PublicComplaint) : TrackResult
}

data class TrackUiState(
    val serverUrl: String,
    val input: String = "",
    /** The typed text cannot be a tracking id (shown once the person asks). */
    val invalid: Boolean = false,
    val result: TrackResult = TrackResult.None,
    /** Institution ids to names, from core's directory, for "handled by". */
    val institutions: Map<String, String> = emptyMap(),
) {
    val canTrack: Boolean get() = input.isNotBlank() && result != TrackResult.Loading

    fun institutionName(id: String?): String? = id?.let { institutions[it] ?: it }
}

/**
 * Looks a report up by its tracking id on [serverUrl], with or without an account: the public
 * view the server gives anyone (status, category, area, timeline, the institution's replies).
 * Nothing is kept on the phone; every lookup is a round trip, so with no signal it says so.
 */
class TrackViewModel(private val app: AppEnvironment, serverUrl: String) : ViewModel() {
    private val mutable = MutableStateFlow(TrackUiState(serverUrl = serverUrl))
    val state: StateFlow<TrackUiState> = mutable.asStateFlow()

    /** The id of the last lookup, for the retry. */
    private var asked: String? = null

    init {
        viewModelScope.launch {
            val names = try {
                app.repository.institutions().associate { it.id to it.name }
            } catch (_: AduanException) {
                emptyMap()
            }
            mutable.update { it.copy(institutions = names) }
        }
    }

    fun setInput(value: String) = mutable.update { it.copy(input = value, invalid = false) }

    fun track() {
        val s = state.value
        if (!s.canTrack) return
        val id = normalizeTrackingId(s.input)
        if (id == null) {
            mutable.update { it.copy(invalid = true) }
            return
        }
        mutable.update { it.copy(input = id, invalid = false) }
        lookUp(id)
    }

    fun retry() {
        asked?.let(::lookUp)
    }

    private fun lookUp(id: String) {
        asked = id
        if (!app.network.now().connected) {
            mutable.update { it.copy(result = TrackResult.NoSignal(offline = true)) }
            return
        }
        mutable.update { it.copy(result = TrackResult.Loading) }
        viewModelScope.launch {
            val result = try {
                app.repository.track(state.value.serverUrl, id)
                    ?.let { TrackResult.Found(it) }
                    ?: TrackResult.NotFound
            } catch (e: AduanException.Sync) {
                // The request never got an answer (core's transient failure); a refusal keeps its words.
                if (e.code == "sync_failed") TrackResult.NoSignal(offline = false) else TrackResult.Failed(e.toUiMessage())
            } catch (e: AduanException) {
                TrackResult.Failed(e.toUiMessage())
            }
            mutable.update { it.copy(result = result) }
        }
    }
}

/** Core's tracking ids: "ADU-" and two groups of five from Crockford's alphabet (no I, L, O, U). */
private const val PART = "[0-9A-HJKMNP-TV-Z]{5}"
private val TRACKING_ID = Regex("ADU-$PART-$PART")
private val BARE_TRACKING_ID = Regex("($PART)-?($PART)")

/**
 * What someone typed, as a tracking id: trimmed, upper case, spaces dropped, "ADU-" added when
 * only the ten characters were typed; null when it cannot be one (core checks it again).
 */
fun normalizeTrackingId(input: String): String? {
    val s = input.filterNot(Char::isWhitespace).uppercase()
    if (TRACKING_ID.matches(s)) return s
    val bare = BARE_TRACKING_ID.matchEntire(s) ?: return null
    return "ADU-${bare.groupValues[1]}-${bare.groupValues[2]}"
}
