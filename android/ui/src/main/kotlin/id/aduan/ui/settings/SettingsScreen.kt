package id.aduan.ui.settings

import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.selection.selectable
import androidx.compose.foundation.selection.selectableGroup
import androidx.compose.foundation.verticalScroll
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.automirrored.filled.KeyboardArrowRight
import androidx.compose.material3.Card
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
import id.aduan.ui.roleName
import id.aduan.core.Language

@Composable
fun SettingsScreen(
    viewModel: SettingsViewModel,
    syncIndicator: @Composable () -> Unit,
    bottomBar: @Composable () -> Unit,
    onNotifications: () -> Unit,
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
            Row(
                modifier = Modifier
                    .fillMaxWidth()
                    .clickable(role = Role.Button, onClick = onNotifications)
                    .padding(vertical = 8.dp),
                verticalAlignment = Alignment.CenterVertically,
                horizontalArrangement = Arrangement.spacedBy(16.dp),
            ) {
                Column(Modifier.weight(1f)) {
                    Text(stringResource(S.settings_notifications_open), style = MaterialTheme.typography.bodyLarge)
                    Text(
                        stringResource(S.settings_notifications_explained),
                        style = MaterialTheme.typography.bodySmall,
                        color = MaterialTheme.colorScheme.onSurfaceVariant,
                    )
                }
                Icon(Icons.AutoMirrored.Filled.KeyboardArrowRight, contentDescription = null)
            }

            SectionTitle(stringResource(S.settings_photos))
            ExplainedSwitch(
                title = stringResource(S.settings_full_photos_mobile),
                explanation = stringResource(S.settings_full_photos_mobile_explained),
                checked = state.fullPhotosOnMobileData,
                onCheckedChange = viewModel::setFullPhotosOnMobileData,
            )
        }
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
