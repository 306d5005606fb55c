package id.aduan.app

import id.aduan.core.AduanStore
import id.aduan.core.CategoryView
import id.aduan.core.ComplaintDetail
import id.aduan.core.ComplaintDraft
import id.aduan.core.ComplaintEdit
import id.aduan.core.ComplaintFilter
import id.aduan.core.ComplaintSummary
import id.aduan.core.Identity
import id.aduan.core.InstitutionView
import id.aduan.core.Language
import id.aduan.core.NotificationKindView
import id.aduan.core.NotificationPreferences
import id.aduan.core.NotificationView
import id.aduan.core.PhotoAdded
import id.aduan.core.PublicComplaint
import id.aduan.core.RefusedView
import id.aduan.core.ReporterContact
import id.aduan.core.SignOutReport
import id.aduan.core.SyncListener
import id.aduan.core.SyncProgress
import id.aduan.core.SyncReport
import id.aduan.core.SyncStatus
import id.aduan.core.UnsyncedWork
import id.aduan.core.WorkflowAction
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.flowOn
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.withContext

/**
 * The apps' one door to core. Every call runs on [io] (core blocks on disk and network);
 * lists and details are [Flow]s that re-read after every local change or sync, so screens
 * never hold stale data. No rule lives here: core decides, this layer only schedules.
 */
class AduanRepository(
    private val store: AduanStore,
    private val io: CoroutineDispatcher = Dispatchers.IO,
) {
    /** Bumped after every write or sync; every flow below re-reads when it moves. */
    private val version = MutableStateFlow(0L)
    private val progress = MutableStateFlow<SyncProgress?>(null)
    private val status = MutableStateFlow<SyncStatus?>(null)
    private val signedOut = MutableStateFlow<SignOutReport?>(null)

    /** Progress of the running sync (null when none runs). */
    val syncProgress: StateFlow<SyncProgress?> = progress.asStateFlow()

    /** What a sync indicator shows: last success, what waits, the last error. */
    val syncStatus: StateFlow<SyncStatus?> = status.asStateFlow()

    private suspend fun <T> write(block: () -> T): T = withContext(io) {
        val result = block()
        version.value += 1
        status.value = store.syncStatus()
        result
    }

    fun complaints(filter: ComplaintFilter): Flow<List<ComplaintSummary>> =
        version.map { store.list(filter) }.flowOn(io)

    fun complaint(id: String): Flow<ComplaintDetail> =
        version.map { store.get(id) }.flowOn(io)

    suspend fun refreshStatus(): SyncStatus = withContext(io) {
        store.syncStatus().also { status.value = it }
    }

    suspend fun identity(): Identity? = withContext(io) { store.identity() }

    /** Who is signed in (null before sign-in); moves when a login or anonymous start lands. */
    fun identityFlow(): Flow<Identity?> = version.map { store.identity() }.flowOn(io)

    /** The category tree, labelled in the store's language (re-read when it changes). */
    fun categories(): Flow<List<CategoryView>> = version.map { store.categories() }.flowOn(io)

    /** Core's directory: institutions and their units (offices, kecamatan, kelurahan). */
    suspend fun institutions(): List<InstitutionView> = withContext(io) { store.institutions() }

    /** Work done here that the server refused, with the reasons, across all complaints. */
    fun refusedWork(): Flow<List<RefusedView>> = version.map { store.refusedWork() }.flowOn(io)

    /** Labels and messages in [language] from now on; every flow re-reads with them. */
    suspend fun setLanguage(language: Language) = withContext(io) {
        store.setLanguage(language)
        version.value += 1
    }

    suspend fun login(serverUrl: String, account: String, password: String): Identity =
        write { store.login(serverUrl, account, password) }.also { signedOut.value = null }

    suspend fun continueAnonymously(serverUrl: String): Identity =
        write { store.continueAnonymously(serverUrl) }.also { signedOut.value = null }

    /** What signing out now would lose: reports, changes and photos the server lacks, refused work. */
    suspend fun unsyncedWork(): UnsyncedWork = withContext(io) { store.unsyncedWork() }

    /**
     * What the last sign-out in this run of the app did (null before one, and again after the
     * next sign-in), for the sign-in screen to say so.
     */
    val lastSignOut: StateFlow<SignOutReport?> = signedOut.asStateFlow()

    /**
     * Signs out and removes the account's data from this phone (core's `sign_out`). Refused with
     * [id.aduan.core.AduanException.NotAllowed] `unsynced_work` while something would be lost,
     * unless [discardUnsynced]; every flow re-reads (the identity becomes null).
     */
    suspend fun signOut(discardUnsynced: Boolean): SignOutReport =
        write { store.signOut(discardUnsynced).also { signedOut.value = it } }

    /**
     * A complaint's public view by its tracking id, asked of [serverUrl] without any account;
     * null when the server has no public complaint with that id. Works signed out too.
     */
    suspend fun track(serverUrl: String, trackingId: String): PublicComplaint? =
        withContext(io) { store.track(serverUrl, trackingId) }

    /**
     * The reporter's name and contact when core lets this user know them: the phone that filed
     * it reads its own; a handler's asks the server, which answers only whoever may know (null
     * otherwise, and always for an anonymous report). Fails like any server call without a signal.
     */
    suspend fun reporterContact(id: String): ReporterContact? = withContext(io) { store.reporterContact(id) }

    /**
     * Imports a photo as the camera or gallery gave it. UniFFI 0.32 passes `Vec<u8>` as a
     * Kotlin [ByteArray] copied once across the boundary; the returned hash is what drafts
     * and workflow actions refer to.
     */
    suspend fun importPhoto(bytes: ByteArray): PhotoAdded = write { store.importPhoto(bytes) }

    /** Adds a photo (bytes from the camera or gallery) to the reporter's own report. */
    suspend fun addPhoto(id: String, bytes: ByteArray): PhotoAdded = write { store.addPhoto(id, bytes) }

    /** Files a report with its photos, all in one durable save. */
    suspend fun file(draft: ComplaintDraft, photos: List<ByteArray> = emptyList()): ComplaintDetail =
        write {
            val hashes = photos.map { store.importPhoto(it).photo.sha256 }
            store.createComplaint(draft.copy(photos = draft.photos + hashes))
        }

    suspend fun perform(
        id: String,
        action: WorkflowAction,
        note: String = "",
        evidence: List<ByteArray> = emptyList(),
    ): ComplaintDetail = write {
        val hashes = evidence.map { store.importPhoto(it).photo.sha256 }
        store.perform(id, action, note, hashes)
    }

    /**
     * The reporter changes their own report (the fields of [edit] that are not null), while core
     * still allows it: it says so with [id.aduan.core.ActionKind.EDIT] among the detail's actions,
     * and refuses with [id.aduan.core.AduanException.NotAllowed] once the report has moved on.
     */
    suspend fun editComplaint(id: String, edit: ComplaintEdit): ComplaintDetail = write { store.editComplaint(id, edit) }

    suspend fun reply(id: String, text: String): ComplaintDetail = write { store.comment(id, text, emptyList()) }

    suspend fun rate(id: String, stars: Int, note: String = ""): ComplaintDetail =
        write { store.rate(id, stars.toUByte(), note) }

    /** Full-size photo on demand (thumbnails arrive with every sync). */
    suspend fun photo(sha256: String): ByteArray? = withContext(io) { store.fetchPhoto(sha256) }

    /**
     * Syncs now. [uploadFullPhotos] is the policy's answer for this network (thumbnails always
     * go). Throws the core's [id.aduan.core.AduanException] on failure; the status records it.
     */
    suspend fun sync(uploadFullPhotos: Boolean = true): SyncReport = withContext(io) {
        store.setUploadFullPhotos(uploadFullPhotos)
        val listener = object : SyncListener {
            override fun onProgress(progress: SyncProgress) {
                this@AduanRepository.progress.value = progress
            }
        }
        try {
            store.sync(listener)
        } finally {
            progress.value = null
            version.value += 1
            status.value = store.syncStatus()
        }
    }

    fun cancelSync() = store.cancelSync()

    /**
     * Notifications the syncs brought that are not shown yet, newest first, as core renders
     * them in the app's language; re-read after every sync.
     */
    fun pendingNotifications(): Flow<List<NotificationView>> =
        version.map { store.pendingNotifications() }.flowOn(io)

    /** The app has put these on screen: they are shown once. */
    suspend fun markNotificationsShown(ids: List<ULong>): UInt = write { store.markNotificationsShown(ids) }

    /** Every kind with its name, for the notification channels and the settings screen. */
    suspend fun notificationKinds(): List<NotificationKindView> = withContext(io) { store.notificationKinds() }

    /** The person's choices of kinds per channel, from the server. */
    suspend fun notificationPreferences(): NotificationPreferences =
        withContext(io) { store.notificationPreferences() }

    suspend fun setNotificationPreferences(preferences: NotificationPreferences): NotificationPreferences =
        withContext(io) { store.setNotificationPreferences(preferences) }
}
