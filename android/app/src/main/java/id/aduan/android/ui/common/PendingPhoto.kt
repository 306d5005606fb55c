package id.aduan.android.ui.common

/**
 * A photo picked or taken but not yet given to core: its bytes exactly as the camera or gallery
 * gave them (core strips metadata and makes the thumbnail when the report or step is saved).
 */
class PendingPhoto(val key: Long, val bytes: ByteArray)
