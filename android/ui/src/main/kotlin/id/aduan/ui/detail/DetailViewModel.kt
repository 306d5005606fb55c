package id.aduan.ui.detail

import androidx.lifecycle.ViewModel
import androidx.lifecycle.viewModelScope
import id.aduan.ui.platform.AppEnvironment
import id.aduan.ui.strings.S
import id.aduan.ui.strings.stringResource
import id.aduan.ui.common.Loadable
import id.aduan.ui.common.UiMessage
import id.aduan.ui.common.asLoadable
import id.aduan.ui.common.toUiMessage
import id.aduan.core.AduanException
import id.aduan.core.ComplaintDetail
import id.aduan.core.ReporterContact
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.SharingStarted
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.stateIn
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch

data class DetailUiState(
    val reply: String = "",
    val stars: Int = 0,
    val ratingNote: String = "",
    val busy: Boolean = false,
    val message: UiMessage? = null,
)

/**
 * One complaint, re-read after every change or sync, and what its reporter does from here:
 * reply, rate, add photos. Workflow steps have their own screen (ActionScreen).
 */
class DetailViewModel(private val app: AppEnvironment, private val id: String) : ViewModel() {
    val detail: StateFlow<Loadable<ComplaintDetail>> = app.repository.complaint(id)
        .asLoadable()
        .stateIn(viewModelScope, SharingStarted.WhileSubscribed(5_000), Loadable.Loading)

    private val mutable = MutableStateFlow(DetailUiState())
    val state: StateFlow<DetailUiState> = mutable.asStateFlow()

    private val reporter = MutableStateFlow<ReporterContact?>(null)

    /**
     * The reporter's contact, only when core gives it (core decides who may know; an anonymous
     * report has none). Asked once when the screen opens: a handler's phone asks the server,
     * and without a signal the card is simply not there.
     */
    val reporterContact: StateFlow<ReporterContact?> = reporter.asStateFlow()

    init {
        viewModelScope.launch {
            reporter.value = try {
                app.repository.reporterContact(id)
            } catch (_: AduanException) {
                null
            }
        }
    }

    /** Thumbnails and full-size photos, from the phone or fetched from the server. */
    suspend fun photo(sha256: String): ByteArray? = app.repository.photo(sha256)

    fun setReply(value: String) = mutable.update { it.copy(reply = value) }

    fun setStars(value: Int) = mutable.update { it.copy(stars = value) }

    fun setRatingNote(value: String) = mutable.update { it.copy(ratingNote = value) }

    fun messageShown() = mutable.update { it.copy(message = null) }

    fun showMessage(message: UiMessage) = mutable.update { it.copy(message = message) }

    fun sendReply() {
        val text = state.value.reply.trim()
        if (text.isEmpty()) return
        write(S.detail_reply_saved, clear = { it.copy(reply = "") }) { app.repository.reply(id, text) }
    }

    fun sendRating() {
        val s = state.value
        if (s.stars !in 1..5) return
        write(S.detail_rating_saved, clear = { it.copy(stars = 0, ratingNote = "") }) {
            app.repository.rate(id, s.stars, s.ratingNote.trim())
        }
    }

    fun addPhotos(photos: List<ByteArray>) {
        if (photos.isEmpty()) return
        write(S.detail_photos_added) { photos.forEach { app.repository.addPhoto(id, it) } }
    }

    private fun write(
        done: S,
        clear: (DetailUiState) -> DetailUiState = { it },
        action: suspend () -> Unit,
    ) {
        if (state.value.busy) return
        viewModelScope.launch {
            mutable.update { it.copy(busy = true, message = null) }
            try {
                action()
                app.syncScheduler.localChange()
                mutable.update { clear(it).copy(busy = false, message = UiMessage.Resource(done)) }
            } catch (e: AduanException) {
                mutable.update { it.copy(busy = false, message = e.toUiMessage()) }
            }
        }
    }
}
