package id.aduan.android

import android.Manifest
import android.os.Build
import android.os.Bundle
import androidx.activity.ComponentActivity
import androidx.activity.compose.BackHandler
import androidx.activity.compose.setContent
import androidx.activity.enableEdgeToEdge
import androidx.activity.result.contract.ActivityResultContracts
import androidx.lifecycle.lifecycleScope
import id.aduan.ui.AduanRoot
import kotlinx.coroutines.launch

/**
 * The one activity: the shared screens (android/ui), in the app's own language. The strings are
 * Kotlin maps there, so a language change recomposes them; no recreate, no locale override.
 */
class MainActivity : ComponentActivity() {
    /** Asks once for the notification permission (Android 13+); granted, what waits shows. */
    private val askNotifications =
        registerForActivityResult(ActivityResultContracts.RequestPermission()) { granted ->
            if (granted) lifecycleScope.launch { aduanApp.notifications.showPending() }
        }

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        enableEdgeToEdge()
        val app = aduanApp
        if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.TIRAMISU && !app.notifications.allowed() &&
            savedInstanceState == null
        ) {
            askNotifications.launch(Manifest.permission.POST_NOTIFICATIONS)
        }
        setContent {
            AduanRoot(app, backHandler = { enabled, onBack -> BackHandler(enabled, onBack) })
        }
    }

    override fun onStart() {
        super.onStart()
        aduanApp.syncScheduler.appForegrounded()
    }
}
