package id.aduan.android.platform

import android.Manifest
import androidx.activity.compose.rememberLauncherForActivityResult
import androidx.activity.result.contract.ActivityResultContracts
import androidx.compose.runtime.Composable
import androidx.compose.runtime.rememberUpdatedState
import androidx.compose.ui.graphics.ImageBitmap
import id.aduan.ui.common.UiMessage
import id.aduan.ui.platform.PhotoSources
import id.aduan.ui.platform.PlatformUi

/** The phone's camera, gallery, location permission and image decoding for the shared screens. */
object AndroidPlatform : PlatformUi {
    @Composable
    override fun rememberPhotoSources(onPhotos: (List<ByteArray>) -> Unit, onError: (UiMessage) -> Unit): PhotoSources =
        rememberAndroidPhotoSources(onPhotos, onError)

    @Composable
    override fun rememberLocationRequest(onGranted: () -> Unit, onDenied: () -> Unit): () -> Unit {
        val granted = rememberUpdatedState(onGranted)
        val denied = rememberUpdatedState(onDenied)
        val launcher = rememberLauncherForActivityResult(ActivityResultContracts.RequestMultiplePermissions()) { grants ->
            if (grants.values.any { it }) granted.value() else denied.value()
        }
        return {
            launcher.launch(arrayOf(Manifest.permission.ACCESS_FINE_LOCATION, Manifest.permission.ACCESS_COARSE_LOCATION))
        }
    }

    override suspend fun decodeImage(bytes: ByteArray, maxSide: Int): ImageBitmap? = decodeAndroidImage(bytes, maxSide)
}
