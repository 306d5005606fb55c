package id.aduan.ui.common

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.Card
import androidx.compose.material3.CardDefaults
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import id.aduan.ui.strings.S
import id.aduan.ui.strings.stringResource
import id.aduan.core.RefusedView

/**
 * Work done on this phone that the server refused (rights lost while offline): what it was,
 * when, the note written with it, and the server's reason, all as core labels them.
 */
@Composable
fun RefusedWorkCard(items: List<RefusedView>, showTrackingId: Boolean, modifier: Modifier = Modifier) {
    val dates = rememberDateFormats()
    Card(
        modifier = modifier.fillMaxWidth(),
        colors = CardDefaults.cardColors(
            containerColor = MaterialTheme.colorScheme.errorContainer,
            contentColor = MaterialTheme.colorScheme.onErrorContainer,
        ),
    ) {
        Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(10.dp)) {
            Text(stringResource(S.refused_title), style = MaterialTheme.typography.titleMedium)
            Text(stringResource(S.refused_explained), style = MaterialTheme.typography.bodySmall)
            items.forEach { item ->
                Column(verticalArrangement = Arrangement.spacedBy(2.dp)) {
                    Text(
                        text = if (showTrackingId) {
                            stringResource(S.refused_action_on, item.actionLabel, item.trackingId)
                        } else {
                            item.actionLabel
                        },
                        style = MaterialTheme.typography.bodyMedium,
                    )
                    Text(dates.dateTime(item.at), style = MaterialTheme.typography.bodySmall)
                    if (item.note.isNotBlank()) {
                        Text(stringResource(S.refused_note, item.note), style = MaterialTheme.typography.bodySmall)
                    }
                    Text(stringResource(S.refused_reason, item.reason), style = MaterialTheme.typography.bodySmall)
                }
            }
        }
    }
}
