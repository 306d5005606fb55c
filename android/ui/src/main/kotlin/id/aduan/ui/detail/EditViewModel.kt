package id.aduan.ui.detail

import androidx.lifecycle.ViewModel
import androidx.lifecycle.viewModelScope
import id.aduan.core.AduanException
import id.aduan.core.ComplaintDetail
import id.aduan.core.ComplaintEdit
import id.aduan.ui.common.UiMessage
import id.aduan.ui.common.toUiMessage
import id.aduan.ui.platform.AppEnvironment
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.catch
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch

data class EditUiState(
    /** The report as core has it now; null until read. */
    val detail: ComplaintDetail? = null,
    val title: String = "",
    val description: String = "",
    val address: String = "",
    val busy: Boolean = false,
    /** Core's refusal, or why the report could not be read. */
    val message: UiMessage? = null,
    val done: Boolean = false,
) {
    /** What the form would change, as core takes it: only the fields that differ. */
    val edit: ComplaintEdit?
        get() {
            val d = detail ?: return null
            val title = title.trim().takeIf { it != d.summary.title }
            val description = description.trim().takeIf { it != d.description }
            val location = address.trim().takeIf { it != d.location.address }?.let { d.location.copy(address = it) }
            if (title == null && description == null && location == null) return null
            return ComplaintEdit(title = title, description = description, location = location)
        }

    val filled: Boolean get() = title.isNotBlank() && description.isNotBlank()

    val canSave: Boolean get() = !busy && filled && edit != null
}

/**
 * The reporter's own report, changed while core still allows it (the detail offers the form
 * only then). Saved on the phone first like every write; core's refusal is shown as it says it.
 */
class EditViewModel(private val app: AppEnvironment, private val id: String) : ViewModel() {
    private val mutable = MutableStateFlow(EditUiState())
    val state: StateFlow<EditUiState> = mutable.asStateFlow()

    init {
        // Prefilled once; the report itself stays current (a sync may move it on while the form
        // is open, and core then refuses the change with its reason).
        viewModelScope.launch {
            app.repository.complaint(id)
                .catch { e -> mutable.update { it.copy(message = e.toUiMessage()) } }
                .collect { detail ->
                    mutable.update {
                        if (it.detail == null) {
                            it.copy(
                                detail = detail,
                                title = detail.summary.title,
                                description = detail.description,
                                address = detail.location.address,
                            )
                        } else {
                            it.copy(detail = detail)
                        }
                    }
                }
        }
    }

    fun setTitle(value: String) = mutable.update { it.copy(title = value, message = null) }

    fun setDescription(value: String) = mutable.update { it.copy(description = value, message = null) }

    fun setAddress(value: String) = mutable.update { it.copy(address = value, message = null) }

    fun save() {
        val s = state.value
        if (!s.canSave) return
        val edit = s.edit ?: return
        viewModelScope.launch {
            mutable.update { it.copy(busy = true, message = null) }
            try {
                app.repository.editComplaint(id, edit)
                app.syncScheduler.localChange()
                mutable.update { it.copy(busy = false, done = true) }
            } catch (e: AduanException) {
                mutable.update { it.copy(busy = false, message = e.toUiMessage()) }
            }
        }
    }
}
