@file:OptIn(ExperimentalMaterial3Api::class)

package id.aduan.ui.notifications

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.PaddingValues
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.material3.Card
import androidx.compose.material3.CardDefaults
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.ExperimentalMaterial3Api
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.text.font.FontWeight
import androidx.compose.ui.text.style.TextAlign
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import id.aduan.ui.common.AduanTopBar
import id.aduan.ui.common.Loadable
import id.aduan.ui.common.Pill
import id.aduan.ui.common.rememberDateFormats
import id.aduan.ui.common.text
import id.aduan.ui.list.Centered
import id.aduan.ui.strings.S
import id.aduan.ui.strings.stringResource

/** What the syncs brought, newest first; one about a complaint opens it. */
@Composable
fun NotificationsScreen(
    viewModel: NotificationsViewModel,
    syncIndicator: @Composable () -> Unit,
    bottomBar: @Composable () -> Unit,
    onOpenComplaint: (String) -> Unit,
) {
    val state by viewModel.state.collectAsStateWithLifecycle()

    Scaffold(
        topBar = { AduanTopBar(stringResource(S.notifications_title), syncIndicator) },
        bottomBar = bottomBar,
    ) { padding ->
        when (val items = state.items) {
            Loadable.Loading -> Centered(Modifier.padding(padding)) { CircularProgressIndicator() }
            is Loadable.Failed -> Centered(Modifier.padding(padding)) {
                Text(items.message.text(), color = MaterialTheme.colorScheme.error, textAlign = TextAlign.Center)
            }
            is Loadable.Ready -> LazyColumn(
                modifier = Modifier.fillMaxSize().padding(padding),
                contentPadding = PaddingValues(horizontal = 16.dp, vertical = 12.dp),
                verticalArrangement = Arrangement.spacedBy(10.dp),
            ) {
                if (items.value.isEmpty()) {
                    item(key = "empty") {
                        Column(Modifier.padding(vertical = 32.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                            Text(stringResource(S.notifications_empty), style = MaterialTheme.typography.titleMedium)
                            Text(
                                stringResource(S.notifications_empty_explained),
                                style = MaterialTheme.typography.bodyMedium,
                                color = MaterialTheme.colorScheme.onSurfaceVariant,
                            )
                        }
                    }
                }
                items(items.value, key = { it.notification.id.toLong() }) { item ->
                    NotificationCard(item, onOpenComplaint)
                }
            }
        }
    }
}

@Composable
private fun NotificationCard(item: NotificationItem, onOpenComplaint: (String) -> Unit) {
    val dates = rememberDateFormats()
    val colors = MaterialTheme.colorScheme
    val n = item.notification
    val cardColors = if (item.new) {
        CardDefaults.cardColors(containerColor = colors.secondaryContainer)
    } else {
        CardDefaults.cardColors()
    }
    val content: @Composable () -> Unit = {
        Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(6.dp)) {
            Row(verticalAlignment = Alignment.CenterVertically, horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                Text(
                    n.title,
                    style = MaterialTheme.typography.titleMedium,
                    fontWeight = if (item.new) FontWeight.Bold else null,
                    modifier = Modifier.weight(1f),
                )
                if (item.new) Pill(stringResource(S.notifications_new), colors.primary, colors.onPrimary)
            }
            Text(n.body, style = MaterialTheme.typography.bodyMedium)
            Text(
                dates.dateTime(n.createdAt),
                style = MaterialTheme.typography.bodySmall,
                color = colors.onSurfaceVariant,
            )
        }
    }
    val complaintId = item.complaintId
    if (complaintId != null) {
        Card(onClick = { onOpenComplaint(complaintId) }, colors = cardColors, modifier = Modifier.fillMaxWidth()) { content() }
    } else {
        Card(colors = cardColors, modifier = Modifier.fillMaxWidth()) { content() }
    }
}
