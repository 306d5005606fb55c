package id.aduan.android.ui.detail

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.PaddingValues
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.imePadding
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.size
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.LazyRow
import androidx.compose.foundation.lazy.items
import androidx.compose.foundation.lazy.itemsIndexed
import androidx.compose.foundation.shape.RoundedCornerShape
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.automirrored.filled.Send
import androidx.compose.material.icons.filled.Star
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.CardDefaults
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.FilledTonalButton
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.Icon
import androidx.compose.material3.IconButton
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Scaffold
import androidx.compose.material3.SnackbarHost
import androidx.compose.material3.SnackbarHostState
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.draw.clip
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.text.style.TextAlign
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import id.aduan.android.R
import id.aduan.android.ui.common.AduanTopBar
import id.aduan.android.ui.common.Loadable
import id.aduan.android.ui.common.Pill
import id.aduan.android.ui.common.PhotoViewer
import id.aduan.android.ui.common.RefusedWorkCard
import id.aduan.android.ui.common.SectionTitle
import id.aduan.android.ui.common.StoredPhoto
import id.aduan.android.ui.common.THUMBNAIL_PX
import id.aduan.android.ui.common.coordinate
import id.aduan.android.ui.common.metres
import id.aduan.android.ui.common.rememberDateFormats
import id.aduan.android.ui.common.rememberPhotoSources
import id.aduan.android.ui.common.text
import id.aduan.android.ui.list.Centered
import id.aduan.core.ActionKind
import id.aduan.core.ComplaintDetail
import id.aduan.core.DeadlineView
import id.aduan.core.RatingView
import id.aduan.core.Status
import id.aduan.core.TimelineEntry

@Composable
fun DetailScreen(
    viewModel: DetailViewModel,
    syncIndicator: @Composable () -> Unit,
    onBack: () -> Unit,
    onAction: (ActionKind) -> Unit,
) {
    val loadable by viewModel.detail.collectAsStateWithLifecycle()
    val state by viewModel.state.collectAsStateWithLifecycle()
    val snackbar = remember { SnackbarHostState() }
    val messageText = state.message?.text()
    LaunchedEffect(state.message) {
        if (messageText != null) {
            snackbar.showSnackbar(messageText)
            viewModel.messageShown()
        }
    }
    var viewing by rememberSaveable { mutableStateOf<String?>(null) }
    val loadPhoto: suspend (String) -> ByteArray? = { viewModel.photo(it) }

    val title = when (val l = loadable) {
        is Loadable.Ready -> l.value.summary.trackingId
        else -> stringResource(R.string.detail_title)
    }
    Scaffold(
        topBar = { AduanTopBar(title, syncIndicator, onBack) },
        snackbarHost = { SnackbarHost(snackbar) },
    ) { padding ->
        when (val l = loadable) {
            Loadable.Loading -> Centered(Modifier.padding(padding)) { CircularProgressIndicator() }
            is Loadable.Failed -> Centered(Modifier.padding(padding)) {
                Text(l.message.text(), color = MaterialTheme.colorScheme.error, textAlign = TextAlign.Center)
            }
            is Loadable.Ready -> DetailContent(
                detail = l.value,
                state = state,
                viewModel = viewModel,
                loadPhoto = loadPhoto,
                onView = { viewing = it },
                onAction = onAction,
                modifier = Modifier.padding(padding),
            )
        }
    }
    viewing?.let { sha -> PhotoViewer(sha, loadPhoto, onDismiss = { viewing = null }) }
}

@Composable
private fun DetailContent(
    detail: ComplaintDetail,
    state: DetailUiState,
    viewModel: DetailViewModel,
    loadPhoto: suspend (String) -> ByteArray?,
    onView: (String) -> Unit,
    onAction: (ActionKind) -> Unit,
    modifier: Modifier,
) {
    val summary = detail.summary
    val colors = MaterialTheme.colorScheme
    val dates = rememberDateFormats()
    val actions = detail.availableActions
    val steps = actions.filter { it in STEP_ACTIONS }

    LazyColumn(
        modifier = modifier.fillMaxSize().imePadding(),
        contentPadding = PaddingValues(16.dp),
        verticalArrangement = Arrangement.spacedBy(12.dp),
    ) {
        item(key = "header") {
            Column(verticalArrangement = Arrangement.spacedBy(6.dp)) {
                Text(summary.title, style = MaterialTheme.typography.headlineSmall)
                Text(
                    stringResource(R.string.complaint_kind_category, summary.trackingId, summary.kindLabel, summary.categoryLabel),
                    style = MaterialTheme.typography.bodyMedium,
                    color = colors.onSurfaceVariant,
                )
                Row(horizontalArrangement = Arrangement.spacedBy(6.dp)) {
                    val finished = summary.status == Status.COMPLETED
                    Pill(
                        summary.statusLabel,
                        if (finished) colors.tertiaryContainer else colors.secondaryContainer,
                        if (finished) colors.onTertiaryContainer else colors.onSecondaryContainer,
                    )
                    if (summary.overdue) Pill(stringResource(R.string.overdue), colors.errorContainer, colors.onErrorContainer)
                    if (summary.pendingSync) Pill(stringResource(R.string.not_yet_sent), colors.surfaceVariant, colors.onSurfaceVariant)
                }
                Row(horizontalArrangement = Arrangement.spacedBy(6.dp)) {
                    if (summary.anonymous) Pill(stringResource(R.string.flag_anonymous), colors.surfaceVariant, colors.onSurfaceVariant)
                    if (summary.confidential) Pill(stringResource(R.string.flag_confidential), colors.surfaceVariant, colors.onSurfaceVariant)
                    if (detail.fieldInspection) Pill(stringResource(R.string.flag_field_inspection), colors.surfaceVariant, colors.onSurfaceVariant)
                }
                Text(stringResource(R.string.detail_reporter, detail.reporterLabel), style = MaterialTheme.typography.bodySmall)
                Text(stringResource(R.string.detail_filed_at, dates.dateTime(summary.createdAt)), style = MaterialTheme.typography.bodySmall)
                detail.mergedInto?.let {
                    Text(stringResource(R.string.detail_merged_into, it), style = MaterialTheme.typography.bodyMedium)
                }
                if (detail.duplicates.isNotEmpty()) {
                    Text(
                        stringResource(R.string.detail_duplicates, detail.duplicates.joinToString()),
                        style = MaterialTheme.typography.bodySmall,
                    )
                }
                if (detail.autoCompleted) {
                    Text(stringResource(R.string.detail_auto_completed), style = MaterialTheme.typography.bodySmall)
                }
                if (summary.damaged) {
                    Text(stringResource(R.string.complaint_damaged), color = colors.error, style = MaterialTheme.typography.bodySmall)
                }
            }
        }

        detail.deadline?.let { deadline -> item(key = "deadline") { DeadlineCard(deadline) } }

        if (detail.refused.isNotEmpty()) {
            item(key = "refused") { RefusedWorkCard(detail.refused, showTrackingId = false) }
        }

        if (steps.isNotEmpty()) {
            item(key = "steps") {
                Column(verticalArrangement = Arrangement.spacedBy(8.dp)) {
                    SectionTitle(stringResource(R.string.detail_actions))
                    steps.forEach { kind ->
                        FilledTonalButton(onClick = { onAction(kind) }, modifier = Modifier.fillMaxWidth()) {
                            Text(stringResource(actionButton(kind)))
                        }
                    }
                }
            }
        }

        item(key = "description") {
            Column(verticalArrangement = Arrangement.spacedBy(4.dp)) {
                SectionTitle(stringResource(R.string.detail_description))
                Text(detail.description, style = MaterialTheme.typography.bodyLarge)
            }
        }

        item(key = "location") { LocationBlock(detail) }

        if (detail.photos.isNotEmpty() || ActionKind.ADD_PHOTO in actions) {
            item(key = "photos") {
                Column(verticalArrangement = Arrangement.spacedBy(8.dp)) {
                    SectionTitle(stringResource(R.string.detail_photos))
                    LazyRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                        itemsIndexed(detail.photos) { index, photo ->
                            StoredPhoto(
                                sha256 = photo.thumbSha256,
                                load = loadPhoto,
                                maxSide = THUMBNAIL_PX,
                                contentDescription = stringResource(R.string.photo_number, index + 1),
                                modifier = Modifier.size(112.dp).clip(RoundedCornerShape(8.dp)),
                                onClick = { onView(photo.sha256) },
                            )
                        }
                    }
                    if (detail.photos.any { !it.available }) {
                        Text(
                            stringResource(R.string.detail_photos_full_on_demand),
                            style = MaterialTheme.typography.bodySmall,
                            color = colors.onSurfaceVariant,
                        )
                    }
                    if (ActionKind.ADD_PHOTO in actions) AddPhotoButtons(viewModel, enabled = !state.busy)
                }
            }
        }

        detail.rating?.let { rating -> item(key = "rating") { RatingBlock(rating) } }
        if (ActionKind.RATE in actions) {
            item(key = "rate") { RateForm(state, viewModel) }
        }

        item(key = "timeline-title") { SectionTitle(stringResource(R.string.detail_timeline)) }
        items(detail.timeline, key = { it.id }) { entry -> TimelineItem(entry, onView) }

        if (ActionKind.REPLY in actions) {
            item(key = "reply") { ReplyForm(state, viewModel) }
        }
    }
}

@Composable
private fun DeadlineCard(deadline: DeadlineView) {
    val dates = rememberDateFormats()
    val colors = MaterialTheme.colorScheme
    Card(
        colors = if (deadline.overdue) {
            CardDefaults.cardColors(containerColor = colors.errorContainer, contentColor = colors.onErrorContainer)
        } else {
            CardDefaults.cardColors()
        },
        modifier = Modifier.fillMaxWidth(),
    ) {
        Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
            Text(deadline.stageLabel, style = MaterialTheme.typography.titleMedium)
            Text(stringResource(R.string.deadline_due, dates.dateTime(deadline.dueAt)), style = MaterialTheme.typography.bodyMedium)
            Text(
                text = if (deadline.overdue) {
                    stringResource(R.string.deadline_overdue_by, -deadline.workingDaysLeft)
                } else {
                    stringResource(R.string.deadline_days_left, deadline.workingDaysLeft)
                },
                style = MaterialTheme.typography.bodySmall,
            )
            Text(
                stringResource(R.string.deadline_allowance, deadline.workingDays.toLong(), dates.date(deadline.startedAt)),
                style = MaterialTheme.typography.bodySmall,
            )
        }
    }
}

@Composable
private fun LocationBlock(detail: ComplaintDetail) {
    val location = detail.location
    val lines = listOf(location.address, location.kelurahan, location.kecamatan, location.city, location.province)
        .filter { it.isNotBlank() }
    val latitude = location.latitude
    val longitude = location.longitude
    Column(verticalArrangement = Arrangement.spacedBy(2.dp)) {
        SectionTitle(stringResource(R.string.detail_location))
        if (lines.isEmpty() && latitude == null) {
            Text(stringResource(R.string.detail_location_none), style = MaterialTheme.typography.bodyMedium)
        }
        lines.forEach { Text(it, style = MaterialTheme.typography.bodyMedium) }
        if (latitude != null && longitude != null) {
            Text(
                stringResource(R.string.location_coordinates, coordinate(latitude), coordinate(longitude)),
                style = MaterialTheme.typography.bodySmall,
            )
            location.accuracyM?.let {
                Text(stringResource(R.string.location_accuracy, metres(it)), style = MaterialTheme.typography.bodySmall)
            }
        }
    }
}

@Composable
private fun AddPhotoButtons(viewModel: DetailViewModel, enabled: Boolean) {
    val sources = rememberPhotoSources(onPhotos = viewModel::addPhotos, onError = viewModel::showMessage)
    Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
        OutlinedButton(onClick = sources.takePhoto, enabled = enabled) { Text(stringResource(R.string.photo_take)) }
        OutlinedButton(onClick = sources.pickPhotos, enabled = enabled) { Text(stringResource(R.string.photo_pick)) }
    }
}

@Composable
private fun Stars(count: Int, onPick: ((Int) -> Unit)?) {
    Row {
        (1..5).forEach { n ->
            val tint = if (n <= count) MaterialTheme.colorScheme.primary else MaterialTheme.colorScheme.outlineVariant
            val description = stringResource(R.string.rating_stars, n)
            if (onPick != null) {
                IconButton(onClick = { onPick(n) }) { Icon(Icons.Filled.Star, contentDescription = description, tint = tint) }
            } else {
                Icon(Icons.Filled.Star, contentDescription = null, tint = tint, modifier = Modifier.padding(2.dp))
            }
        }
    }
}

@Composable
private fun RatingBlock(rating: RatingView) {
    val dates = rememberDateFormats()
    Column(verticalArrangement = Arrangement.spacedBy(4.dp)) {
        SectionTitle(stringResource(R.string.detail_rating))
        Stars(rating.stars.toInt(), onPick = null)
        Text(stringResource(R.string.rating_given, rating.stars.toInt(), dates.dateTime(rating.at)), style = MaterialTheme.typography.bodySmall)
        if (rating.note.isNotBlank()) Text(rating.note, style = MaterialTheme.typography.bodyMedium)
    }
}

@Composable
private fun RateForm(state: DetailUiState, viewModel: DetailViewModel) {
    Card(Modifier.fillMaxWidth()) {
        Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
            Text(stringResource(R.string.rating_title), style = MaterialTheme.typography.titleMedium)
            Text(stringResource(R.string.rating_explained), style = MaterialTheme.typography.bodySmall)
            Stars(state.stars, onPick = viewModel::setStars)
            OutlinedTextField(
                value = state.ratingNote,
                onValueChange = viewModel::setRatingNote,
                label = { Text(stringResource(R.string.rating_note)) },
                modifier = Modifier.fillMaxWidth(),
            )
            Button(onClick = viewModel::sendRating, enabled = state.stars in 1..5 && !state.busy) {
                Text(stringResource(R.string.rating_send))
            }
        }
    }
}

@Composable
private fun TimelineItem(entry: TimelineEntry, onView: (String) -> Unit) {
    val dates = rememberDateFormats()
    val colors = MaterialTheme.colorScheme
    Column(verticalArrangement = Arrangement.spacedBy(2.dp)) {
        HorizontalDivider()
        Text(entry.actionLabel, style = MaterialTheme.typography.titleSmall, modifier = Modifier.padding(top = 8.dp))
        Text(
            stringResource(R.string.timeline_by_at, entry.authorLabel, dates.dateTime(entry.at)),
            style = MaterialTheme.typography.bodySmall,
            color = colors.onSurfaceVariant,
        )
        if (entry.note.isNotBlank()) Text(entry.note, style = MaterialTheme.typography.bodyMedium)
        if (entry.photos.isNotEmpty()) {
            Row(horizontalArrangement = Arrangement.spacedBy(4.dp), verticalAlignment = Alignment.CenterVertically) {
                entry.photos.forEachIndexed { index, sha ->
                    TextButton(onClick = { onView(sha) }) { Text(stringResource(R.string.timeline_photo, index + 1)) }
                }
            }
        }
        if (!entry.applied) {
            Text(
                text = entry.refusal?.let { stringResource(R.string.timeline_not_applied_because, it) }
                    ?: stringResource(R.string.timeline_not_applied),
                style = MaterialTheme.typography.bodySmall,
                color = colors.error,
            )
        }
    }
}

@Composable
private fun ReplyForm(state: DetailUiState, viewModel: DetailViewModel) {
    Row(verticalAlignment = Alignment.CenterVertically, modifier = Modifier.fillMaxWidth().padding(top = 8.dp)) {
        OutlinedTextField(
            value = state.reply,
            onValueChange = viewModel::setReply,
            label = { Text(stringResource(R.string.reply_label)) },
            modifier = Modifier.weight(1f),
        )
        IconButton(onClick = viewModel::sendReply, enabled = state.reply.isNotBlank() && !state.busy) {
            Icon(Icons.AutoMirrored.Filled.Send, contentDescription = stringResource(R.string.reply_send))
        }
    }
}
