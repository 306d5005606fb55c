@file:OptIn(ExperimentalMaterial3Api::class)

package id.aduan.ui.queue

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.PaddingValues
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.filled.Search
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.ExperimentalMaterial3Api
import androidx.compose.material3.FilterChip
import androidx.compose.material3.Icon
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.text.style.TextAlign
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import id.aduan.core.Status
import id.aduan.ui.common.AduanTopBar
import id.aduan.ui.common.DropdownField
import id.aduan.ui.common.Loadable
import id.aduan.ui.common.text
import id.aduan.ui.list.ComplaintCard
import id.aduan.ui.strings.LocalLanguage
import id.aduan.ui.strings.S
import id.aduan.ui.strings.text as textIn
import id.aduan.ui.strings.stringResource

@Composable
fun QueueScreen(
    viewModel: QueueViewModel,
    syncIndicator: @Composable () -> Unit,
    bottomBar: @Composable () -> Unit,
    onOpen: (String) -> Unit,
) {
    val state by viewModel.state.collectAsStateWithLifecycle()
    val filters = state.filters

    Scaffold(
        topBar = { AduanTopBar(stringResource(S.queue_title), syncIndicator) },
        bottomBar = bottomBar,
    ) { padding ->
        // The filters scroll away with the list, so a phone keeps room for the reports.
        LazyColumn(
            modifier = Modifier.fillMaxSize().padding(padding),
            contentPadding = PaddingValues(start = 16.dp, end = 16.dp, top = 8.dp, bottom = 16.dp),
            verticalArrangement = Arrangement.spacedBy(10.dp),
        ) {
            item(key = "filters") { QueueFilterFields(state, viewModel) }
            when (val c = state.complaints) {
                Loadable.Loading -> item(key = "loading") { Message { CircularProgressIndicator() } }
                is Loadable.Failed -> item(key = "failed") {
                    Message {
                        Text(c.message.text(), color = MaterialTheme.colorScheme.error, textAlign = TextAlign.Center)
                    }
                }
                is Loadable.Ready -> if (c.value.isEmpty()) {
                    item(key = "empty") {
                        Message {
                            Text(
                                stringResource(
                                    when {
                                        filters.narrowed -> S.queue_empty_filtered
                                        filters.overdueOnly -> S.queue_empty_overdue
                                        else -> S.queue_empty
                                    },
                                ),
                                textAlign = TextAlign.Center,
                                style = MaterialTheme.typography.bodyLarge,
                            )
                        }
                    }
                } else {
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

/** Words, open or overdue, status, category and (for administrators) unit; and a way back to all. */
@Composable
private fun QueueFilterFields(state: QueueUiState, viewModel: QueueViewModel) {
    val filters = state.filters
    // The menus' labels are plain functions: the language is read here, once.
    val language = LocalLanguage.current
    Column(verticalArrangement = Arrangement.spacedBy(8.dp)) {
        OutlinedTextField(
            value = filters.text,
            onValueChange = viewModel::setText,
            label = { Text(stringResource(S.queue_search)) },
            leadingIcon = { Icon(Icons.Filled.Search, contentDescription = null) },
            singleLine = true,
            modifier = Modifier.fillMaxWidth(),
        )
        Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            FilterChip(
                selected = !filters.overdueOnly,
                onClick = { viewModel.setOverdueOnly(false) },
                label = { Text(stringResource(S.queue_all_open)) },
            )
            FilterChip(
                selected = filters.overdueOnly,
                onClick = { viewModel.setOverdueOnly(true) },
                label = { Text(stringResource(S.queue_overdue_only)) },
            )
        }
        DropdownField(
            label = stringResource(S.queue_filter_status),
            options = state.statuses,
            selected = filters.status,
            optionLabel = { textIn(language, statusName(it)) },
            onSelect = viewModel::chooseStatus,
            noneLabel = stringResource(S.queue_filter_status_any),
            modifier = Modifier.fillMaxWidth(),
        )
        DropdownField(
            label = stringResource(S.queue_filter_category),
            options = state.categories,
            selected = state.categories.firstOrNull { it.category.id == filters.categoryId },
            optionLabel = { it.category.label },
            onSelect = { viewModel.chooseCategory(it?.category?.id) },
            noneLabel = stringResource(S.queue_filter_category_any),
            supportingText = stringResource(S.queue_filter_category_explained),
            indent = { (it.depth * 16).dp },
            modifier = Modifier.fillMaxWidth(),
        )
        val fixed = state.fixedUnit
        if (fixed != null) {
            DropdownField(
                label = stringResource(S.queue_filter_unit),
                options = listOf(fixed),
                selected = fixed,
                optionLabel = { it.name },
                onSelect = {},
                enabled = false,
                supportingText = stringResource(S.queue_filter_unit_fixed),
                modifier = Modifier.fillMaxWidth(),
            )
        } else if (state.units.isNotEmpty()) {
            DropdownField(
                label = stringResource(S.queue_filter_unit),
                options = state.units,
                selected = state.units.firstOrNull { it.unit.id == filters.unitId },
                optionLabel = { choice ->
                    choice.institutionName?.let { textIn(language, S.queue_unit_in_institution, choice.unit.name, it) }
                        ?: choice.unit.name
                },
                onSelect = { viewModel.chooseUnit(it?.unit?.id) },
                noneLabel = stringResource(S.queue_filter_unit_any),
                indent = { (it.depth * 16).dp },
                modifier = Modifier.fillMaxWidth(),
            )
        }
        if (filters.narrowed || filters.overdueOnly) {
            OutlinedButton(onClick = viewModel::clearFilters) { Text(stringResource(S.queue_clear_filters)) }
        }
    }
}

@Composable
private fun Message(content: @Composable () -> Unit) {
    Column(
        modifier = Modifier.fillMaxWidth().padding(horizontal = 16.dp, vertical = 48.dp),
        horizontalAlignment = Alignment.CenterHorizontally,
    ) { content() }
}

/** Core labels a complaint's status but offers no list of them: the app names the open ones. */
fun statusName(status: Status): S = when (status) {
    Status.SUBMITTED -> S.status_submitted
    Status.DISPATCHED -> S.status_dispatched
    Status.ASSIGNED -> S.status_assigned
    Status.IN_PROGRESS -> S.status_in_progress
    Status.FOLLOWED_UP -> S.status_followed_up
    Status.DEFERRED -> S.status_deferred
    Status.COMPLETED -> S.status_completed
    Status.ARCHIVED -> S.status_archived
    Status.MERGED -> S.status_merged
}
