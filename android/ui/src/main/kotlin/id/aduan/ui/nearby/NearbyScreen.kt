package id.aduan.ui.nearby

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.PaddingValues
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.size
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.filled.LocationOn
import androidx.compose.material3.Card
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.FilledTonalButton
import androidx.compose.material3.FilterChip
import androidx.compose.material3.Icon
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import id.aduan.ui.common.AduanTopBar
import id.aduan.ui.common.Loadable
import id.aduan.ui.common.SectionTitle
import id.aduan.ui.common.TypedCoordinates
import id.aduan.ui.common.coordinate
import id.aduan.ui.common.text
import id.aduan.core.distanceMetres
import id.aduan.ui.list.ComplaintCard
import id.aduan.ui.platform.LocalPlatform
import id.aduan.ui.strings.S
import id.aduan.ui.strings.stringResource

@Composable
fun NearbyScreen(
    viewModel: NearbyViewModel,
    syncIndicator: @Composable () -> Unit,
    onBack: () -> Unit,
    onOpen: (String) -> Unit,
) {
    val state by viewModel.state.collectAsStateWithLifecycle()
    val reports by viewModel.reports.collectAsStateWithLifecycle()
    val requestLocation = LocalPlatform.current.rememberLocationRequest(
        onGranted = viewModel::locate,
        onDenied = viewModel::onLocationDenied,
    )
    val tryAgain = { if (viewModel.hasLocationPermission()) viewModel.locate() else requestLocation() }

    Scaffold(topBar = { AduanTopBar(stringResource(S.nearby_title), syncIndicator, onBack) }) { padding ->
        LazyColumn(
            modifier = Modifier.fillMaxSize().padding(padding),
            contentPadding = PaddingValues(16.dp),
            verticalArrangement = Arrangement.spacedBy(10.dp),
        ) {
            item(key = "where") { WhereCard(state, viewModel.canLocate, tryAgain) }
            if (!viewModel.canLocate) item(key = "typed") { TypedCoordinates(state.typedLatitude, state.typedLongitude, viewModel::setTypedCoordinates) }
            item(key = "radius") { RadiusChoice(state.radius, viewModel::setRadius) }
            if (state.fix != null) {
                item(key = "explained") {
                    Text(
                        stringResource(S.nearby_explained),
                        style = MaterialTheme.typography.bodySmall,
                        color = MaterialTheme.colorScheme.onSurfaceVariant,
                    )
                }
            }
            when (val r = reports) {
                null -> Unit
                Loadable.Loading -> item(key = "loading") { CircularProgressIndicator() }
                is Loadable.Failed -> item(key = "failed") {
                    Text(r.message.text(), color = MaterialTheme.colorScheme.error)
                }
                is Loadable.Ready -> {
                    if (r.value.isEmpty()) {
                        item(key = "empty") {
                            Text(stringResource(S.nearby_empty), style = MaterialTheme.typography.titleMedium)
                        }
                    }
                    items(r.value, key = { it.id }) { item ->
                        Column(verticalArrangement = Arrangement.spacedBy(4.dp)) {
                            val fix = state.fix
                            val lat = item.latitude
                            val lon = item.longitude
                            if (fix != null && lat != null && lon != null) {
                                Text(
                                    stringResource(S.nearby_distance, distanceLabel(distanceMetres(fix.latitude, fix.longitude, lat, lon))),
                                    style = MaterialTheme.typography.labelLarge,
                                    color = MaterialTheme.colorScheme.onSurfaceVariant,
                                )
                            }
                            ComplaintCard(item, onClick = { onOpen(item.id) })
                        }
                    }
                }
            }
        }
    }
}

/** Where the list is measured from, or why there is no list yet. */
@Composable
private fun WhereCard(state: NearbyUiState, canLocate: Boolean, onTryAgain: () -> Unit) {
    val fix = state.fix
    Card(Modifier.fillMaxWidth()) {
        Column(Modifier.padding(12.dp), verticalArrangement = Arrangement.spacedBy(6.dp)) {
            Row(verticalAlignment = Alignment.CenterVertically, horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                Icon(Icons.Filled.LocationOn, contentDescription = null)
                Text(
                    text = when {
                        fix != null -> stringResource(S.nearby_from, stringResource(S.location_coordinates, coordinate(fix.latitude), coordinate(fix.longitude)))
                        state.locating -> stringResource(S.location_searching)
                        else -> stringResource(S.nearby_no_location)
                    },
                    style = MaterialTheme.typography.bodyMedium,
                    modifier = Modifier.weight(1f),
                )
                if (state.locating) CircularProgressIndicator(Modifier.size(20.dp), strokeWidth = 2.dp)
            }
            if (!canLocate) {
                Text(
                    stringResource(S.nearby_typed),
                    style = MaterialTheme.typography.bodySmall,
                    color = MaterialTheme.colorScheme.onSurfaceVariant,
                )
            } else if (!state.locating && (fix == null || state.failed)) {
                FilledTonalButton(onClick = onTryAgain) { Text(stringResource(S.nearby_try_again)) }
            }
        }
    }
}

@Composable
private fun RadiusChoice(selected: Radius, onPick: (Radius) -> Unit) {
    Column(verticalArrangement = Arrangement.spacedBy(4.dp)) {
        SectionTitle(stringResource(S.nearby_radius))
        Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            Radius.entries.forEach { radius ->
                FilterChip(
                    selected = radius == selected,
                    onClick = { onPick(radius) },
                    label = { Text(radiusLabel(radius)) },
                )
            }
        }
    }
}

@Composable
fun radiusLabel(radius: Radius): String =
    if (radius.metres < 1_000) {
        stringResource(S.nearby_radius_m, radius.metres)
    } else {
        stringResource(S.nearby_radius_km, radius.metres / 1_000)
    }

/** A distance as people say it: metres to the nearest ten under a kilometre, else kilometres. */
internal fun distanceLabel(metres: Double): String =
    if (metres < 1000) "${(Math.round(metres / 10.0) * 10).coerceAtLeast(10)} m"
    else String.format(java.util.Locale.ROOT, "%.1f km", metres / 1000.0)
