@file:OptIn(ExperimentalMaterial3Api::class)

package id.aduan.ui.report

import androidx.compose.foundation.horizontalScroll
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.imePadding
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.size
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.selection.selectable
import androidx.compose.foundation.selection.selectableGroup
import androidx.compose.foundation.shape.RoundedCornerShape
import androidx.compose.foundation.verticalScroll
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.filled.Close
import androidx.compose.material.icons.filled.LocationOn
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.ExperimentalMaterial3Api
import androidx.compose.material3.FilledTonalIconButton
import androidx.compose.material3.Icon
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.RadioButton
import androidx.compose.material3.Scaffold
import androidx.compose.material3.SnackbarHost
import androidx.compose.material3.SnackbarHostState
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.remember
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.draw.clip
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import id.aduan.ui.strings.S
import id.aduan.ui.strings.stringResource
import id.aduan.ui.common.AduanTopBar
import id.aduan.ui.common.DropdownField
import id.aduan.ui.common.ExplainedSwitch
import id.aduan.ui.common.MAX_PICKED_PHOTOS
import id.aduan.ui.common.PendingPhotoImage
import id.aduan.ui.common.SectionTitle
import id.aduan.ui.common.TypedCoordinates
import id.aduan.ui.common.coordinate
import id.aduan.ui.common.metres
import id.aduan.ui.platform.LocalPlatform
import id.aduan.ui.common.text
import id.aduan.core.CategoryView
import id.aduan.core.ReportKind

@Composable
fun ReportScreen(
    viewModel: ReportViewModel,
    syncIndicator: @Composable () -> Unit,
    onBack: () -> Unit,
    onOpenReport: (String) -> Unit,
) {
    val state by viewModel.state.collectAsStateWithLifecycle()
    val snackbar = remember { SnackbarHostState() }
    val messageText = state.message?.text()
    LaunchedEffect(state.message) {
        if (messageText != null) {
            snackbar.showSnackbar(messageText)
            viewModel.messageShown()
        }
    }

    Scaffold(
        topBar = { AduanTopBar(stringResource(S.report_title), syncIndicator, onBack) },
        snackbarHost = { SnackbarHost(snackbar) },
    ) { padding ->
        val saved = state.saved
        if (saved != null) {
            SavedReportCard(
                saved = saved,
                onOpen = { onOpenReport(saved.id) },
                onAnother = viewModel::startAnother,
                modifier = Modifier.padding(padding),
            )
        } else {
            ReportForm(state, viewModel, Modifier.padding(padding))
        }
    }
}

@Composable
private fun ReportForm(state: ReportUiState, viewModel: ReportViewModel, modifier: Modifier) {
    val form = state.form
    val photoSources = LocalPlatform.current.rememberPhotoSources(onPhotos = viewModel::addPhotos, onError = viewModel::showMessage)
    val requestLocation = LocalPlatform.current.rememberLocationRequest(
        onGranted = viewModel::locate,
        onDenied = viewModel::onLocationDenied,
    )

    Column(
        modifier = modifier
            .fillMaxSize()
            .imePadding()
            .verticalScroll(rememberScrollState())
            .padding(16.dp),
        verticalArrangement = Arrangement.spacedBy(12.dp),
    ) {
        SectionTitle(stringResource(S.report_kind))
        KindChoice(selected = form.kind, onSelect = viewModel::setKind)

        SectionTitle(stringResource(S.report_category))
        CategoryChoice(state, onChoose = viewModel::chooseCategory)

        SectionTitle(stringResource(S.report_what_happened))
        OutlinedTextField(
            value = form.title,
            onValueChange = viewModel::setTitle,
            label = { Text(stringResource(S.report_field_title)) },
            supportingText = { Text(stringResource(S.report_field_title_hint)) },
            singleLine = true,
            modifier = Modifier.fillMaxWidth(),
        )
        OutlinedTextField(
            value = form.description,
            onValueChange = viewModel::setDescription,
            label = { Text(stringResource(S.report_field_description)) },
            supportingText = { Text(stringResource(S.report_field_description_hint)) },
            minLines = 4,
            modifier = Modifier.fillMaxWidth(),
        )

        SectionTitle(stringResource(S.report_photos))
        Text(
            stringResource(S.report_photos_explained, MAX_PICKED_PHOTOS),
            style = MaterialTheme.typography.bodySmall,
            color = MaterialTheme.colorScheme.onSurfaceVariant,
        )
        Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            val room = form.photos.size < MAX_PICKED_PHOTOS
            photoSources.takePhoto?.let { take ->
                OutlinedButton(onClick = take, enabled = room) { Text(stringResource(S.photo_take)) }
            }
            OutlinedButton(onClick = photoSources.pickPhotos, enabled = room) {
                Text(stringResource(S.photo_pick))
            }
        }
        if (form.photos.isNotEmpty()) {
            Row(
                modifier = Modifier.horizontalScroll(rememberScrollState()),
                horizontalArrangement = Arrangement.spacedBy(8.dp),
            ) {
                form.photos.forEachIndexed { index, photo ->
                    Box {
                        PendingPhotoImage(
                            photo = photo,
                            contentDescription = stringResource(S.photo_number, index + 1),
                            modifier = Modifier.size(96.dp).clip(RoundedCornerShape(8.dp)),
                        )
                        FilledTonalIconButton(
                            onClick = { viewModel.removePhoto(photo.key) },
                            modifier = Modifier.align(Alignment.TopEnd).size(32.dp),
                        ) {
                            Icon(Icons.Filled.Close, contentDescription = stringResource(S.photo_remove))
                        }
                    }
                }
            }
        }

        SectionTitle(stringResource(S.report_location))
        LocationSection(
            state = state,
            canLocate = viewModel.canLocate,
            onLocate = { if (viewModel.hasLocationPermission()) viewModel.locate() else requestLocation() },
            onStop = viewModel::stopLocating,
            onClear = viewModel::clearLocation,
        )
        if (!viewModel.canLocate) TypedCoordinates(state.form.typedLatitude, state.form.typedLongitude, viewModel::setTypedCoordinates)
        AreaChoice(state, viewModel)
        OutlinedTextField(
            value = form.address,
            onValueChange = viewModel::setAddress,
            label = { Text(stringResource(S.report_address)) },
            supportingText = { Text(stringResource(S.report_address_hint)) },
            modifier = Modifier.fillMaxWidth(),
        )

        SectionTitle(stringResource(S.report_privacy))
        ExplainedSwitch(
            title = stringResource(S.report_anonymous),
            explanation = stringResource(S.report_anonymous_explained),
            checked = form.anonymous,
            onCheckedChange = viewModel::setAnonymous,
        )
        ExplainedSwitch(
            title = stringResource(S.report_confidential),
            explanation = stringResource(S.report_confidential_explained),
            checked = form.confidential,
            onCheckedChange = viewModel::setConfidential,
        )

        Text(
            stringResource(S.report_saved_offline_note),
            style = MaterialTheme.typography.bodySmall,
            color = MaterialTheme.colorScheme.onSurfaceVariant,
        )
        Button(onClick = viewModel::save, enabled = state.canSave, modifier = Modifier.fillMaxWidth()) {
            if (state.saving) {
                CircularProgressIndicator(
                    modifier = Modifier.size(18.dp),
                    color = MaterialTheme.colorScheme.onPrimary,
                    strokeWidth = 2.dp,
                )
            } else {
                Text(stringResource(S.report_save))
            }
        }
        if (!state.canSave && !state.saving) {
            Text(
                stringResource(S.report_required_fields),
                style = MaterialTheme.typography.bodySmall,
                color = MaterialTheme.colorScheme.onSurfaceVariant,
            )
        }
    }
}

@Composable
private fun KindChoice(selected: ReportKind, onSelect: (ReportKind) -> Unit) {
    Column(Modifier.selectableGroup()) {
        ReportKind.entries.forEach { kind ->
            Row(
                modifier = Modifier
                    .fillMaxWidth()
                    .selectable(selected = kind == selected, role = Role.RadioButton, onClick = { onSelect(kind) })
                    .padding(vertical = 4.dp),
                verticalAlignment = Alignment.CenterVertically,
            ) {
                RadioButton(selected = kind == selected, onClick = null)
                Column(Modifier.padding(start = 12.dp)) {
                    Text(stringResource(kindName(kind)), style = MaterialTheme.typography.bodyLarge)
                    Text(
                        stringResource(kindExplained(kind)),
                        style = MaterialTheme.typography.bodySmall,
                        color = MaterialTheme.colorScheme.onSurfaceVariant,
                    )
                }
            }
        }
    }
}

private fun kindName(kind: ReportKind): S = when (kind) {
    ReportKind.COMPLAINT -> S.kind_complaint
    ReportKind.ASPIRATION -> S.kind_aspiration
    ReportKind.INFORMATION_REQUEST -> S.kind_information_request
}

private fun kindExplained(kind: ReportKind): S = when (kind) {
    ReportKind.COMPLAINT -> S.kind_complaint_explained
    ReportKind.ASPIRATION -> S.kind_aspiration_explained
    ReportKind.INFORMATION_REQUEST -> S.kind_information_request_explained
}

/** One menu per level of the category tree, each listing the children of the level above. */
@Composable
private fun CategoryChoice(state: ReportUiState, onChoose: (Int, String?) -> Unit) {
    val path = state.form.categoryPath
    val byId = remember(state.categories) { state.categories.associateBy { it.id } }
    // The options of each level shown: the roots, then the children of each chosen category.
    val levels = remember(state.categories, path) {
        buildList {
            var parent: String? = null
            while (true) {
                val options = state.children(parent)
                if (options.isEmpty()) break
                add(options)
                parent = path.getOrNull(size - 1) ?: break
            }
        }
    }
    levels.forEachIndexed { level, options ->
        DropdownField(
            label = stringResource(if (level == 0) S.report_category else S.report_subcategory),
            options = options,
            selected = path.getOrNull(level)?.let(byId::get),
            optionLabel = CategoryView::label,
            onSelect = { onChoose(level, it?.id) },
            noneLabel = if (level == 0) null else stringResource(S.report_subcategory_none),
            modifier = Modifier.fillMaxWidth(),
        )
    }
}

@Composable
private fun LocationSection(
    state: ReportUiState,
    canLocate: Boolean,
    onLocate: () -> Unit,
    onStop: () -> Unit,
    onClear: () -> Unit,
) {
    val fix = state.form.fix
    Card(Modifier.fillMaxWidth()) {
        Column(Modifier.padding(12.dp), verticalArrangement = Arrangement.spacedBy(6.dp)) {
            Row(verticalAlignment = Alignment.CenterVertically, horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                Icon(Icons.Filled.LocationOn, contentDescription = null)
                Text(
                    text = if (fix == null) {
                        stringResource(if (state.locating) S.location_searching else S.location_none)
                    } else {
                        stringResource(S.location_coordinates, coordinate(fix.latitude), coordinate(fix.longitude))
                    },
                    style = MaterialTheme.typography.bodyMedium,
                    modifier = Modifier.weight(1f),
                )
                if (state.locating) CircularProgressIndicator(Modifier.size(20.dp), strokeWidth = 2.dp)
            }
            if (fix != null) {
                Text(
                    text = fix.accuracyM
                        ?.let { stringResource(S.location_accuracy, metres(it.toDouble())) }
                        ?: stringResource(S.location_accuracy_unknown),
                    style = MaterialTheme.typography.bodySmall,
                    color = MaterialTheme.colorScheme.onSurfaceVariant,
                )
            }
            Text(
                stringResource(if (canLocate) S.location_explained else S.location_typed),
                style = MaterialTheme.typography.bodySmall,
                color = MaterialTheme.colorScheme.onSurfaceVariant,
            )
            Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                if (!canLocate) {
                    // typed coordinates: the fields under this card
                } else if (state.locating) {
                    TextButton(onClick = onStop) { Text(stringResource(S.location_stop)) }
                } else {
                    TextButton(onClick = onLocate) {
                        Text(stringResource(if (fix == null) S.location_use_mine else S.location_again))
                    }
                }
                if (fix != null) TextButton(onClick = onClear) { Text(stringResource(S.location_clear)) }
            }
        }
    }
}

@Composable
private fun AreaChoice(state: ReportUiState, viewModel: ReportViewModel) {
    val areas = state.areas
    if (areas.kecamatan.isEmpty()) return
    val several = areas.severalInstitutions
    val label: (AreaUnit) -> String = { it.name }
    val kecamatanLabels = areas.kecamatan.associate { unit ->
        unit.id to if (several) stringResource(S.area_in_institution, unit.name, unit.institutionName) else unit.name
    }
    DropdownField(
        label = stringResource(S.report_kecamatan),
        options = areas.kecamatan,
        selected = areas.kecamatan.firstOrNull { it.id == state.form.kecamatanId },
        optionLabel = { kecamatanLabels[it.id] ?: it.name },
        onSelect = { viewModel.chooseKecamatan(it?.id) },
        noneLabel = stringResource(S.report_area_unknown),
        modifier = Modifier.fillMaxWidth(),
    )
    val kelurahan = areas.kelurahanOf(state.form.kecamatanId)
    DropdownField(
        label = stringResource(S.report_kelurahan),
        options = kelurahan,
        selected = kelurahan.firstOrNull { it.id == state.form.kelurahanId },
        optionLabel = label,
        onSelect = { viewModel.chooseKelurahan(it?.id) },
        noneLabel = stringResource(S.report_area_unknown),
        enabled = state.form.kecamatanId != null && kelurahan.isNotEmpty(),
        modifier = Modifier.fillMaxWidth(),
    )
}

@Composable
private fun SavedReportCard(saved: SavedReport, onOpen: () -> Unit, onAnother: () -> Unit, modifier: Modifier) {
    Column(
        modifier = modifier.fillMaxSize().padding(24.dp),
        verticalArrangement = Arrangement.spacedBy(16.dp),
    ) {
        Text(stringResource(S.report_saved_title), style = MaterialTheme.typography.headlineSmall)
        Text(stringResource(S.report_saved_tracking, saved.trackingId), style = MaterialTheme.typography.titleMedium)
        Text(
            stringResource(if (saved.online) S.report_saved_sending else S.report_saved_offline),
            style = MaterialTheme.typography.bodyLarge,
        )
        Button(onClick = onOpen, modifier = Modifier.fillMaxWidth()) { Text(stringResource(S.report_saved_open)) }
        OutlinedButton(onClick = onAnother, modifier = Modifier.fillMaxWidth()) {
            Text(stringResource(S.report_saved_another))
        }
    }
}
