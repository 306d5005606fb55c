package id.aduan.android

import android.os.Bundle
import androidx.activity.ComponentActivity
import androidx.activity.compose.BackHandler
import androidx.activity.compose.setContent
import androidx.activity.enableEdgeToEdge
import id.aduan.ui.AduanRoot

/**
 * The one activity: the shared screens (android/ui), in the app's own language. The strings are
 * Kotlin maps there, so a language change recomposes them; no recreate, no locale override.
 */
class MainActivity : ComponentActivity() {
    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        enableEdgeToEdge()
        val app = aduanApp
        setContent {
            AduanRoot(app, backHandler = { enabled, onBack -> BackHandler(enabled, onBack) })
        }
    }

    override fun onStart() {
        super.onStart()
        aduanApp.syncScheduler.appForegrounded()
    }
}
