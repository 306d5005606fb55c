package id.aduan.ui.common

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import id.aduan.ui.platform.Fix
import id.aduan.ui.strings.S
import id.aduan.ui.strings.stringResource

/**
 * Coordinates typed as a map shows them (a dot, decimals): the position once both parse and are
 * in range, else none.
 */
fun typedFix(latitude: String, longitude: String): Fix? {
    val lat = latitude.trim().toDoubleOrNull()?.takeIf { it in -90.0..90.0 }
    val lon = longitude.trim().toDoubleOrNull()?.takeIf { it in -180.0..180.0 }
    return if (lat != null && lon != null) Fix(lat, lon, null, System.currentTimeMillis()) else null
}

/** Where the device cannot find itself: latitude and longitude typed from a map. */
@Composable
fun TypedCoordinates(latitude: String, longitude: String, onChange: (latitude: String, longitude: String) -> Unit) {
    Row(horizontalArrangement = Arrangement.spacedBy(8.dp), modifier = Modifier.fillMaxWidth()) {
        OutlinedTextField(
            value = latitude,
            onValueChange = { onChange(it, longitude) },
            label = { Text(stringResource(S.location_latitude)) },
            singleLine = true,
            modifier = Modifier.weight(1f),
        )
        OutlinedTextField(
            value = longitude,
            onValueChange = { onChange(latitude, it) },
            label = { Text(stringResource(S.location_longitude)) },
            singleLine = true,
            modifier = Modifier.weight(1f),
        )
    }
}
