package id.aduan.desktop

import androidx.compose.runtime.Composable
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.runtime.rememberUpdatedState
import androidx.compose.ui.graphics.ImageBitmap
import androidx.compose.ui.graphics.toComposeImageBitmap
import id.aduan.ui.common.UiMessage
import id.aduan.ui.platform.PhotoSources
import id.aduan.ui.platform.PlatformUi
import id.aduan.ui.strings.S
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import org.jetbrains.skia.Image
import org.jetbrains.skia.Rect
import org.jetbrains.skia.Surface
import java.awt.FileDialog
import java.awt.Frame
import java.io.File
import java.io.IOException

/** Where photos come from on a computer: files the user picks (there is no camera). */
fun interface PhotoChooser {
    /** The chosen files' bytes, or an empty list when the user cancelled. */
    fun choose(): List<ByteArray>
}

/** The system's file dialog, images only, several at once. */
object FileDialogPhotoChooser : PhotoChooser {
    override fun choose(): List<ByteArray> {
        val dialog = FileDialog(null as Frame?, "", FileDialog.LOAD).apply {
            isMultipleMode = true
            setFilenameFilter { _, name -> name.substringAfterLast('.').lowercase() in setOf("jpg", "jpeg", "png", "webp") }
            isVisible = true
        }
        return dialog.files.orEmpty().map(File::readBytes)
    }
}

class DesktopPlatform(private val chooser: PhotoChooser = FileDialogPhotoChooser) : PlatformUi {
    @Composable
    override fun rememberPhotoSources(onPhotos: (List<ByteArray>) -> Unit, onError: (UiMessage) -> Unit): PhotoSources {
        val scope = rememberCoroutineScope()
        val deliver = rememberUpdatedState(onPhotos)
        val fail = rememberUpdatedState(onError)
        return remember(chooser) {
            PhotoSources(
                takePhoto = null,
                pickPhotos = {
                    scope.launch {
                        try {
                            val photos = withContext(Dispatchers.IO) { chooser.choose() }
                            if (photos.isNotEmpty()) deliver.value(photos)
                        } catch (_: IOException) {
                            fail.value(UiMessage.Resource(S.error_photo_read))
                        }
                    }
                },
            )
        }
    }

    /** No permission to ask for on a computer; the form offers typed coordinates instead. */
    @Composable
    override fun rememberLocationRequest(onGranted: () -> Unit, onDenied: () -> Unit): () -> Unit = onDenied

    override suspend fun decodeImage(bytes: ByteArray, maxSide: Int): ImageBitmap? = withContext(Dispatchers.Default) {
        val image = try {
            Image.makeFromEncoded(bytes)
        } catch (_: IllegalArgumentException) {
            return@withContext null
        }
        val side = maxOf(image.width, image.height)
        if (side <= maxSide) return@withContext image.toComposeImageBitmap()
        val scale = maxSide.toFloat() / side
        val w = (image.width * scale).toInt().coerceAtLeast(1)
        val h = (image.height * scale).toInt().coerceAtLeast(1)
        val surface = Surface.makeRasterN32Premul(w, h)
        surface.canvas.drawImageRect(image, Rect.makeWH(w.toFloat(), h.toFloat()))
        surface.makeImageSnapshot().toComposeImageBitmap()
    }
}
