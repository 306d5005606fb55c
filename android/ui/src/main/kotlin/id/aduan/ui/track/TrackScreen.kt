package id.aduan.ui.track

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.imePadding
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.text.KeyboardActions
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.CardDefaults
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.remember
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.text.input.ImeAction
import androidx.compose.ui.text.input.KeyboardCapitalization
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import id.aduan.core.PublicComplaint
import id.aduan.core.PublicStep
import id.aduan.core.Status
import id.aduan.ui.common.AduanTopBar
import id.aduan.ui.common.DateFormats
import id.aduan.ui.common.Pill
import id.aduan.ui.common.SectionTitle
import id.aduan.ui.common.text
import id.aduan.ui.strings.LocalLanguage
import id.aduan.ui.strings.S
import id.aduan.ui.strings.locale
import id.aduan.ui.strings.stringResource
import id.aduan.ui.strings.text as inLanguage
import java.time.ZoneOffset

/** A report's public view by its tracking id: the field, then what the server said. */
@Composable
fun TrackScreen(
    viewModel: TrackViewModel,
    syncIndicator: @Composable () -> Unit,
    onBack: () -> Unit,
) {
    val state by viewModel.state.collectAsStateWithLifecycle()

    Scaffold(topBar = { AduanTopBar(stringResource(S.track_title), syncIndicator, onBack) }) { padding ->
        Column(
            modifier = Modifier
                .fillMaxSize()
                .padding(padding)
                .imePadding()
                .verticalScroll(rememberScrollState())
                .padding(16.dp),
            verticalArrangement = Arrangement.spacedBy(12.dp),
        ) {
            Text(
                stringResource(S.track_explained),
                style = MaterialTheme.typography.bodyMedium,
                color = MaterialTheme.colorScheme.onSurfaceVariant,
            )
            OutlinedTextField(
                value = state.input,
                onValueChange = viewModel::setInput,
                label = { Text(stringResource(S.track_field)) },
                placeholder = { Text(stringResource(S.track_field_hint)) },
                supportingText = if (state.invalid) {
                    { Text(stringResource(S.track_invalid)) }
                } else {
                    null
                },
                isError = state.invalid,
                singleLine = true,
                keyboardOptions = KeyboardOptions(
                    capitalization = KeyboardCapitalization.Characters,
                    autoCorrectEnabled = false,
                    imeAction = ImeAction.Search,
                ),
                keyboardActions = KeyboardActions(onSearch = { viewModel.track() }),
                modifier = Modifier.fillMaxWidth(),
            )
            Button(onClick = viewModel::track, enabled = state.canTrack, modifier = Modifier.fillMaxWidth()) {
                Text(stringResource(S.track_button))
            }
            Text(
                stringResource(S.settings_server, state.serverUrl),
                style = MaterialTheme.typography.bodySmall,
                color = MaterialTheme.colorScheme.onSurfaceVariant,
            )

            when (val result = state.result) {
                TrackResult.None -> Unit
                TrackResult.Loading -> Row(
                    verticalAlignment = Alignment.CenterVertically,
                    horizontalArrangement = Arrangement.spacedBy(12.dp),
                    modifier = Modifier.padding(vertical = 8.dp),
                ) {
                    CircularProgressIndicator()
                    Text(stringResource(S.track_loading))
                }
                TrackResult.NotFound -> Notice(
                    title = stringResource(S.track_not_found),
                    body = stringResource(S.track_not_found_explained),
                )
                is TrackResult.NoSignal -> Notice(
                    title = stringResource(if (result.offline) S.track_offline else S.track_unreachable),
                    onRetry = viewModel::retry,
                )
                is TrackResult.Failed -> Notice(title = result.message.text(), onRetry = viewModel::retry)
                is TrackResult.Found -> PublicView(result.complaint, state)
            }
        }
    }
}

/** Why there is no report to show, on an error-coloured card, with a retry where one helps. */
@Composable
private fun Notice(title: String, body: String? = null, onRetry: (() -> Unit)? = null) {
    val colors = MaterialTheme.colorScheme
    Card(
        colors = CardDefaults.cardColors(containerColor = colors.errorContainer, contentColor = colors.onErrorContainer),
        modifier = Modifier.fillMaxWidth(),
    ) {
        Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
            Text(title, style = MaterialTheme.typography.titleMedium)
            body?.let { Text(it, style = MaterialTheme.typography.bodyMedium) }
            onRetry?.let { retry -> OutlinedButton(onClick = retry) { Text(stringResource(S.retry)) } }
        }
    }
}

/** What the public may know of a report: never the reporter, the words, photos or the exact place. */
@Composable
private fun PublicView(complaint: PublicComplaint, state: TrackUiState) {
    val colors = MaterialTheme.colorScheme
    val language = LocalLanguage.current
    // Times in the holding institution's zone (WITA for Makassar), named after each time.
    val dates = remember(language, complaint.utcOffsetMinutes) {
        DateFormats(locale(language), ZoneOffset.ofTotalSeconds(complaint.utcOffsetMinutes * 60))
    }
    val zone = complaint.zone
    val at: (Long) -> String = { millis ->
        if (zone.isBlank()) dates.dateTime(millis) else inLanguage(language, S.track_time_zone, dates.dateTime(millis), zone)
    }

    Card(Modifier.fillMaxWidth()) {
        Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(6.dp)) {
            Text(complaint.trackingId, style = MaterialTheme.typography.headlineSmall)
            // Both labels come translated from core.
            val kindAndCategory = listOf(complaint.kindLabel, complaint.categoryLabel).joinToString(" · ")
            Text(
                kindAndCategory,
                style = MaterialTheme.typography.bodyMedium,
                color = colors.onSurfaceVariant,
            )
            Row(horizontalArrangement = Arrangement.spacedBy(6.dp)) {
                val finished = complaint.status == Status.COMPLETED
                Pill(
                    complaint.statusLabel,
                    if (finished) colors.tertiaryContainer else colors.secondaryContainer,
                    if (finished) colors.onTertiaryContainer else colors.onSecondaryContainer,
                )
                if (complaint.overdue) Pill(stringResource(S.overdue), colors.errorContainer, colors.onErrorContainer)
            }
            state.institutionName(complaint.institutionId)?.let {
                Text(stringResource(S.track_institution, it), style = MaterialTheme.typography.bodyMedium)
            }
            Text(stringResource(S.detail_filed_at, at(complaint.createdAt)), style = MaterialTheme.typography.bodySmall)
            Text(stringResource(S.track_updated, at(complaint.updatedAt)), style = MaterialTheme.typography.bodySmall)
            complaint.dueAt?.let { due ->
                Text(
                    stringResource(S.deadline_due, at(due)),
                    style = MaterialTheme.typography.bodySmall,
                    color = if (complaint.overdue) colors.error else colors.onSurface,
                )
            }
        }
    }

    SectionTitle(stringResource(S.track_area))
    val area = complaint.area
    Text(
        listOf(area.kelurahan, area.kecamatan, area.city, area.province).filter { it.isNotBlank() }.joinToString(", "),
        style = MaterialTheme.typography.bodyMedium,
    )

    SectionTitle(stringResource(S.detail_timeline))
    if (complaint.timeline.isEmpty()) {
        Text(stringResource(S.track_timeline_empty), style = MaterialTheme.typography.bodyMedium)
    }
    complaint.timeline.forEach { step -> Step(step, state, at) }
}

@Composable
private fun Step(step: PublicStep, state: TrackUiState, at: (Long) -> String) {
    val colors = MaterialTheme.colorScheme
    Column(verticalArrangement = Arrangement.spacedBy(2.dp)) {
        HorizontalDivider()
        Text(step.actionLabel, style = MaterialTheme.typography.titleSmall, modifier = Modifier.padding(top = 8.dp))
        val by = state.institutionName(step.institutionId)?.let { "${step.byLabel}, $it" } ?: step.byLabel
        Text(
            stringResource(S.timeline_by_at, by, at(step.at)),
            style = MaterialTheme.typography.bodySmall,
            color = colors.onSurfaceVariant,
        )
        step.reply?.takeIf { it.isNotBlank() }?.let { reply ->
            Card(
                colors = CardDefaults.cardColors(containerColor = colors.secondaryContainer, contentColor = colors.onSecondaryContainer),
                modifier = Modifier.fillMaxWidth().padding(top = 4.dp),
            ) {
                Column(Modifier.padding(12.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
                    Text(stringResource(S.track_reply), style = MaterialTheme.typography.labelMedium)
                    Text(reply, style = MaterialTheme.typography.bodyMedium)
                }
            }
        }
    }
}
