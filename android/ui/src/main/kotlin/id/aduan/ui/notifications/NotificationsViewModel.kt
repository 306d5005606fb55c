package id.aduan.ui.notifications

import androidx.lifecycle.ViewModel
import androidx.lifecycle.viewModelScope
import id.aduan.core.AduanException
import id.aduan.core.NotificationView
import id.aduan.ui.common.Loadable
import id.aduan.ui.common.asLoadable
import id.aduan.ui.platform.AppEnvironment
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.SharingStarted
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.catch
import kotlinx.coroutines.flow.combine
import kotlinx.coroutines.flow.flowOn
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.flow.onEach
import kotlinx.coroutines.flow.stateIn
import kotlinx.coroutines.flow.update

/** One notification in the list; [new] when it was not yet shown as this screen opened. */
data class NotificationItem(val notification: NotificationView, val new: Boolean) {
    /** A daily summary concerns no one complaint. */
    val complaintId: String? get() = notification.complaintId.ifEmpty { null }
}

data class NotificationsUiState(val items: Loadable<List<NotificationItem>> = Loadable.Loading)

/**
 * The latest notifications, newest first. While the screen shows them, the pending ones are
 * marked shown, only by the ids read here (one arriving meanwhile stays pending for the badge
 * and for Android's poster); marking is idempotent in core, so the screen and the poster
 * marking the same one do not conflict: whichever showed it first, it is shown.
 */
class NotificationsViewModel(private val app: AppEnvironment) : ViewModel() {
    /** Unread when seen here: they stay marked new while the screen lives, though core has them shown. */
    private val newHere = MutableStateFlow<Set<ULong>>(emptySet())

    val state: StateFlow<NotificationsUiState> = combine(
        app.repository.pendingNotifications()
            // Re-read after every sync or write (the pending flow follows the repository's version).
            .map { pending -> pending to app.latestNotifications(LIMIT) }
            .flowOn(Dispatchers.IO)
            .onEach { (pending, _) -> markShown(pending) }
            .map { (_, latest) -> latest }
            .asLoadable(),
        newHere,
    ) { latest, new ->
        NotificationsUiState(
            when (latest) {
                is Loadable.Ready -> Loadable.Ready(
                    latest.value.map { NotificationItem(it, new = !it.shown || it.id in new) },
                )
                is Loadable.Failed -> latest
                Loadable.Loading -> Loadable.Loading
            },
        )
    }.stateIn(viewModelScope, SharingStarted.WhileSubscribed(5_000), NotificationsUiState())

    private suspend fun markShown(pending: List<NotificationView>) {
        if (pending.isEmpty()) return
        val ids = pending.map { it.id }
        newHere.update { it + ids }
        try {
            app.repository.markNotificationsShown(ids)
        } catch (_: AduanException) {
            // They stay pending: the badge keeps counting them and the next visit tries again.
        }
    }

    private companion object {
        const val LIMIT = 100u
    }
}

/** The number on the navigation entry: notifications the syncs brought that nobody has shown yet. */
class NotificationBadgeViewModel(app: AppEnvironment) : ViewModel() {
    val unread: StateFlow<Int> = app.repository.pendingNotifications()
        .map { it.size }
        .catch { emit(0) }
        .stateIn(viewModelScope, SharingStarted.WhileSubscribed(5_000), 0)
}
