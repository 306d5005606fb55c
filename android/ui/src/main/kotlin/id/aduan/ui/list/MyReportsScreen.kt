package id.aduan.ui.list

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.PaddingValues
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.filled.Add
import androidx.compose.material.icons.filled.LocationOn
import androidx.compose.material3.OutlinedButton
import androidx.compose.foundation.layout.Spacer
import androidx.compose.foundation.layout.width
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.ExtendedFloatingActionButton
import androidx.compose.material3.Icon
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.style.TextAlign
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import id.aduan.ui.strings.S
import id.aduan.ui.strings.stringResource
import id.aduan.ui.common.AduanTopBar
import id.aduan.ui.common.Loadable
import id.aduan.ui.common.RefusedWorkCard
import id.aduan.ui.common.text

@Composable
fun MyReportsScreen(
    viewModel: MyReportsViewModel,
    syncIndicator: @Composable () -> Unit,
    bottomBar: @Composable () -> Unit,
    onNewReport: () -> Unit,
    onNearby: () -> Unit,
    onOpen: (String) -> Unit,
) {
    val reports by viewModel.reports.collectAsStateWithLifecycle()
    val refused by viewModel.refused.collectAsStateWithLifecycle()

    Scaffold(
        topBar = { AduanTopBar(stringResource(S.my_reports_title), syncIndicator) },
        bottomBar = bottomBar,
        floatingActionButton = {
            val label = stringResource(S.report_new)
            ExtendedFloatingActionButton(
                onClick = onNewReport,
                // The animated label is not in the button's merged semantics; name the button itself.
                modifier = Modifier.semantics { contentDescription = label },
                icon = { Icon(Icons.Filled.Add, contentDescription = null) },
                text = { Text(label) },
            )
        },
    ) { padding ->
        when (val r = reports) {
            Loadable.Loading -> Centered(Modifier.padding(padding)) { CircularProgressIndicator() }
            is Loadable.Failed -> Centered(Modifier.padding(padding)) {
                Text(r.message.text(), color = MaterialTheme.colorScheme.error, textAlign = TextAlign.Center)
            }
            is Loadable.Ready -> LazyColumn(
                modifier = Modifier.fillMaxSize().padding(padding),
                contentPadding = PaddingValues(start = 16.dp, end = 16.dp, top = 12.dp, bottom = 88.dp),
                verticalArrangement = Arrangement.spacedBy(10.dp),
            ) {
                item(key = "nearby") {
                    OutlinedButton(onClick = onNearby) {
                        Icon(Icons.Filled.LocationOn, contentDescription = null)
                        Spacer(Modifier.width(8.dp))
                        Text(stringResource(S.nearby_open))
                    }
                }
                if (refused.isNotEmpty()) {
                    item(key = "refused") { RefusedWorkCard(refused, showTrackingId = true) }
                }
                if (r.value.isEmpty()) {
                    item(key = "empty") {
                        Column(Modifier.padding(vertical = 32.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                            Text(stringResource(S.my_reports_empty), style = MaterialTheme.typography.titleMedium)
                            Text(
                                stringResource(S.my_reports_empty_explained),
                                style = MaterialTheme.typography.bodyMedium,
                                color = MaterialTheme.colorScheme.onSurfaceVariant,
                            )
                        }
                    }
                }
                items(r.value, key = { it.id }) { item ->
                    ComplaintCard(item, onClick = { onOpen(item.id) })
                }
            }
        }
    }
}

@Composable
fun Centered(modifier: Modifier = Modifier, content: @Composable () -> Unit) {
    Box(modifier.fillMaxSize().padding(24.dp), contentAlignment = Alignment.Center) { content() }
}
