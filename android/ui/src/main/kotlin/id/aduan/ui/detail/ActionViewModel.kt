package id.aduan.ui.detail

import androidx.lifecycle.ViewModel
import androidx.lifecycle.viewModelScope
import id.aduan.ui.platform.AppEnvironment
import id.aduan.ui.strings.S
import id.aduan.ui.strings.stringResource
import id.aduan.ui.common.MAX_PICKED_PHOTOS
import id.aduan.ui.common.PendingPhoto
import id.aduan.ui.common.UiMessage
import id.aduan.ui.common.toUiMessage
import id.aduan.core.ActionKind
import id.aduan.core.AduanException
import id.aduan.core.ComplaintDetail
import id.aduan.core.InstitutionView
import id.aduan.core.UnitView
import id.aduan.core.WorkflowAction
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch

data class ActionUiState(
    val detail: ComplaintDetail? = null,
    val institutions: List<InstitutionView> = emptyList(),
    val note: String = "",
    val evidence: List<PendingPhoto> = emptyList(),
    val institutionId: String? = null,
    val unitId: String? = null,
    val unitQuery: String = "",
    val fieldInspection: Boolean = false,
    val mergeTarget: String = "",
    val anonymous: Boolean = false,
    val confidential: Boolean = false,
    val busy: Boolean = false,
    val message: UiMessage? = null,
    val done: Boolean = false,
) {
    /** Institutions to send the report to: every one but where it already is. */
    val dispatchTargets: List<InstitutionView>
        get() = institutions.filter { it.id != detail?.summary?.institutionId }

    /** Units of the institution holding the report, narrowed by what was typed. */
    val assignableUnits: List<UnitView>
        get() = institutions.firstOrNull { it.id == detail?.summary?.institutionId }
            ?.units.orEmpty()
            .filter { unitQuery.isBlank() || it.name.contains(unitQuery.trim(), ignoreCase = true) }

    /** The step's own parameters are filled in (core judges everything else). */
    fun canSubmit(kind: ActionKind): Boolean {
        if (busy || detail == null) return false
        return when (kind) {
            ActionKind.DISPATCH -> institutionId != null
            ActionKind.ASSIGN -> unitId != null
            ActionKind.MERGE_INTO -> mergeTarget.isNotBlank()
            else -> true
        }
    }
}

/**
 * One workflow step on one complaint: its parameters, a note, and optional photo evidence.
 * Core decides whether the step is allowed; a refusal comes back with its reason.
 */
class ActionViewModel(private val app: AppEnvironment, private val id: String, val kind: ActionKind) : ViewModel() {
    private val mutable = MutableStateFlow(ActionUiState())
    val state: StateFlow<ActionUiState> = mutable.asStateFlow()
    private var nextPhotoKey = 0L

    init {
        viewModelScope.launch {
            try {
                val detail = app.repository.complaint(id).first()
                val institutions = app.repository.institutions()
                mutable.update {
                    it.copy(
                        detail = detail,
                        institutions = institutions,
                        anonymous = detail.summary.anonymous,
                        confidential = detail.summary.confidential,
                    )
                }
            } catch (e: AduanException) {
                mutable.update { it.copy(message = e.toUiMessage()) }
            }
        }
    }

    fun setNote(value: String) = mutable.update { it.copy(note = value, message = null) }

    fun chooseInstitution(id: String?) = mutable.update { it.copy(institutionId = id, message = null) }

    fun chooseUnit(id: String?) = mutable.update { it.copy(unitId = id, message = null) }

    fun setUnitQuery(value: String) = mutable.update { it.copy(unitQuery = value) }

    fun setFieldInspection(value: Boolean) = mutable.update { it.copy(fieldInspection = value) }

    fun setMergeTarget(value: String) = mutable.update { it.copy(mergeTarget = value, message = null) }

    fun setAnonymous(value: Boolean) = mutable.update { it.copy(anonymous = value) }

    fun setConfidential(value: Boolean) = mutable.update { it.copy(confidential = value) }

    fun addEvidence(photos: List<ByteArray>) {
        val room = (MAX_PICKED_PHOTOS - state.value.evidence.size).coerceAtLeast(0)
        val added = photos.take(room).map { PendingPhoto(nextPhotoKey++, it) }
        mutable.update {
            it.copy(
                evidence = it.evidence + added,
                message = if (photos.size > added.size) UiMessage.Resource(S.report_photos_limit) else null,
            )
        }
    }

    fun removeEvidence(key: Long) = mutable.update { s -> s.copy(evidence = s.evidence.filterNot { it.key == key }) }

    fun showMessage(message: UiMessage) = mutable.update { it.copy(message = message) }

    fun submit() {
        val s = state.value
        if (!s.canSubmit(kind)) return
        val action = workflowAction(s) ?: return
        viewModelScope.launch {
            mutable.update { it.copy(busy = true, message = null) }
            try {
                app.repository.perform(id, action, s.note.trim(), s.evidence.map { it.bytes })
                app.syncScheduler.localChange()
                mutable.update { it.copy(busy = false, done = true) }
            } catch (e: AduanException) {
                mutable.update { it.copy(busy = false, message = e.toUiMessage()) }
            }
        }
    }

    private fun workflowAction(s: ActionUiState): WorkflowAction? = when (kind) {
        ActionKind.DISPATCH -> s.institutionId?.let { WorkflowAction.Dispatch(it) }
        ActionKind.ASSIGN -> s.unitId?.let { WorkflowAction.Assign(it, s.fieldInspection) }
        ActionKind.NOT_OUR_AUTHORITY -> WorkflowAction.NotOurAuthority
        ActionKind.DEFER -> WorkflowAction.Defer
        ActionKind.RESUME -> WorkflowAction.Resume
        ActionKind.ARCHIVE -> WorkflowAction.Archive
        ActionKind.MERGE_INTO -> WorkflowAction.MergeInto(s.mergeTarget.trim())
        ActionKind.SET_FLAGS -> WorkflowAction.SetFlags(s.anonymous, s.confidential)
        ActionKind.START_WORK -> WorkflowAction.StartWork
        ActionKind.FOLLOW_UP -> WorkflowAction.FollowUp
        ActionKind.CLOSE -> WorkflowAction.Close
        ActionKind.REOPEN -> WorkflowAction.Reopen
        // Done on the detail screen (reply, rate, add photo) or in the edit form.
        ActionKind.REPLY, ActionKind.RATE, ActionKind.ADD_PHOTO, ActionKind.EDIT -> null
    }
}
