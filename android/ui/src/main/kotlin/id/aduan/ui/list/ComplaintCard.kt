@file:OptIn(ExperimentalMaterial3Api::class)

package id.aduan.ui.list

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.Card
import androidx.compose.material3.ExperimentalMaterial3Api
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.text.style.TextOverflow
import androidx.compose.ui.unit.dp
import id.aduan.ui.strings.S
import id.aduan.ui.strings.stringResource
import id.aduan.ui.common.Pill
import id.aduan.ui.common.rememberDateFormats
import id.aduan.core.ComplaintSummary
import id.aduan.core.Status

/**
 * One complaint in a list: title, tracking id, kind and category, core's status label, the
 * running deadline (overdue marked), and whether changes made here still wait to be sent.
 */
@Composable
fun ComplaintCard(item: ComplaintSummary, onClick: () -> Unit, modifier: Modifier = Modifier) {
    val dates = rememberDateFormats()
    val colors = MaterialTheme.colorScheme
    Card(onClick = onClick, modifier = modifier.fillMaxWidth()) {
        Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(6.dp)) {
            Text(
                item.title,
                style = MaterialTheme.typography.titleMedium,
                maxLines = 2,
                overflow = TextOverflow.Ellipsis,
            )
            Text(
                stringResource(S.complaint_kind_category, item.trackingId, item.kindLabel, item.categoryLabel),
                style = MaterialTheme.typography.bodySmall,
                color = colors.onSurfaceVariant,
            )
            Row(horizontalArrangement = Arrangement.spacedBy(6.dp), verticalAlignment = Alignment.CenterVertically) {
                val finished = item.status == Status.COMPLETED
                Pill(
                    text = item.statusLabel,
                    container = if (finished) colors.tertiaryContainer else colors.secondaryContainer,
                    content = if (finished) colors.onTertiaryContainer else colors.onSecondaryContainer,
                )
                if (item.overdue) {
                    Pill(stringResource(S.overdue), colors.errorContainer, colors.onErrorContainer)
                }
                if (item.pendingSync) {
                    Pill(stringResource(S.not_yet_sent), colors.surface, colors.onSurfaceVariant)
                }
            }
            item.dueAt?.let { due ->
                Text(
                    stringResource(S.deadline_due, dates.dateTime(due)),
                    style = MaterialTheme.typography.bodySmall,
                    color = if (item.overdue) colors.error else colors.onSurfaceVariant,
                )
            }
            if (item.damaged) {
                Text(
                    stringResource(S.complaint_damaged),
                    style = MaterialTheme.typography.bodySmall,
                    color = colors.error,
                )
            }
        }
    }
}
