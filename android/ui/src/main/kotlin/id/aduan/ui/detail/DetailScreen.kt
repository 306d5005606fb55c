package id.aduan.ui.detail

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.text.selection.SelectionContainer
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
import androidx.compose.ui.text.style.TextAlign
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import id.aduan.ui.strings.S
import id.aduan.ui.strings.stringResource
import id.aduan.ui.common.AduanTopBar
import id.aduan.ui.common.Loadable
import id.aduan.ui.common.Pill
import id.aduan.ui.common.PhotoViewer
import id.aduan.ui.common.RefusedWorkCard
import id.aduan.ui.common.SectionTitle
import id.aduan.ui.common.StoredPhoto
import id.aduan.ui.common.THUMBNAIL_PX
import id.aduan.ui.common.coordinate
import id.aduan.ui.common.metres
import id.aduan.ui.common.rememberDateFormats
import id.aduan.ui.platform.LocalPlatform
import id.aduan.ui.common.text
import id.aduan.ui.list.Centered
import id.aduan.core.ActionKind
import id.aduan.core.ComplaintDetail
import id.aduan.core.DeadlineView
import id.aduan.core.RatingView
import id.aduan.core.ReporterContact
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
    val reporter by viewModel.reporterContact.collectAsStateWithLifecycle()
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
        else -> stringResource(S.detail_title)
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
                reporter = reporter,
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
    reporter: ReporterContact?,
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
    // Editing is the reporter's, offered only while core lists it; the other steps are the handlers'.
    val steps = actions.filter { it in STEP_ACTIONS || it == ActionKind.EDIT }

    LazyColumn(
        modifier = modifier.fillMaxSize().imePadding(),
        contentPadding = PaddingValues(16.dp),
        verticalArrangement = Arrangement.spacedBy(12.dp),
    ) {
        item(key = "header") {
            Column(verticalArrangement = Arrangement.spacedBy(6.dp)) {
                Text(summary.title, style = MaterialTheme.typography.headlineSmall)
                Text(
                    stringResource(S.complaint_kind_category, summary.trackingId, summary.kindLabel, summary.categoryLabel),
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
                    if (summary.overdue) Pill(stringResource(S.overdue), colors.errorContainer, colors.onErrorContainer)
                    if (summary.pendingSync) Pill(stringResource(S.not_yet_sent), colors.surfaceVariant, colors.onSurfaceVariant)
                }
                Row(horizontalArrangement = Arrangement.spacedBy(6.dp)) {
                    if (summary.anonymous) Pill(stringResource(S.flag_anonymous), colors.surfaceVariant, colors.onSurfaceVariant)
                    if (summary.confidential) Pill(stringResource(S.flag_confidential), colors.surfaceVariant, colors.onSurfaceVariant)
                    if (detail.fieldInspection) Pill(stringResource(S.flag_field_inspection), colors.surfaceVariant, colors.onSurfaceVariant)
                }
                Text(stringResource(S.detail_reporter, detail.reporterLabel), style = MaterialTheme.typography.bodySmall)
                Text(stringResource(S.detail_filed_at, dates.dateTime(summary.createdAt)), style = MaterialTheme.typography.bodySmall)
                detail.mergedInto?.let {
                    Text(stringResource(S.detail_merged_into, it), style = MaterialTheme.typography.bodyMedium)
                }
                if (detail.duplicates.isNotEmpty()) {
                    Text(
                        stringResource(S.detail_duplicates, detail.duplicates.joinToString()),
                        style = MaterialTheme.typography.bodySmall,
                    )
                }
                if (detail.autoCompleted) {
                    Text(stringResource(S.detail_auto_completed), style = MaterialTheme.typography.bodySmall)
                }
                if (summary.damaged) {
                    Text(stringResource(S.complaint_damaged), color = colors.error, style = MaterialTheme.typography.bodySmall)
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
                    SectionTitle(stringResource(S.detail_actions))
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
                SectionTitle(stringResource(S.detail_description))
                Text(detail.description, style = MaterialTheme.typography.bodyLarge)
            }
        }

        item(key = "location") { LocationBlock(detail) }

        reporter?.let { contact -> item(key = "reporter") { ReporterCard(contact) } }

        if (detail.photos.isNotEmpty() || ActionKind.ADD_PHOTO in actions) {
            item(key = "photos") {
                Column(verticalArrangement = Arrangement.spacedBy(8.dp)) {
                    SectionTitle(stringResource(S.detail_photos))
                    LazyRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                        itemsIndexed(detail.photos) { index, photo ->
                            StoredPhoto(
                                sha256 = photo.thumbSha256,
                                load = loadPhoto,
                                maxSide = THUMBNAIL_PX,
                                contentDescription = stringResource(S.photo_number, index + 1),
                                modifier = Modifier.size(112.dp).clip(RoundedCornerShape(8.dp)),
                                onClick = { onView(photo.sha256) },
                            )
                        }
                    }
                    if (detail.photos.any { !it.available }) {
                        Text(
                            stringResource(S.detail_photos_full_on_demand),
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

        item(key = "timeline-title") { SectionTitle(stringResource(S.detail_timeline)) }
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
            Text(stringResource(S.deadline_due, dates.dateTime(deadline.dueAt)), style = MaterialTheme.typography.bodyMedium)
            Text(
                text = if (deadline.overdue) {
                    stringResource(S.deadline_overdue_by, -deadline.workingDaysLeft)
                } else {
                    stringResource(S.deadline_days_left, deadline.workingDaysLeft)
                },
                style = MaterialTheme.typography.bodySmall,
            )
            Text(
                stringResource(S.deadline_allowance, deadline.workingDays.toLong(), dates.date(deadline.startedAt)),
                style = MaterialTheme.typography.bodySmall,
            )
        }
    }
}

/** Who reported it and how to reach them, as core gave it; selectable so a number can be copied. */
@Composable
private fun ReporterCard(contact: ReporterContact) {
    val fields = listOf(
        S.detail_reporter_name to contact.name,
        S.detail_reporter_phone to contact.phone,
        S.detail_reporter_email to contact.email,
    ).filter { it.second.isNotBlank() }
    Card(Modifier.fillMaxWidth()) {
        Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
            Text(stringResource(S.detail_reporter_contact), style = MaterialTheme.typography.titleMedium)
            SelectionContainer {
                Column(verticalArrangement = Arrangement.spacedBy(6.dp)) {
                    fields.forEach { (label, value) ->
                        Column {
                            Text(
                                stringResource(label),
                                style = MaterialTheme.typography.labelMedium,
                                color = MaterialTheme.colorScheme.onSurfaceVariant,
                            )
                            Text(value, style = MaterialTheme.typography.bodyLarge)
                        }
                    }
                }
            }
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
        SectionTitle(stringResource(S.detail_location))
        if (lines.isEmpty() && latitude == null) {
            Text(stringResource(S.detail_location_none), style = MaterialTheme.typography.bodyMedium)
        }
        lines.forEach { Text(it, style = MaterialTheme.typography.bodyMedium) }
        if (latitude != null && longitude != null) {
            Text(
                stringResource(S.location_coordinates, coordinate(latitude), coordinate(longitude)),
                style = MaterialTheme.typography.bodySmall,
            )
            location.accuracyM?.let {
                Text(stringResource(S.location_accuracy, metres(it)), style = MaterialTheme.typography.bodySmall)
            }
        }
    }
}

@Composable
private fun AddPhotoButtons(viewModel: DetailViewModel, enabled: Boolean) {
    val sources = LocalPlatform.current.rememberPhotoSources(onPhotos = viewModel::addPhotos, onError = viewModel::showMessage)
    Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
        sources.takePhoto?.let { take ->
            OutlinedButton(onClick = take, enabled = enabled) { Text(stringResource(S.photo_take)) }
        }
        OutlinedButton(onClick = sources.pickPhotos, enabled = enabled) { Text(stringResource(S.photo_pick)) }
    }
}

@Composable
private fun Stars(count: Int, onPick: ((Int) -> Unit)?) {
    Row {
        (1..5).forEach { n ->
            val tint = if (n <= count) MaterialTheme.colorScheme.primary else MaterialTheme.colorScheme.outlineVariant
            val description = stringResource(S.rating_stars, n)
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
        SectionTitle(stringResource(S.detail_rating))
        Stars(rating.stars.toInt(), onPick = null)
        Text(stringResource(S.rating_given, rating.stars.toInt(), dates.dateTime(rating.at)), style = MaterialTheme.typography.bodySmall)
        if (rating.note.isNotBlank()) Text(rating.note, style = MaterialTheme.typography.bodyMedium)
    }
}

@Composable
private fun RateForm(state: DetailUiState, viewModel: DetailViewModel) {
    Card(Modifier.fillMaxWidth()) {
        Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
            Text(stringResource(S.rating_title), style = MaterialTheme.typography.titleMedium)
            Text(stringResource(S.rating_explained), style = MaterialTheme.typography.bodySmall)
            Stars(state.stars, onPick = viewModel::setStars)
            OutlinedTextField(
                value = state.ratingNote,
                onValueChange = viewModel::setRatingNote,
                label = { Text(stringResource(S.rating_note)) },
                modifier = Modifier.fillMaxWidth(),
            )
            Button(onClick = viewModel::sendRating, enabled = state.stars in 1..5 && !state.busy) {
                Text(stringResource(S.rating_send))
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
            stringResource(S.timeline_by_at, entry.authorLabel, dates.dateTime(entry.at)),
            style = MaterialTheme.typography.bodySmall,
            color = colors.onSurfaceVariant,
        )
        if (entry.note.isNotBlank()) Text(entry.note, style = MaterialTheme.typography.bodyMedium)
        if (entry.photos.isNotEmpty()) {
            Row(horizontalArrangement = Arrangement.spacedBy(4.dp), verticalAlignment = Alignment.CenterVertically) {
                entry.photos.forEachIndexed { index, sha ->
                    TextButton(onClick = { onView(sha) }) { Text(stringResource(S.timeline_photo, index + 1)) }
                }
            }
        }
        if (!entry.applied) {
            Text(
                text = entry.refusal?.let { stringResource(S.timeline_not_applied_because, it) }
                    ?: stringResource(S.timeline_not_applied),
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
            label = { Text(stringResource(S.reply_label)) },
            modifier = Modifier.weight(1f),
        )
        IconButton(onClick = viewModel::sendReply, enabled = state.reply.isNotBlank() && !state.busy) {
            Icon(Icons.AutoMirrored.Filled.Send, contentDescription = stringResource(S.reply_send))
        }
    }
}
