package id.aduan.android.platform

import android.Manifest
import android.content.ActivityNotFoundException
import android.content.Context
import android.content.pm.PackageManager
import android.net.Uri
import androidx.activity.compose.rememberLauncherForActivityResult
import androidx.activity.result.PickVisualMediaRequest
import androidx.activity.result.contract.ActivityResultContracts
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.runtime.rememberUpdatedState
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.platform.LocalContext
import androidx.core.content.ContextCompat
import androidx.core.content.FileProvider
import id.aduan.ui.common.MAX_PICKED_PHOTOS
import id.aduan.ui.common.UiMessage
import id.aduan.ui.platform.PhotoSources
import id.aduan.ui.strings.S
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import java.io.File
import java.io.IOException
import java.util.UUID

/**
 * Camera and gallery launchers that hand back the photos' bytes, read off the main thread.
 * The camera writes into cache/camera/ through the app's FileProvider; the file is deleted once
 * read. [onError] receives what to tell the user.
 */
@Composable
fun rememberAndroidPhotoSources(
    onPhotos: (List<ByteArray>) -> Unit,
    onError: (UiMessage) -> Unit,
): PhotoSources {
    val context = LocalContext.current
    val scope = rememberCoroutineScope()
    val deliver by rememberUpdatedState(onPhotos)
    val fail by rememberUpdatedState(onError)
    // Survives the activity being recreated (or the process killed) while the camera app is open.
    var cameraUri by rememberSaveable { mutableStateOf<String?>(null) }

    fun read(uris: List<Uri>, deleteAfter: Boolean) {
        scope.launch {
            try {
                val photos = withContext(Dispatchers.IO) {
                    uris.map { uri ->
                        val bytes = context.contentResolver.openInputStream(uri)?.use { it.readBytes() }
                            ?: throw IOException("cannot open $uri")
                        if (deleteAfter) context.contentResolver.delete(uri, null, null)
                        bytes
                    }
                }
                deliver(photos)
            } catch (_: IOException) {
                fail(UiMessage.Resource(S.error_photo_read))
            } catch (_: SecurityException) {
                fail(UiMessage.Resource(S.error_photo_read))
            }
        }
    }

    val takePicture = rememberLauncherForActivityResult(ActivityResultContracts.TakePicture()) { saved ->
        val uri = cameraUri?.let(Uri::parse)
        cameraUri = null
        if (uri == null) return@rememberLauncherForActivityResult
        if (saved) {
            read(listOf(uri), deleteAfter = true)
        } else {
            scope.launch(Dispatchers.IO) { context.contentResolver.delete(uri, null, null) }
        }
    }

    fun launchCamera() {
        val uri = newCameraUri(context)
        cameraUri = uri.toString()
        try {
            takePicture.launch(uri)
        } catch (_: ActivityNotFoundException) {
            cameraUri = null
            fail(UiMessage.Resource(S.error_no_camera))
        }
    }

    val cameraPermission = rememberLauncherForActivityResult(ActivityResultContracts.RequestPermission()) { granted ->
        if (granted) launchCamera() else fail(UiMessage.Resource(S.error_camera_permission))
    }

    val pickMedia = rememberLauncherForActivityResult(
        ActivityResultContracts.PickMultipleVisualMedia(MAX_PICKED_PHOTOS),
    ) { uris ->
        if (uris.isNotEmpty()) read(uris, deleteAfter = false)
    }

    return remember(takePicture, cameraPermission, pickMedia) {
        PhotoSources(
            takePhoto = {
                val granted = ContextCompat.checkSelfPermission(context, Manifest.permission.CAMERA) ==
                    PackageManager.PERMISSION_GRANTED
                if (granted) launchCamera() else cameraPermission.launch(Manifest.permission.CAMERA)
            },
            pickPhotos = {
                pickMedia.launch(PickVisualMediaRequest(ActivityResultContracts.PickVisualMedia.ImageOnly))
            },
        )
    }
}

private fun newCameraUri(context: Context): Uri {
    val dir = File(context.cacheDir, "camera").apply { mkdirs() }
    val file = File(dir, "photo-${UUID.randomUUID()}.jpg")
    return FileProvider.getUriForFile(context, "${context.packageName}.photos", file)
}
