@file:OptIn(ExperimentalMaterial3Api::class)

package id.aduan.ui.queue

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.PaddingValues
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.ExperimentalMaterial3Api
import androidx.compose.material3.FilterChip
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.text.style.TextAlign
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import id.aduan.ui.strings.S
import id.aduan.ui.strings.stringResource
import id.aduan.ui.common.AduanTopBar
import id.aduan.ui.common.Loadable
import id.aduan.ui.common.text
import id.aduan.ui.list.Centered
import id.aduan.ui.list.ComplaintCard

@Composable
fun QueueScreen(
    viewModel: QueueViewModel,
    syncIndicator: @Composable () -> Unit,
    bottomBar: @Composable () -> Unit,
    onOpen: (String) -> Unit,
) {
    val complaints by viewModel.complaints.collectAsStateWithLifecycle()
    val overdueOnly by viewModel.overdueOnly.collectAsStateWithLifecycle()

    Scaffold(
        topBar = { AduanTopBar(stringResource(S.queue_title), syncIndicator) },
        bottomBar = bottomBar,
    ) { padding ->
        Column(Modifier.fillMaxSize().padding(padding)) {
            Row(Modifier.padding(horizontal = 16.dp, vertical = 8.dp), horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                FilterChip(
                    selected = !overdueOnly,
                    onClick = { viewModel.setOverdueOnly(false) },
                    label = { Text(stringResource(S.queue_all_open)) },
                )
                FilterChip(
                    selected = overdueOnly,
                    onClick = { viewModel.setOverdueOnly(true) },
                    label = { Text(stringResource(S.queue_overdue_only)) },
                )
            }
            when (val c = complaints) {
                Loadable.Loading -> Centered { CircularProgressIndicator() }
                is Loadable.Failed -> Centered {
                    Text(c.message.text(), color = MaterialTheme.colorScheme.error, textAlign = TextAlign.Center)
                }
                is Loadable.Ready -> if (c.value.isEmpty()) {
                    Centered {
                        Text(
                            stringResource(if (overdueOnly) S.queue_empty_overdue else S.queue_empty),
                            textAlign = TextAlign.Center,
                            style = MaterialTheme.typography.bodyLarge,
                        )
                    }
                } else {
                    LazyColumn(
                        contentPadding = PaddingValues(start = 16.dp, end = 16.dp, bottom = 16.dp),
                        verticalArrangement = Arrangement.spacedBy(10.dp),
                    ) {
                        item(key = "explained") {
                            Text(
                                stringResource(S.queue_explained),
                                style = MaterialTheme.typography.bodySmall,
                                color = MaterialTheme.colorScheme.onSurfaceVariant,
                            )
                        }
                        items(c.value, key = { it.id }) { item -> ComplaintCard(item, onClick = { onOpen(item.id) }) }
                    }
                }
            }
        }
    }
}
