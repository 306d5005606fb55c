package id.aduan.ui.detail

import androidx.compose.foundation.horizontalScroll
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.imePadding
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.size
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.selection.selectable
import androidx.compose.foundation.selection.selectableGroup
import androidx.compose.foundation.shape.RoundedCornerShape
import androidx.compose.foundation.verticalScroll
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.filled.Close
import androidx.compose.material3.Button
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.FilledTonalIconButton
import androidx.compose.material3.Icon
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.RadioButton
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.draw.clip
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import id.aduan.ui.strings.S
import id.aduan.ui.strings.stringResource
import id.aduan.ui.common.AduanTopBar
import id.aduan.ui.common.ExplainedSwitch
import id.aduan.ui.common.MAX_PICKED_PHOTOS
import id.aduan.ui.common.PendingPhotoImage
import id.aduan.ui.common.SectionTitle
import id.aduan.ui.platform.LocalPlatform
import id.aduan.ui.common.text
import id.aduan.core.ActionKind

/** The form for one workflow step, opened from the detail screen's buttons. */
@Composable
fun ActionScreen(
    viewModel: ActionViewModel,
    syncIndicator: @Composable () -> Unit,
    onBack: () -> Unit,
    onDone: () -> Unit,
) {
    val state by viewModel.state.collectAsStateWithLifecycle()
    val kind = viewModel.kind
    LaunchedEffect(state.done) { if (state.done) onDone() }
    val photoSources = LocalPlatform.current.rememberPhotoSources(onPhotos = viewModel::addEvidence, onError = viewModel::showMessage)

    Scaffold(topBar = { AduanTopBar(stringResource(actionButton(kind)), syncIndicator, onBack) }) { padding ->
        Column(
            modifier = Modifier
                .fillMaxSize()
                .padding(padding)
                .imePadding()
                .verticalScroll(rememberScrollState())
                .padding(16.dp),
            verticalArrangement = Arrangement.spacedBy(12.dp),
        ) {
            state.detail?.let { detail ->
                Text(
                    stringResource(S.action_on, detail.summary.trackingId, detail.summary.title),
                    style = MaterialTheme.typography.titleMedium,
                )
                Text(
                    stringResource(S.action_current_status, detail.summary.statusLabel),
                    style = MaterialTheme.typography.bodyMedium,
                    color = MaterialTheme.colorScheme.onSurfaceVariant,
                )
            }
            Text(stringResource(actionExplained(kind)), style = MaterialTheme.typography.bodyMedium)

            when (kind) {
                ActionKind.DISPATCH -> {
                    SectionTitle(stringResource(S.action_choose_institution))
                    Column(Modifier.selectableGroup()) {
                        state.dispatchTargets.forEach { institution ->
                            ChoiceRow(
                                label = institution.name,
                                selected = institution.id == state.institutionId,
                                onClick = { viewModel.chooseInstitution(institution.id) },
                            )
                        }
                    }
                }
                ActionKind.ASSIGN -> {
                    SectionTitle(stringResource(S.action_choose_unit))
                    OutlinedTextField(
                        value = state.unitQuery,
                        onValueChange = viewModel::setUnitQuery,
                        label = { Text(stringResource(S.action_search_unit)) },
                        singleLine = true,
                        modifier = Modifier.fillMaxWidth(),
                    )
                    Column(Modifier.selectableGroup()) {
                        state.assignableUnits.forEach { unit ->
                            ChoiceRow(
                                label = unit.name,
                                selected = unit.id == state.unitId,
                                onClick = { viewModel.chooseUnit(unit.id) },
                            )
                        }
                    }
                    ExplainedSwitch(
                        title = stringResource(S.action_field_inspection),
                        explanation = stringResource(S.action_field_inspection_explained),
                        checked = state.fieldInspection,
                        onCheckedChange = viewModel::setFieldInspection,
                    )
                }
                ActionKind.MERGE_INTO -> {
                    OutlinedTextField(
                        value = state.mergeTarget,
                        onValueChange = viewModel::setMergeTarget,
                        label = { Text(stringResource(S.action_merge_target)) },
                        supportingText = { Text(stringResource(S.action_merge_target_hint)) },
                        singleLine = true,
                        modifier = Modifier.fillMaxWidth(),
                    )
                }
                ActionKind.SET_FLAGS -> {
                    ExplainedSwitch(
                        title = stringResource(S.report_anonymous),
                        explanation = stringResource(S.report_anonymous_explained),
                        checked = state.anonymous,
                        onCheckedChange = viewModel::setAnonymous,
                    )
                    ExplainedSwitch(
                        title = stringResource(S.report_confidential),
                        explanation = stringResource(S.report_confidential_explained),
                        checked = state.confidential,
                        onCheckedChange = viewModel::setConfidential,
                    )
                }
                else -> Unit
            }

            SectionTitle(stringResource(S.action_note_title))
            OutlinedTextField(
                value = state.note,
                onValueChange = viewModel::setNote,
                label = {
                    Text(stringResource(if (kind == ActionKind.FOLLOW_UP) S.action_note_follow_up else S.action_note))
                },
                minLines = 3,
                modifier = Modifier.fillMaxWidth(),
            )

            SectionTitle(stringResource(S.action_evidence))
            Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                val room = state.evidence.size < MAX_PICKED_PHOTOS
                photoSources.takePhoto?.let { take ->
                    OutlinedButton(onClick = take, enabled = room) { Text(stringResource(S.photo_take)) }
                }
                OutlinedButton(onClick = photoSources.pickPhotos, enabled = room) { Text(stringResource(S.photo_pick)) }
            }
            if (state.evidence.isNotEmpty()) {
                Row(Modifier.horizontalScroll(rememberScrollState()), horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                    state.evidence.forEachIndexed { index, photo ->
                        Box {
                            PendingPhotoImage(
                                photo = photo,
                                contentDescription = stringResource(S.photo_number, index + 1),
                                modifier = Modifier.size(88.dp).clip(RoundedCornerShape(8.dp)),
                            )
                            FilledTonalIconButton(
                                onClick = { viewModel.removeEvidence(photo.key) },
                                modifier = Modifier.align(Alignment.TopEnd).size(32.dp),
                            ) {
                                Icon(Icons.Filled.Close, contentDescription = stringResource(S.photo_remove))
                            }
                        }
                    }
                }
            }

            state.message?.let { Text(it.text(), color = MaterialTheme.colorScheme.error) }

            Button(onClick = viewModel::submit, enabled = state.canSubmit(kind), modifier = Modifier.fillMaxWidth()) {
                if (state.busy) {
                    CircularProgressIndicator(
                        modifier = Modifier.size(18.dp),
                        color = MaterialTheme.colorScheme.onPrimary,
                        strokeWidth = 2.dp,
                    )
                } else {
                    Text(stringResource(actionButton(kind)))
                }
            }
            Text(
                stringResource(S.action_saved_offline_note),
                style = MaterialTheme.typography.bodySmall,
                color = MaterialTheme.colorScheme.onSurfaceVariant,
            )
        }
    }
}

@Composable
private fun ChoiceRow(label: String, selected: Boolean, onClick: () -> Unit) {
    Row(
        modifier = Modifier
            .fillMaxWidth()
            .selectable(selected = selected, role = Role.RadioButton, onClick = onClick)
            .padding(vertical = 6.dp),
        verticalAlignment = Alignment.CenterVertically,
    ) {
        RadioButton(selected = selected, onClick = null)
        Text(label, style = MaterialTheme.typography.bodyLarge, modifier = Modifier.padding(start = 12.dp))
    }
}
