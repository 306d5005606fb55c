package id.aduan.android.location

import android.Manifest
import android.annotation.SuppressLint
import android.content.Context
import android.content.pm.PackageManager
import android.location.Location
import android.location.LocationListener
import android.location.LocationManager
import android.os.Bundle
import android.os.Looper
import androidx.core.content.ContextCompat
import id.aduan.ui.platform.Fix
import id.aduan.ui.platform.LocationSource
import id.aduan.ui.platform.LocationUnavailableException
import kotlinx.coroutines.channels.awaitClose
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.callbackFlow

/**
 * Positions from the platform LocationManager (GPS and network providers; no Play services),
 * so the app works on phones without Google services.
 */
class LocationTracker(context: Context) : LocationSource {
    private val appContext = context.applicationContext
    private val systemManager: LocationManager? = appContext.getSystemService(LocationManager::class.java)

    override fun hasPermission(): Boolean = granted(Manifest.permission.ACCESS_FINE_LOCATION) ||
        granted(Manifest.permission.ACCESS_COARSE_LOCATION)

    private fun granted(permission: String): Boolean =
        ContextCompat.checkSelfPermission(appContext, permission) == PackageManager.PERMISSION_GRANTED

    /**
     * A recent last-known position first (if any), then fresh ones every second from every
     * enabled provider, until the collector stops. Fails with [LocationUnavailableException].
     */
    @SuppressLint("MissingPermission") // checked by hasPermission() / granted() just below
    override fun fixes(): Flow<Fix> = callbackFlow {
        val manager = systemManager
        if (manager == null || !hasPermission()) {
            close(LocationUnavailableException())
            return@callbackFlow
        }
        val providers = buildList {
            if (granted(Manifest.permission.ACCESS_FINE_LOCATION) &&
                manager.isProviderEnabled(LocationManager.GPS_PROVIDER)
            ) {
                add(LocationManager.GPS_PROVIDER)
            }
            if (manager.isProviderEnabled(LocationManager.NETWORK_PROVIDER)) {
                add(LocationManager.NETWORK_PROVIDER)
            }
        }
        if (providers.isEmpty()) {
            close(LocationUnavailableException())
            return@callbackFlow
        }

        val now = System.currentTimeMillis()
        providers.mapNotNull { manager.getLastKnownLocation(it) }
            .filter { now - it.time < RECENT_MS }
            .minByOrNull { if (it.hasAccuracy()) it.accuracy else Float.MAX_VALUE }
            ?.let { trySend(it.toFix()) }

        // Every method is implemented: before API 30 they are abstract on the platform, and a
        // missing one would throw AbstractMethodError when the provider is switched.
        val listener = object : LocationListener {
            override fun onLocationChanged(location: Location) {
                trySend(location.toFix())
            }

            override fun onProviderEnabled(provider: String) = Unit

            override fun onProviderDisabled(provider: String) = Unit

            @Deprecated("Deprecated in API 29; still abstract before API 30")
            override fun onStatusChanged(provider: String?, status: Int, extras: Bundle?) = Unit
        }
        providers.forEach { provider ->
            manager.requestLocationUpdates(provider, INTERVAL_MS, 0f, listener, Looper.getMainLooper())
        }
        awaitClose { manager.removeUpdates(listener) }
    }

    private fun Location.toFix() = Fix(
        latitude = latitude,
        longitude = longitude,
        accuracyM = if (hasAccuracy()) accuracy else null,
        atMillis = time,
    )

    private companion object {
        const val RECENT_MS = 2 * 60 * 1000L
        const val INTERVAL_MS = 1000L
    }
}
