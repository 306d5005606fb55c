package id.aduan.ui.sync

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.LinearProgressIndicator
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Surface
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import id.aduan.ui.strings.S
import id.aduan.ui.strings.stringResource
import id.aduan.ui.strings.LocalLanguage
import id.aduan.ui.common.pick
import id.aduan.ui.common.rememberDateFormats

/**
 * Under the top bar on every screen: what waits to be sent, when the last sync succeeded, the
 * last error, progress while syncing, and "sync now" (or "stop" while it runs).
 */
@Composable
fun SyncIndicator(viewModel: SyncViewModel) {
    val state by viewModel.state.collectAsStateWithLifecycle()
    val status = state.status ?: return
    if (!status.signedIn) return
    val dates = rememberDateFormats()
    val language = LocalLanguage.current

    Surface(color = MaterialTheme.colorScheme.surfaceContainer, modifier = Modifier.fillMaxWidth()) {
        Column {
            Row(
                modifier = Modifier.padding(start = 16.dp, end = 8.dp, top = 6.dp, bottom = 6.dp),
                verticalAlignment = Alignment.CenterVertically,
                horizontalArrangement = Arrangement.spacedBy(8.dp),
            ) {
                Column(Modifier.weight(1f)) {
                    val progress = state.progress
                    val headline = when {
                        progress != null -> stringResource(
                            S.sync_progress,
                            progress.documentsSent.toLong(),
                            progress.documentsReceived.toLong(),
                        )
                        state.syncing -> stringResource(S.sync_running)
                        state.somethingWaits -> stringResource(
                            S.sync_waiting,
                            state.pendingDocuments,
                            state.pendingPhotos,
                        )
                        else -> stringResource(S.sync_all_sent)
                    }
                    Text(headline, style = MaterialTheme.typography.bodyMedium)
                    Text(
                        text = status.lastSuccessAt
                            ?.let { stringResource(S.sync_last, dates.dateTime(it)) }
                            ?: stringResource(S.sync_never),
                        style = MaterialTheme.typography.bodySmall,
                        color = MaterialTheme.colorScheme.onSurfaceVariant,
                    )
                    when {
                        !state.network.connected -> Note(stringResource(S.sync_offline))
                        state.network.metered && !state.fullPhotosOnMobileData && state.pendingPhotos > 0 ->
                            Note(stringResource(S.sync_full_photos_wait_wifi))
                    }
                    val errorId = status.lastErrorId
                    val errorEn = status.lastErrorEn
                    if (!state.syncing && errorId != null && errorEn != null) {
                        Text(
                            text = stringResource(S.sync_last_error, pick(language, errorId, errorEn)),
                            style = MaterialTheme.typography.bodySmall,
                            color = MaterialTheme.colorScheme.error,
                        )
                    }
                }
                if (state.syncing) {
                    TextButton(onClick = viewModel::cancel) { Text(stringResource(S.sync_stop)) }
                } else {
                    TextButton(onClick = viewModel::syncNow) { Text(stringResource(S.sync_now)) }
                }
            }
            if (state.syncing) LinearProgressIndicator(modifier = Modifier.fillMaxWidth())
        }
    }
}

@Composable
private fun Note(text: String) {
    Text(text, style = MaterialTheme.typography.bodySmall, color = MaterialTheme.colorScheme.onSurfaceVariant)
}
