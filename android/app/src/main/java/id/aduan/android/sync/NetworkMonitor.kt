package id.aduan.android.sync

import android.content.Context
import id.aduan.ui.platform.Connectivity
import android.net.ConnectivityManager
import android.net.NetworkCapabilities
import id.aduan.app.Network
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import android.net.Network as AndroidNetwork

/**
 * What SyncPolicy needs to know about the network: connected or not, metered or not (mobile
 * data, a phone hotspot), read from ConnectivityManager and kept current by a default-network
 * callback.
 */
class NetworkMonitor(context: Context) : Connectivity {
    private val connectivity = context.getSystemService(ConnectivityManager::class.java)
    private val current = MutableStateFlow(read())

    override val state: StateFlow<Network> = current.asStateFlow()

    /** Reads the network now (also refreshes [state]). */
    override fun now(): Network = read().also { current.value = it }

    /** Watches the default network; [onConnectivityRegained] runs when it comes back. */
    fun start(onConnectivityRegained: () -> Unit) {
        connectivity.registerDefaultNetworkCallback(object : ConnectivityManager.NetworkCallback() {
            override fun onCapabilitiesChanged(network: AndroidNetwork, capabilities: NetworkCapabilities) {
                update(of(capabilities), onConnectivityRegained)
            }

            override fun onLost(network: AndroidNetwork) {
                update(Network(connected = false, metered = false), onConnectivityRegained)
            }
        })
    }

    private fun update(next: Network, onConnectivityRegained: () -> Unit) {
        val before = current.value
        current.value = next
        if (next.connected && !before.connected) onConnectivityRegained()
    }

    private fun read(): Network {
        val capabilities = connectivity.activeNetwork?.let { connectivity.getNetworkCapabilities(it) }
            ?: return Network(connected = false, metered = false)
        return of(capabilities)
    }

    private fun of(capabilities: NetworkCapabilities) = Network(
        connected = capabilities.hasCapability(NetworkCapabilities.NET_CAPABILITY_INTERNET),
        metered = !capabilities.hasCapability(NetworkCapabilities.NET_CAPABILITY_NOT_METERED),
    )
}
