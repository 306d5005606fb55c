package id.aduan.ui.detail

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.imePadding
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.size
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import id.aduan.core.ActionKind
import id.aduan.ui.common.AduanTopBar
import id.aduan.ui.common.text
import id.aduan.ui.strings.S
import id.aduan.ui.strings.stringResource

/** The reporter's own report, its title, description and address, prefilled to change. */
@Composable
fun EditScreen(
    viewModel: EditViewModel,
    syncIndicator: @Composable () -> Unit,
    onBack: () -> Unit,
    onDone: () -> Unit,
) {
    val state by viewModel.state.collectAsStateWithLifecycle()
    LaunchedEffect(state.done) { if (state.done) onDone() }

    Scaffold(topBar = { AduanTopBar(stringResource(actionButton(ActionKind.EDIT)), syncIndicator, onBack) }) { padding ->
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
                    stringResource(S.action_current_status, detail.summary.statusLabel),
                    style = MaterialTheme.typography.bodyMedium,
                    color = MaterialTheme.colorScheme.onSurfaceVariant,
                )
            }
            // Said only while core still offers the edit (a sync may have moved the report on).
            if (state.detail?.availableActions?.contains(ActionKind.EDIT) != false) {
                Text(stringResource(S.edit_explained), style = MaterialTheme.typography.bodyMedium)
            }
            OutlinedTextField(
                value = state.title,
                onValueChange = viewModel::setTitle,
                label = { Text(stringResource(S.report_field_title)) },
                singleLine = true,
                enabled = state.detail != null,
                modifier = Modifier.fillMaxWidth(),
            )
            OutlinedTextField(
                value = state.description,
                onValueChange = viewModel::setDescription,
                label = { Text(stringResource(S.report_field_description)) },
                minLines = 4,
                enabled = state.detail != null,
                modifier = Modifier.fillMaxWidth(),
            )
            OutlinedTextField(
                value = state.address,
                onValueChange = viewModel::setAddress,
                label = { Text(stringResource(S.report_address)) },
                supportingText = { Text(stringResource(S.report_address_hint)) },
                enabled = state.detail != null,
                modifier = Modifier.fillMaxWidth(),
            )
            if (state.detail != null && !state.filled) {
                Text(stringResource(S.edit_required_fields), color = MaterialTheme.colorScheme.error)
            }
            state.message?.let { Text(it.text(), color = MaterialTheme.colorScheme.error) }

            Button(onClick = viewModel::save, enabled = state.canSave, modifier = Modifier.fillMaxWidth()) {
                if (state.busy) {
                    CircularProgressIndicator(
                        modifier = Modifier.size(18.dp),
                        color = MaterialTheme.colorScheme.onPrimary,
                        strokeWidth = 2.dp,
                    )
                } else {
                    Text(stringResource(S.edit_save))
                }
            }
            Text(
                stringResource(S.edit_saved_offline_note),
                style = MaterialTheme.typography.bodySmall,
                color = MaterialTheme.colorScheme.onSurfaceVariant,
            )
        }
    }
}
