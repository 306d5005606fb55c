package id.aduan.android.notify

import android.Manifest
import android.app.NotificationChannel
import android.app.NotificationManager
import android.app.PendingIntent
import android.content.Context
import android.content.Intent
import android.content.pm.PackageManager
import android.os.Build
import androidx.core.app.NotificationCompat
import androidx.core.app.NotificationManagerCompat
import androidx.core.content.ContextCompat
import id.aduan.android.MainActivity
import id.aduan.app.AduanRepository
import id.aduan.core.NotificationKind
import kotlinx.coroutines.flow.first

/**
 * Shows what the last sync brought as local notifications: one notification channel per kind
 * (named by core, in the app's language, so people can silence a kind in the system settings),
 * texts rendered by core. Each is marked shown once posted, so it is never posted twice; when
 * the person has not allowed notifications they stay pending and show once allowed. The app's
 * notifications screen marks what it shows the same way: shown by either, a notification is
 * shown (the other neither posts it again nor counts it as unread).
 */
class LocalNotifications(private val context: Context, private val repository: AduanRepository) {

    private val manager = NotificationManagerCompat.from(context)

    /** (Re)creates the channels; their names follow the app's language. */
    suspend fun createChannels() {
        if (Build.VERSION.SDK_INT < Build.VERSION_CODES.O) return
        val system = context.getSystemService(NotificationManager::class.java) ?: return
        for (kind in repository.notificationKinds()) {
            val importance = when (kind.kind) {
                NotificationKind.DAILY_SUMMARY -> NotificationManager.IMPORTANCE_LOW
                else -> NotificationManager.IMPORTANCE_DEFAULT
            }
            system.createNotificationChannel(NotificationChannel(channelId(kind.kind), kind.label, importance))
        }
    }

    fun allowed(): Boolean =
        Build.VERSION.SDK_INT < Build.VERSION_CODES.TIRAMISU ||
            ContextCompat.checkSelfPermission(context, Manifest.permission.POST_NOTIFICATIONS) ==
            PackageManager.PERMISSION_GRANTED

    /** Posts every pending notification, then marks them shown. */
    suspend fun showPending() {
        if (!allowed() || !manager.areNotificationsEnabled()) return
        val pending = repository.pendingNotifications().first()
        if (pending.isEmpty()) return
        createChannels()
        val open = PendingIntent.getActivity(
            context,
            0,
            Intent(context, MainActivity::class.java).addFlags(Intent.FLAG_ACTIVITY_SINGLE_TOP),
            PendingIntent.FLAG_IMMUTABLE or PendingIntent.FLAG_UPDATE_CURRENT,
        )
        val posted = mutableListOf<ULong>()
        for (n in pending.reversed()) {
            val notification = NotificationCompat.Builder(context, channelId(n.kind))
                .setSmallIcon(android.R.drawable.stat_notify_more)
                .setContentTitle(n.title)
                .setContentText(n.body)
                .setStyle(NotificationCompat.BigTextStyle().bigText(n.body))
                .setWhen(n.createdAt)
                .setShowWhen(true)
                .setContentIntent(open)
                .setAutoCancel(true)
                .build()
            try {
                manager.notify(n.id.toLong().toInt(), notification)
                posted += n.id
            } catch (_: SecurityException) {
                // The permission was withdrawn meanwhile: they stay pending.
                break
            }
        }
        if (posted.isNotEmpty()) repository.markNotificationsShown(posted)
    }

    private fun channelId(kind: NotificationKind?): String =
        "aduan." + (kind?.name?.lowercase() ?: "other")
}
