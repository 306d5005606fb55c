package id.aduan.ui.common

/**
 * A photo picked or taken but not yet given to core: its bytes exactly as the camera or gallery
 * gave them (core strips metadata and makes the thumbnail when the report or step is saved).
 */
/** Most photos one pick from the gallery may return (a report holds up to ten). */
const val MAX_PICKED_PHOTOS = 10

class PendingPhoto(val key: Long, val bytes: ByteArray)
