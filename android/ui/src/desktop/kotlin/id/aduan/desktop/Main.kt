package id.aduan.desktop

import androidx.compose.ui.unit.DpSize
import androidx.compose.ui.unit.dp
import androidx.compose.ui.window.Window
import androidx.compose.ui.window.application
import androidx.compose.ui.window.rememberWindowState
import id.aduan.ui.AduanRoot
import java.io.File

/**
 * The desktop app: the same screens as the phone, for an office desk or a call centre.
 * -Daduan.server=URL fills the sign-in form; -Daduan.data=DIR holds the store (default ~/.aduan-desktop).
 */
fun main() {
    val dataDir = File(System.getProperty("aduan.data") ?: File(System.getProperty("user.home"), ".aduan-desktop").path)
    val env = DesktopEnvironment(dataDir, defaultServerUrl = System.getProperty("aduan.server").orEmpty())
    application {
        Window(
            onCloseRequest = {
                env.close()
                exitApplication()
            },
            title = "Aduan",
            state = rememberWindowState(size = DpSize(480.dp, 860.dp)),
        ) {
            AduanRoot(env)
        }
    }
}
