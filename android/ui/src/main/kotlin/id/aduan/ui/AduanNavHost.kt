package id.aduan.ui

import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.automirrored.filled.List
import androidx.compose.material.icons.filled.DateRange
import androidx.compose.material.icons.filled.Notifications
import androidx.compose.material.icons.filled.Settings
import androidx.compose.material3.Badge
import androidx.compose.material3.BadgedBox
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.Icon
import androidx.compose.material3.NavigationBar
import androidx.compose.material3.NavigationBarItem
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.CompositionLocalProvider
import androidx.compose.runtime.DisposableEffect
import androidx.compose.runtime.remember
import androidx.compose.runtime.getValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.style.TextOverflow
import androidx.compose.ui.graphics.vector.ImageVector
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import androidx.lifecycle.viewmodel.compose.viewModel
import id.aduan.core.ActionKind
import id.aduan.core.Identity
import id.aduan.ui.detail.ActionScreen
import id.aduan.ui.detail.ActionViewModel
import id.aduan.ui.detail.DetailScreen
import id.aduan.ui.detail.DetailViewModel
import id.aduan.ui.detail.EditScreen
import id.aduan.ui.detail.EditViewModel
import id.aduan.ui.list.MyReportsScreen
import id.aduan.ui.list.MyReportsViewModel
import id.aduan.ui.nearby.NearbyScreen
import id.aduan.ui.nearby.NearbyViewModel
import id.aduan.ui.notifications.NotificationBadgeViewModel
import id.aduan.ui.notifications.NotificationsScreen
import id.aduan.ui.notifications.NotificationsViewModel
import id.aduan.ui.platform.AppEnvironment
import id.aduan.ui.platform.LocalPlatform
import id.aduan.ui.queue.QueueScreen
import id.aduan.ui.queue.QueueViewModel
import id.aduan.ui.report.ReportScreen
import id.aduan.ui.report.ReportViewModel
import id.aduan.ui.settings.NotificationSettingsScreen
import id.aduan.ui.settings.NotificationSettingsViewModel
import id.aduan.ui.settings.SettingsScreen
import id.aduan.ui.settings.SettingsViewModel
import id.aduan.ui.signin.SignInScreen
import id.aduan.ui.signin.SignInViewModel
import id.aduan.ui.strings.LocalLanguage
import id.aduan.ui.strings.S
import id.aduan.ui.strings.stringResource
import id.aduan.ui.sync.SyncIndicator
import id.aduan.ui.sync.SyncViewModel
import id.aduan.ui.track.TrackScreen
import id.aduan.ui.track.TrackViewModel
import id.aduan.ui.theme.AduanTheme

private data class Tab(val route: Route, val label: S, val icon: ImageVector)

/**
 * The whole app, the same on Android and the desktop: sign-in (or tracking a report by its id)
 * until core has an identity, then the reports, queue, notifications and settings tabs; signing
 * out comes back to sign-in. [backHandler] hooks the platform's back gesture (Android's
 * BackHandler; the desktop has none and passes nothing).
 */
@Composable
fun AduanRoot(
    app: AppEnvironment,
    backHandler: @Composable (enabled: Boolean, onBack: () -> Unit) -> Unit = { _, _ -> },
) {
    val language by app.settings.language.collectAsStateWithLifecycle()
    CompositionLocalProvider(LocalLanguage provides language, LocalPlatform provides app.platform) {
        AduanTheme {
            val sessionViewModel: SessionViewModel = viewModel { SessionViewModel(app) }
            val session by sessionViewModel.session.collectAsStateWithLifecycle()
            when (val s = session) {
                Session.Loading -> Box(Modifier.fillMaxSize(), contentAlignment = Alignment.Center) { CircularProgressIndicator() }
                Session.SignedOut -> SignedOut(app, backHandler)
                is Session.SignedIn -> SignedIn(app, s.identity, backHandler)
            }
        }
    }
}

/** Before sign-in: the sign-in screen, and tracking a report by its id without an account. */
@Composable
private fun SignedOut(
    app: AppEnvironment,
    backHandler: @Composable (enabled: Boolean, onBack: () -> Unit) -> Unit,
) {
    // The activity's, not the route's: typed fields outlive a language switch (the activity recreated).
    val signInViewModel: SignInViewModel = viewModel(key = "sign-in") { SignInViewModel(app) }
    val navigator = remember { Navigator(Route.SignIn) }
    DisposableEffect(navigator) { onDispose { navigator.clear() } }
    backHandler(navigator.canGoBack) { navigator.back() }
    navigator.Show { route ->
        when (route) {
            is Route.Track -> TrackScreen(
                viewModel = viewModel { TrackViewModel(app, route.serverUrl) },
                syncIndicator = {},
                onBack = { navigator.back() },
            )
            else -> SignInScreen(
                viewModel = signInViewModel,
                onLanguage = app::changeLanguage,
                onTrack = { url -> navigator.open(Route.Track(url)) },
            )
        }
    }
}

@Composable
private fun SignedIn(
    app: AppEnvironment,
    identity: Identity,
    backHandler: @Composable (enabled: Boolean, onBack: () -> Unit) -> Unit,
) {
    val start = if (hasQueue(identity.role)) Route.Queue else Route.Reports
    // A new identity (after sign-out and in again) starts from its own first tab.
    val navigator = remember(identity.accountId) { Navigator(start) }
    DisposableEffect(navigator) { onDispose { navigator.clear() } }
    backHandler(navigator.canGoBack) { navigator.back() }
    val syncViewModel: SyncViewModel = viewModel(key = "sync-${identity.accountId}") { SyncViewModel(app) }
    val syncIndicator: @Composable () -> Unit = { SyncIndicator(syncViewModel) }
    // Counts what the syncs brought and nobody has shown yet; re-read after every sync.
    val badgeViewModel: NotificationBadgeViewModel =
        viewModel(key = "notification-badge-${identity.accountId}") { NotificationBadgeViewModel(app) }
    val unread by badgeViewModel.unread.collectAsStateWithLifecycle()

    val tabs = buildList {
        add(Tab(Route.Reports, S.tab_my_reports, Icons.AutoMirrored.Filled.List))
        if (hasQueue(identity.role)) add(Tab(Route.Queue, S.tab_queue, Icons.Filled.DateRange))
        add(Tab(Route.Notifications, S.tab_notifications, Icons.Filled.Notifications))
        add(Tab(Route.Settings, S.tab_settings, Icons.Filled.Settings))
    }
    val bottomBar: @Composable () -> Unit = { BottomBar(navigator, tabs, unread) }

    navigator.Show { route ->
        when (route) {
            Route.Reports -> MyReportsScreen(
                viewModel = viewModel { MyReportsViewModel(app) },
                syncIndicator = syncIndicator,
                bottomBar = bottomBar,
                onNewReport = { navigator.open(Route.NewReport) },
                onNearby = { navigator.open(Route.Nearby) },
                onOpen = { navigator.open(Route.Complaint(it)) },
            )
            Route.Nearby -> NearbyScreen(
                viewModel = viewModel { NearbyViewModel(app) },
                syncIndicator = syncIndicator,
                onBack = { navigator.back() },
                onOpen = { navigator.open(Route.Complaint(it)) },
            )
            Route.Queue -> QueueScreen(
                viewModel = viewModel { QueueViewModel(app, identity) },
                syncIndicator = syncIndicator,
                bottomBar = bottomBar,
                onOpen = { navigator.open(Route.Complaint(it)) },
            )
            Route.Notifications -> NotificationsScreen(
                viewModel = viewModel { NotificationsViewModel(app) },
                syncIndicator = syncIndicator,
                bottomBar = bottomBar,
                onOpenComplaint = { navigator.open(Route.Complaint(it)) },
            )
            Route.Settings -> SettingsScreen(
                viewModel = viewModel { SettingsViewModel(app) },
                syncIndicator = syncIndicator,
                bottomBar = bottomBar,
                onNotifications = { navigator.open(Route.NotificationSettings) },
                onTrack = { url -> navigator.open(Route.Track(url ?: app.settings.lastServerUrl)) },
            )
            is Route.Track -> TrackScreen(
                viewModel = viewModel { TrackViewModel(app, route.serverUrl) },
                syncIndicator = syncIndicator,
                onBack = { navigator.back() },
            )
            Route.NotificationSettings -> NotificationSettingsScreen(
                viewModel = viewModel { NotificationSettingsViewModel(app) },
                syncIndicator = syncIndicator,
                onBack = { navigator.back() },
            )
            Route.NewReport -> ReportScreen(
                viewModel = viewModel { ReportViewModel(app) },
                syncIndicator = syncIndicator,
                onBack = { navigator.back() },
                onOpenReport = { id -> navigator.replace(Route.Complaint(id)) },
            )
            is Route.Complaint -> DetailScreen(
                viewModel = viewModel { DetailViewModel(app, route.id) },
                syncIndicator = syncIndicator,
                onBack = { navigator.back() },
                onAction = { kind ->
                    navigator.open(if (kind == ActionKind.EDIT) Route.Edit(route.id) else Route.Action(route.id, kind))
                },
            )
            is Route.Edit -> EditScreen(
                viewModel = viewModel { EditViewModel(app, route.id) },
                syncIndicator = syncIndicator,
                onBack = { navigator.back() },
                onDone = { navigator.back() },
            )
            Route.SignIn -> Unit // never on the stack once signed in
            is Route.Action -> ActionScreen(
                viewModel = viewModel { ActionViewModel(app, route.id, route.kind) },
                syncIndicator = syncIndicator,
                onBack = { navigator.back() },
                onDone = { navigator.back() },
            )
        }
    }
}

@Composable
private fun BottomBar(navigator: Navigator, tabs: List<Tab>, unreadNotifications: Int) {
    NavigationBar {
        tabs.forEach { tab ->
            val badge = if (tab.route == Route.Notifications) unreadNotifications else 0
            NavigationBarItem(
                selected = navigator.current == tab.route,
                onClick = { navigator.tab(tab.route) },
                icon = {
                    BadgedBox(
                        badge = {
                            if (badge > 0) {
                                val unread = stringResource(S.notifications_unread, badge)
                                Badge(Modifier.semantics { contentDescription = unread }) { Text(badge.toString()) }
                            }
                        },
                    ) { Icon(tab.icon, contentDescription = null) }
                },
                // Four tabs share a phone's width: a long word is cut, not wrapped under the bar.
                label = { Text(stringResource(tab.label), maxLines = 1, overflow = TextOverflow.Ellipsis) },
            )
        }
    }
}
