package id.aduan.ui

import androidx.compose.runtime.Composable
import androidx.compose.runtime.CompositionLocalProvider
import androidx.compose.runtime.mutableStateListOf
import androidx.compose.runtime.saveable.rememberSaveableStateHolder
import androidx.lifecycle.ViewModelStore
import androidx.lifecycle.ViewModelStoreOwner
import androidx.lifecycle.viewmodel.compose.LocalViewModelStoreOwner
import id.aduan.core.ActionKind

/** Where the user is: a tab, or a screen on top of one (before sign-in: the sign-in screen, or tracking). */
sealed interface Route {
    data object SignIn : Route
    data object Reports : Route
    data object Queue : Route
    data object Notifications : Route
    data object Settings : Route
    data object NotificationSettings : Route
    data object NewReport : Route

    /** The reports this phone holds within a chosen distance of the person. */
    data object Nearby : Route
    data class Complaint(val id: String) : Route
    data class Action(val id: String, val kind: ActionKind) : Route

    /** The reporter changes their own report (offered while core allows it). */
    data class Edit(val id: String) : Route

    /** A report's public view by its tracking id, asked of [serverUrl]; no account needed. */
    data class Track(val serverUrl: String) : Route
}

/**
 * A back stack of routes, each with its own ViewModelStore (cleared when the route leaves the
 * stack), so two open complaints never share a view model. Plain Compose state: the same code
 * runs on Android and the desktop, with no navigation library to keep in step on both.
 */
class Navigator(start: Route) {
    private class Entry(val route: Route) : ViewModelStoreOwner {
        override val viewModelStore = ViewModelStore()
    }

    private val stack = mutableStateListOf(Entry(start))

    val current: Route get() = stack.last().route
    val canGoBack: Boolean get() = stack.size > 1

    fun open(route: Route) {
        stack.add(Entry(route))
    }

    /** Opens a tab: the stack becomes just that tab. */
    fun tab(route: Route) {
        if (stack.size == 1 && stack[0].route == route) return
        stack.forEach { it.viewModelStore.clear() }
        stack.clear()
        stack.add(Entry(route))
    }

    /** Replaces the top route (a filed report opens in place of the form). */
    fun replace(route: Route) {
        stack.removeAt(stack.lastIndex).viewModelStore.clear()
        stack.add(Entry(route))
    }

    fun back(): Boolean {
        if (!canGoBack) return false
        stack.removeAt(stack.lastIndex).viewModelStore.clear()
        return true
    }

    fun clear() = stack.forEach { it.viewModelStore.clear() }

    /** Shows the top route, with its own view models and saved UI state. */
    @Composable
    fun Show(content: @Composable (Route) -> Unit) {
        val entry = stack.last()
        val saveable = rememberSaveableStateHolder()
        CompositionLocalProvider(LocalViewModelStoreOwner provides entry) {
            saveable.SaveableStateProvider(entry.route.toString() + System.identityHashCode(entry)) {
                content(entry.route)
            }
        }
    }
}
