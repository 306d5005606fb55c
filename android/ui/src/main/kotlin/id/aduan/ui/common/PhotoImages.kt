package id.aduan.ui.common

import androidx.compose.foundation.Image
import androidx.compose.foundation.background
import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableIntStateOf
import androidx.compose.runtime.produceState
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.ImageBitmap
import androidx.compose.ui.layout.ContentScale
import androidx.compose.ui.text.style.TextAlign
import androidx.compose.ui.unit.dp
import androidx.compose.ui.window.Dialog
import androidx.compose.ui.window.DialogProperties
import id.aduan.ui.platform.LocalPlatform
import id.aduan.ui.strings.S
import id.aduan.ui.strings.stringResource
import kotlinx.coroutines.CancellationException

/** Longest side, in pixels, of a thumbnail and of a photo shown full screen. */
const val THUMBNAIL_PX = 320
const val FULL_PX = 2048

private sealed interface PhotoLoad {
    data object Loading : PhotoLoad
    data class Ready(val image: ImageBitmap) : PhotoLoad
    data object Unavailable : PhotoLoad
}

/**
 * A photo core keeps, by hash: loaded through [load] (the repository's photo(), which fetches
 * it from the server when this phone does not have it yet). Tapping a missing one tries again.
 */
@Composable
fun StoredPhoto(
    sha256: String,
    load: suspend (String) -> ByteArray?,
    maxSide: Int,
    contentDescription: String,
    modifier: Modifier = Modifier,
    contentScale: ContentScale = ContentScale.Crop,
    onClick: (() -> Unit)? = null,
) {
    val platform = LocalPlatform.current
    var attempt by remember(sha256) { mutableIntStateOf(0) }
    val state by produceState<PhotoLoad>(PhotoLoad.Loading, sha256, attempt) {
        value = PhotoLoad.Loading
        value = try {
            load(sha256)?.let { platform.decodeImage(it, maxSide) }?.let { PhotoLoad.Ready(it) } ?: PhotoLoad.Unavailable
        } catch (e: CancellationException) {
            throw e
        } catch (_: Exception) {
            PhotoLoad.Unavailable
        }
    }
    val clickable = when (state) {
        is PhotoLoad.Ready -> onClick
        PhotoLoad.Unavailable -> ({ attempt += 1 })
        PhotoLoad.Loading -> null
    }
    Box(
        modifier = modifier
            .background(MaterialTheme.colorScheme.surfaceVariant)
            .then(if (clickable != null) Modifier.clickable(onClick = clickable) else Modifier),
        contentAlignment = Alignment.Center,
    ) {
        when (val s = state) {
            PhotoLoad.Loading -> CircularProgressIndicator(Modifier.padding(12.dp))
            is PhotoLoad.Ready -> Image(
                bitmap = s.image,
                contentDescription = contentDescription,
                contentScale = contentScale,
                modifier = Modifier.fillMaxSize(),
            )
            PhotoLoad.Unavailable -> Text(
                text = stringResource(S.photo_not_available),
                style = MaterialTheme.typography.labelSmall,
                textAlign = TextAlign.Center,
                modifier = Modifier.padding(4.dp),
            )
        }
    }
}

/** A photo the user picked, not yet in core: decoded small from its bytes. */
@Composable
fun PendingPhotoImage(photo: PendingPhoto, contentDescription: String, modifier: Modifier = Modifier) {
    val platform = LocalPlatform.current
    val image by produceState<ImageBitmap?>(null, photo.key) { value = platform.decodeImage(photo.bytes, THUMBNAIL_PX) }
    Box(modifier.background(MaterialTheme.colorScheme.surfaceVariant), contentAlignment = Alignment.Center) {
        image?.let {
            Image(
                bitmap = it,
                contentDescription = contentDescription,
                contentScale = ContentScale.Crop,
                modifier = Modifier.fillMaxSize(),
            )
        } ?: CircularProgressIndicator(Modifier.padding(12.dp))
    }
}

/** Full-size photo over the whole screen, fetched on demand. */
@Composable
fun PhotoViewer(sha256: String, load: suspend (String) -> ByteArray?, onDismiss: () -> Unit) {
    Dialog(onDismissRequest = onDismiss, properties = DialogProperties(usePlatformDefaultWidth = false)) {
        Box(Modifier.fillMaxSize().background(MaterialTheme.colorScheme.scrim)) {
            StoredPhoto(
                sha256 = sha256,
                load = load,
                maxSide = FULL_PX,
                contentDescription = stringResource(S.photo_full_size),
                contentScale = ContentScale.Fit,
                modifier = Modifier.fillMaxSize(),
            )
            TextButton(onClick = onDismiss, modifier = Modifier.align(Alignment.TopEnd).padding(8.dp)) {
                Text(stringResource(S.close))
            }
        }
    }
}
