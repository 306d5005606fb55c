package id.aduan.ui.settings

import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.size
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.selection.selectable
import androidx.compose.foundation.selection.selectableGroup
import androidx.compose.foundation.verticalScroll
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.automirrored.filled.ExitToApp
import androidx.compose.material.icons.automirrored.filled.KeyboardArrowRight
import androidx.compose.material3.AlertDialog
import androidx.compose.material3.ButtonDefaults
import androidx.compose.material3.Card
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.TextButton
import androidx.compose.material3.Icon
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.RadioButton
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import id.aduan.ui.strings.S
import id.aduan.ui.strings.stringResource
import id.aduan.ui.common.AduanTopBar
import id.aduan.ui.common.ExplainedSwitch
import id.aduan.ui.common.SectionTitle
import id.aduan.ui.common.text
import id.aduan.ui.roleName
import id.aduan.core.Language

@Composable
fun SettingsScreen(
    viewModel: SettingsViewModel,
    syncIndicator: @Composable () -> Unit,
    bottomBar: @Composable () -> Unit,
    onNotifications: () -> Unit,
    onTrack: (serverUrl: String?) -> Unit,
) {
    val state by viewModel.state.collectAsStateWithLifecycle()

    Scaffold(
        topBar = { AduanTopBar(stringResource(S.settings_title), syncIndicator) },
        bottomBar = bottomBar,
    ) { padding ->
        Column(
            modifier = Modifier
                .fillMaxSize()
                .padding(padding)
                .verticalScroll(rememberScrollState())
                .padding(16.dp),
            verticalArrangement = Arrangement.spacedBy(12.dp),
        ) {
            state.identity?.let { identity ->
                Card(Modifier.fillMaxWidth()) {
                    Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
                        Text(identity.displayName, style = MaterialTheme.typography.titleMedium)
                        Text(stringResource(S.settings_account, identity.accountId), style = MaterialTheme.typography.bodySmall)
                        Text(stringResource(S.settings_role, stringResource(roleName(identity.role))), style = MaterialTheme.typography.bodySmall)
                        state.institutionName?.let {
                            Text(stringResource(S.settings_institution, it), style = MaterialTheme.typography.bodySmall)
                        }
                        state.unitName?.let {
                            Text(stringResource(S.settings_unit, it), style = MaterialTheme.typography.bodySmall)
                        }
                        state.serverUrl?.let {
                            Text(stringResource(S.settings_server, it), style = MaterialTheme.typography.bodySmall)
                        }
                    }
                }
            }

            SectionTitle(stringResource(S.settings_language))
            Column(Modifier.selectableGroup()) {
                LanguageRow(stringResource(S.language_indonesian), state.language == Language.ID) {
                    viewModel.setLanguage(Language.ID)
                }
                LanguageRow(stringResource(S.language_english), state.language == Language.EN) {
                    viewModel.setLanguage(Language.EN)
                }
            }

            SectionTitle(stringResource(S.settings_notifications))
            // Kept on the server, read and saved on a screen of its own (a round trip each way).
            OpenRow(
                title = stringResource(S.settings_notifications_open),
                explanation = stringResource(S.settings_notifications_explained),
                onClick = onNotifications,
            )

            SectionTitle(stringResource(S.settings_photos))
            ExplainedSwitch(
                title = stringResource(S.settings_full_photos_mobile),
                explanation = stringResource(S.settings_full_photos_mobile_explained),
                checked = state.fullPhotosOnMobileData,
                onCheckedChange = viewModel::setFullPhotosOnMobileData,
            )

            SectionTitle(stringResource(S.settings_account_section))
            // Any report by its tracking number, as the public sees it (the server is asked).
            OpenRow(
                title = stringResource(S.track_title),
                explanation = stringResource(S.track_open_explained),
                onClick = { onTrack(state.serverUrl) },
            )
            Text(
                stringResource(S.settings_signout_explained),
                style = MaterialTheme.typography.bodySmall,
                color = MaterialTheme.colorScheme.onSurfaceVariant,
            )
            OutlinedButton(
                onClick = viewModel::askSignOut,
                enabled = state.signOut == null,
                colors = ButtonDefaults.outlinedButtonColors(contentColor = MaterialTheme.colorScheme.error),
                modifier = Modifier.fillMaxWidth(),
            ) {
                Icon(Icons.AutoMirrored.Filled.ExitToApp, contentDescription = null, modifier = Modifier.size(18.dp))
                Text(stringResource(S.signout_button), modifier = Modifier.padding(start = 8.dp))
            }
        }
    }
    state.signOut?.let { SignOutConfirmation(it, viewModel) }
}

/** A row that opens a screen of its own: what it is, what it is for, and an arrow. */
@Composable
private fun OpenRow(title: String, explanation: String, onClick: () -> Unit) {
    Row(
        modifier = Modifier
            .fillMaxWidth()
            .clickable(role = Role.Button, onClick = onClick)
            .padding(vertical = 8.dp),
        verticalAlignment = Alignment.CenterVertically,
        horizontalArrangement = Arrangement.spacedBy(16.dp),
    ) {
        Column(Modifier.weight(1f)) {
            Text(title, style = MaterialTheme.typography.bodyLarge)
            Text(
                explanation,
                style = MaterialTheme.typography.bodySmall,
                color = MaterialTheme.colorScheme.onSurfaceVariant,
            )
        }
        Icon(Icons.AutoMirrored.Filled.KeyboardArrowRight, contentDescription = null)
    }
}

/**
 * Signing out, confirmed: a plain question when the server has everything; otherwise what would
 * be lost, with "Sync first", "Sign out and discard" and "Cancel".
 */
@Composable
private fun SignOutConfirmation(dialog: SignOutDialog, viewModel: SettingsViewModel) {
    val colors = MaterialTheme.colorScheme
    AlertDialog(
        onDismissRequest = viewModel::dismissSignOut,
        title = {
            Text(stringResource(if (dialog.losesWork) S.signout_unsynced_title else S.signout_title))
        },
        text = {
            Column(verticalArrangement = Arrangement.spacedBy(8.dp)) {
                when {
                    dialog.checking -> Busy(stringResource(S.signout_checking))
                    dialog.losesWork -> {
                        val work = dialog.work
                        if (work != null) {
                            Text(stringResource(S.signout_unsynced_explained))
                            Column(verticalArrangement = Arrangement.spacedBy(2.dp)) {
                                if (work.complaints > 0uL) {
                                    Bullet(stringResource(S.signout_unsynced_reports, work.complaints.toLong(), work.newComplaints.toLong()))
                                }
                                if (work.changes > 0uL) Bullet(stringResource(S.signout_unsynced_changes, work.changes.toLong()))
                                if (work.photos > 0uL) Bullet(stringResource(S.signout_unsynced_photos, work.photos.toLong()))
                                if (work.refused > 0uL) Bullet(stringResource(S.signout_unsynced_refused, work.refused.toLong()))
                            }
                        }
                    }
                    else -> Text(stringResource(S.signout_plain))
                }
                if (dialog.syncing) Busy(stringResource(S.signout_syncing))
                if (dialog.signingOut) Busy(stringResource(S.signout_busy))
                dialog.message?.let { Text(it.text(), color = colors.error) }
            }
        },
        confirmButton = {
            // Stacked: three choices do not fit side by side on a phone in either language.
            Column(horizontalAlignment = Alignment.End) {
                if (dialog.losesWork) {
                    TextButton(onClick = viewModel::syncFirst, enabled = !dialog.busy) {
                        Text(stringResource(S.signout_sync_first))
                    }
                    TextButton(
                        onClick = { viewModel.signOut(discardUnsynced = true) },
                        enabled = !dialog.busy,
                        colors = ButtonDefaults.textButtonColors(contentColor = colors.error),
                    ) {
                        Text(stringResource(S.signout_discard))
                    }
                } else {
                    TextButton(onClick = { viewModel.signOut(discardUnsynced = false) }, enabled = !dialog.busy) {
                        Text(stringResource(S.signout_button))
                    }
                }
                TextButton(onClick = viewModel::dismissSignOut, enabled = !dialog.syncing && !dialog.signingOut) {
                    Text(stringResource(S.cancel))
                }
            }
        },
    )
}

@Composable
private fun Busy(label: String) {
    Row(verticalAlignment = Alignment.CenterVertically, horizontalArrangement = Arrangement.spacedBy(12.dp)) {
        CircularProgressIndicator(Modifier.size(20.dp), strokeWidth = 2.dp)
        Text(label)
    }
}

@Composable
private fun Bullet(line: String) {
    Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
        Text("•")
        Text(line)
    }
}

/** One language to choose (the app's here, e-mails' on the notification choices). */
@Composable
internal fun LanguageRow(label: String, selected: Boolean, onClick: () -> Unit) {
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
