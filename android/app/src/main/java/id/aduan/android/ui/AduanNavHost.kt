package id.aduan.android.ui

import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.automirrored.filled.List
import androidx.compose.material.icons.filled.DateRange
import androidx.compose.material.icons.filled.Settings
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.Icon
import androidx.compose.material3.NavigationBar
import androidx.compose.material3.NavigationBarItem
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.vector.ImageVector
import androidx.compose.ui.res.stringResource
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import androidx.lifecycle.viewmodel.compose.viewModel
import androidx.navigation.NavGraph.Companion.findStartDestination
import androidx.navigation.NavHostController
import androidx.navigation.NavType
import androidx.navigation.compose.NavHost
import androidx.navigation.compose.composable
import androidx.navigation.compose.currentBackStackEntryAsState
import androidx.navigation.compose.rememberNavController
import androidx.navigation.navArgument
import id.aduan.android.AduanApp
import id.aduan.android.R
import id.aduan.android.location.LocationTracker
import id.aduan.android.ui.detail.ActionScreen
import id.aduan.android.ui.detail.ActionViewModel
import id.aduan.android.ui.detail.DetailScreen
import id.aduan.android.ui.detail.DetailViewModel
import id.aduan.android.ui.list.MyReportsScreen
import id.aduan.android.ui.list.MyReportsViewModel
import id.aduan.android.ui.queue.QueueScreen
import id.aduan.android.ui.queue.QueueViewModel
import id.aduan.android.ui.report.ReportScreen
import id.aduan.android.ui.report.ReportViewModel
import id.aduan.android.ui.settings.SettingsScreen
import id.aduan.android.ui.settings.SettingsViewModel
import id.aduan.android.ui.signin.SignInScreen
import id.aduan.android.ui.signin.SignInViewModel
import id.aduan.android.ui.sync.SyncIndicator
import id.aduan.android.ui.sync.SyncViewModel
import id.aduan.core.ActionKind
import id.aduan.core.Identity

private object Routes {
    const val REPORTS = "reports"
    const val QUEUE = "queue"
    const val SETTINGS = "settings"
    const val NEW_REPORT = "report/new"
    const val COMPLAINT = "complaint/{id}"
    const val ACTION = "complaint/{id}/action/{kind}"

    fun complaint(id: String) = "complaint/${android.net.Uri.encode(id)}"
    fun action(id: String, kind: ActionKind) = "complaint/${android.net.Uri.encode(id)}/action/${kind.name}"
}

private data class Tab(val route: String, val label: Int, val icon: ImageVector)

/** Sign-in until core has an identity; then the reports, queue and settings tabs. */
@Composable
fun AduanRoot(app: AduanApp) {
    val sessionViewModel: SessionViewModel = viewModel { SessionViewModel(app) }
    val session by sessionViewModel.session.collectAsStateWithLifecycle()
    when (val s = session) {
        Session.Loading -> Box(Modifier.fillMaxSize(), contentAlignment = Alignment.Center) { CircularProgressIndicator() }
        Session.SignedOut -> SignInScreen(
            viewModel = viewModel { SignInViewModel(app) },
            onLanguage = app::changeLanguage,
        )
        is Session.SignedIn -> SignedInNavHost(app, s.identity)
    }
}

@Composable
private fun SignedInNavHost(app: AduanApp, identity: Identity) {
    val navController = rememberNavController()
    val syncViewModel: SyncViewModel = viewModel { SyncViewModel(app) }
    val syncIndicator: @Composable () -> Unit = { SyncIndicator(syncViewModel) }

    val tabs = buildList {
        add(Tab(Routes.REPORTS, R.string.tab_my_reports, Icons.AutoMirrored.Filled.List))
        if (hasQueue(identity.role)) add(Tab(Routes.QUEUE, R.string.tab_queue, Icons.Filled.DateRange))
        add(Tab(Routes.SETTINGS, R.string.tab_settings, Icons.Filled.Settings))
    }
    val bottomBar: @Composable () -> Unit = { BottomBar(navController, tabs) }
    val start = if (hasQueue(identity.role)) Routes.QUEUE else Routes.REPORTS

    NavHost(navController = navController, startDestination = start) {
        composable(Routes.REPORTS) {
            MyReportsScreen(
                viewModel = viewModel { MyReportsViewModel(app) },
                syncIndicator = syncIndicator,
                bottomBar = bottomBar,
                onNewReport = { navController.navigate(Routes.NEW_REPORT) },
                onOpen = { navController.navigate(Routes.complaint(it)) },
            )
        }
        composable(Routes.QUEUE) {
            QueueScreen(
                viewModel = viewModel(key = "queue-${identity.accountId}") { QueueViewModel(app, identity) },
                syncIndicator = syncIndicator,
                bottomBar = bottomBar,
                onOpen = { navController.navigate(Routes.complaint(it)) },
            )
        }
        composable(Routes.SETTINGS) {
            SettingsScreen(
                viewModel = viewModel { SettingsViewModel(app) },
                syncIndicator = syncIndicator,
                bottomBar = bottomBar,
            )
        }
        composable(Routes.NEW_REPORT) {
            ReportScreen(
                viewModel = viewModel { ReportViewModel(app, LocationTracker(app)) },
                syncIndicator = syncIndicator,
                onBack = { navController.popBackStack() },
                onOpenReport = { id ->
                    navController.navigate(Routes.complaint(id)) {
                        popUpTo(Routes.NEW_REPORT) { inclusive = true }
                    }
                },
            )
        }
        composable(
            Routes.COMPLAINT,
            arguments = listOf(navArgument("id") { type = NavType.StringType }),
        ) { entry ->
            val id = entry.arguments?.getString("id").orEmpty()
            DetailScreen(
                viewModel = viewModel { DetailViewModel(app, id) },
                syncIndicator = syncIndicator,
                onBack = { navController.popBackStack() },
                onAction = { kind -> navController.navigate(Routes.action(id, kind)) },
            )
        }
        composable(
            Routes.ACTION,
            arguments = listOf(
                navArgument("id") { type = NavType.StringType },
                navArgument("kind") { type = NavType.StringType },
            ),
        ) { entry ->
            val id = entry.arguments?.getString("id").orEmpty()
            val kind = entry.arguments?.getString("kind")
                ?.let { name -> ActionKind.entries.firstOrNull { it.name == name } }
            if (kind == null) {
                LaunchedEffect(Unit) { navController.popBackStack() }
                return@composable
            }
            ActionScreen(
                viewModel = viewModel { ActionViewModel(app, id, kind) },
                syncIndicator = syncIndicator,
                onBack = { navController.popBackStack() },
                onDone = { navController.popBackStack() },
            )
        }
    }
}

@Composable
private fun BottomBar(navController: NavHostController, tabs: List<Tab>) {
    val entry by navController.currentBackStackEntryAsState()
    val current = entry?.destination?.route
    NavigationBar {
        tabs.forEach { tab ->
            NavigationBarItem(
                selected = current == tab.route,
                onClick = {
                    navController.navigate(tab.route) {
                        popUpTo(navController.graph.findStartDestination().id) { saveState = true }
                        launchSingleTop = true
                        restoreState = true
                    }
                },
                icon = { Icon(tab.icon, contentDescription = null) },
                label = { Text(stringResource(tab.label)) },
            )
        }
    }
}
