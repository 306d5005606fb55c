package id.aduan.android

import android.Manifest
import android.content.Context
import android.os.Build
import android.os.Bundle
import androidx.activity.ComponentActivity
import androidx.activity.result.contract.ActivityResultContracts
import androidx.lifecycle.lifecycleScope
import kotlinx.coroutines.launch
import androidx.activity.compose.setContent
import androidx.activity.enableEdgeToEdge
import androidx.compose.runtime.CompositionLocalProvider
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import id.aduan.android.ui.AduanRoot
import id.aduan.android.ui.common.LocalLanguage
import id.aduan.android.ui.theme.AduanTheme
import id.aduan.core.Language

/** The one activity: Compose all the way down, in the app's own language. */
class MainActivity : ComponentActivity() {
    /** Asks once for the notification permission (Android 13+); granted, what waits shows. */
    private val askNotifications =
        registerForActivityResult(ActivityResultContracts.RequestPermission()) { granted ->
            if (granted) lifecycleScope.launch { aduanApp.notifications.showPending() }
        }

    /** The language this activity's resources were created in. */
    private lateinit var shownLanguage: Language

    override fun attachBaseContext(newBase: Context) {
        shownLanguage = newBase.aduanApp.settings.language.value
        super.attachBaseContext(AppLocale.wrap(newBase, shownLanguage))
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
            val language by app.settings.language.collectAsStateWithLifecycle()
            LaunchedEffect(language) {
                // Resources (and so every stringResource) follow the new language after a recreate.
                if (language != shownLanguage) recreate()
            }
            CompositionLocalProvider(LocalLanguage provides shownLanguage) {
                AduanTheme {
                    AduanRoot(app)
                }
            }
        }
    }

    override fun onStart() {
        super.onStart()
        aduanApp.syncScheduler.appForegrounded()
    }
}
