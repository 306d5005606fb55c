package id.aduan.ui.settings

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.size
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.selection.selectableGroup
import androidx.compose.foundation.selection.toggleable
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.foundation.verticalScroll
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.filled.Check
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.Icon
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Surface
import androidx.compose.material3.Switch
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.input.ImeAction
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.text.style.TextAlign
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import id.aduan.core.Language
import id.aduan.core.NotificationChannel
import id.aduan.core.NotificationKindView
import id.aduan.ui.common.AduanTopBar
import id.aduan.ui.common.SectionTitle
import id.aduan.ui.common.text
import id.aduan.ui.list.Centered
import id.aduan.ui.strings.S
import id.aduan.ui.strings.stringResource

/** Which kinds of notification reach the person in the app and by e-mail; read from and saved on the server. */
@Composable
fun NotificationSettingsScreen(
    viewModel: NotificationSettingsViewModel,
    syncIndicator: @Composable () -> Unit,
    onBack: () -> Unit,
) {
    val state by viewModel.state.collectAsStateWithLifecycle()

    Scaffold(
        topBar = { AduanTopBar(stringResource(S.notification_prefs_title), syncIndicator, onBack) },
        // Save stays in reach under a long list, with what came of the last save right above it.
        bottomBar = { if (state.preferences != null && state.loadError == null) SaveBar(state, viewModel) },
    ) { padding ->
        val loadError = state.loadError
        when {
            loadError != null -> Centered(Modifier.padding(padding)) {
                Column(horizontalAlignment = Alignment.CenterHorizontally, verticalArrangement = Arrangement.spacedBy(16.dp)) {
                    Text(loadError.text(), color = MaterialTheme.colorScheme.error, textAlign = TextAlign.Center)
                    Button(onClick = viewModel::load) { Text(stringResource(S.notification_prefs_retry)) }
                }
            }
            state.loading || state.preferences == null -> Centered(Modifier.padding(padding)) {
                Column(horizontalAlignment = Alignment.CenterHorizontally, verticalArrangement = Arrangement.spacedBy(16.dp)) {
                    CircularProgressIndicator()
                    Text(stringResource(S.notification_prefs_loading), textAlign = TextAlign.Center)
                }
            }
            else -> Choices(state, viewModel, Modifier.padding(padding))
        }
    }
}

@Composable
private fun Choices(state: NotificationSettingsUiState, viewModel: NotificationSettingsViewModel, modifier: Modifier) {
    Column(
        modifier = modifier
            .fillMaxSize()
            .verticalScroll(rememberScrollState())
            .padding(16.dp),
        verticalArrangement = Arrangement.spacedBy(12.dp),
    ) {
        Text(
            stringResource(S.notification_prefs_explained),
            style = MaterialTheme.typography.bodyMedium,
            color = MaterialTheme.colorScheme.onSurfaceVariant,
        )

        SectionTitle(stringResource(S.notification_prefs_kinds))
        state.kinds.forEach { kind -> KindCard(kind, state, viewModel) }

        SectionTitle(stringResource(S.notification_prefs_email_section))
        OutlinedTextField(
            value = state.email,
            onValueChange = viewModel::setEmail,
            label = { Text(stringResource(S.notification_prefs_email)) },
            supportingText = {
                Text(stringResource(if (state.emailValid) S.notification_prefs_email_hint else S.notification_prefs_email_invalid))
            },
            isError = !state.emailValid,
            singleLine = true,
            enabled = !state.saving,
            keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.Email, imeAction = ImeAction.Done),
            modifier = Modifier.fillMaxWidth(),
        )

        Text(stringResource(S.notification_prefs_email_language), style = MaterialTheme.typography.titleSmall)
        val language = state.preferences?.language
        Column(Modifier.selectableGroup()) {
            LanguageRow(stringResource(S.language_indonesian), language == Language.ID) {
                viewModel.setEmailLanguage(Language.ID)
            }
            LanguageRow(stringResource(S.language_english), language == Language.EN) {
                viewModel.setEmailLanguage(Language.EN)
            }
        }
    }
}

@Composable
private fun SaveBar(state: NotificationSettingsUiState, viewModel: NotificationSettingsViewModel) {
    Surface(tonalElevation = 3.dp, shadowElevation = 3.dp) {
        Column(
            modifier = Modifier.fillMaxWidth().padding(horizontal = 16.dp, vertical = 12.dp),
            verticalArrangement = Arrangement.spacedBy(8.dp),
        ) {
            state.saveError?.let { Text(it.text(), color = MaterialTheme.colorScheme.error) }
            if (state.saved) {
                Row(verticalAlignment = Alignment.CenterVertically, horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                    Icon(Icons.Filled.Check, contentDescription = null, tint = MaterialTheme.colorScheme.onSurfaceVariant)
                    Text(stringResource(S.notification_prefs_saved), style = MaterialTheme.typography.bodyMedium)
                }
            }
            Button(onClick = viewModel::save, enabled = state.canSave, modifier = Modifier.fillMaxWidth()) {
                if (state.saving) {
                    CircularProgressIndicator(Modifier.size(18.dp), strokeWidth = 2.dp)
                } else {
                    Text(stringResource(S.notification_prefs_save))
                }
            }
        }
    }
}

@Composable
private fun KindCard(kind: NotificationKindView, state: NotificationSettingsUiState, viewModel: NotificationSettingsViewModel) {
    Card(Modifier.fillMaxWidth()) {
        Column(Modifier.padding(horizontal = 16.dp, vertical = 8.dp)) {
            Text(kind.label, style = MaterialTheme.typography.titleMedium, modifier = Modifier.padding(vertical = 4.dp))
            for (channel in listOf(NotificationChannel.PHONE, NotificationChannel.EMAIL)) {
                ChannelSwitch(
                    kindLabel = kind.label,
                    channel = channel,
                    checked = state.enabled(kind.kind, channel),
                    enabled = !state.saving,
                    onCheckedChange = { viewModel.setEnabled(kind.kind, channel, it) },
                )
            }
        }
    }
}

/** One kind on one channel; read out with the kind's name, since every card has the same two rows. */
@Composable
private fun ChannelSwitch(
    kindLabel: String,
    channel: NotificationChannel,
    checked: Boolean,
    enabled: Boolean,
    onCheckedChange: (Boolean) -> Unit,
) {
    val channelLabel = stringResource(
        when (channel) {
            NotificationChannel.PHONE -> S.notification_prefs_phone
            NotificationChannel.EMAIL -> S.notification_prefs_by_email
        },
    )
    val description = stringResource(S.notification_prefs_switch, kindLabel, channelLabel)
    Row(
        modifier = Modifier
            .fillMaxWidth()
            .toggleable(value = checked, enabled = enabled, role = Role.Switch, onValueChange = onCheckedChange)
            .semantics { contentDescription = description }
            .padding(vertical = 4.dp),
        verticalAlignment = Alignment.CenterVertically,
        horizontalArrangement = Arrangement.spacedBy(16.dp),
    ) {
        Text(channelLabel, style = MaterialTheme.typography.bodyLarge, modifier = Modifier.weight(1f))
        Switch(checked = checked, onCheckedChange = null, enabled = enabled)
    }
}
