package id.aduan.ui

import id.aduan.core.Language
import id.aduan.ui.platform.AppEnvironment
import id.aduan.ui.platform.Fix
import id.aduan.ui.platform.LocationSource
import id.aduan.ui.platform.LocationUnavailableException
import id.aduan.ui.strings.S
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.EnumSource

/**
 * A citizen opens Nearby from My reports: with no position yet he is told so; once he types
 * where he stands (the desktop has no GPS), the reports this phone holds within the distance he
 * picks are listed nearest first with core's distance to each (core narrows, orders and measures)
 * and the far one is not.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NearbyJourneyTest {
    private val server = TestServer()

    @AfterAll
    fun stop() = server.close()

    @ParameterizedTest
    @EnumSource(Language::class)
    fun `a citizen with a typed location sees the reports within the chosen distance and not the far one`(language: Language) {
        val far = "Jalan berlubang di Maros (${language.name})"
        val near = "Got mampet 200 m dari rumah (${language.name})"
        val mid = "Lampu jalan mati 800 m dari rumah (${language.name})"
        val citizen = Phone(server, "warga")
        runBlocking {
            // Filed in this order (newest last): the list still comes nearest first.
            listOf(far to -5.0000, near to -5.1874, mid to -5.1928).forEach { (title, latitude) ->
                val draft = drainageReport(title)
                citizen.repo.file(draft.copy(location = draft.location.copy(latitude = latitude)))
            }
        }
        citizen.sync()

        Device(server, language).use { phone ->
            runApp(phone) {
                signIn("warga")
                waitFor(mid)
                tap(t(S.nearby_open))
                waitFor(t(S.nearby_title))
                waitFor(t(S.nearby_no_location))
                assertTrue(!shows(near) && !shows(far), "no list without a position")
                screenshot("52-nearby-no-location")

                type(t(S.location_latitude), "-5.1856")
                type(t(S.location_longitude), "119.4237")
                waitFor(t(S.nearby_from, t(S.location_coordinates, "-5.18560", "119.42370")))
                // 1 km to start with.
                waitForExactly(shown = listOf(near, mid), hidden = listOf(far))
                assertTrue(topOf(near) < topOf(mid), "nearest first")
                waitFor(t(S.nearby_distance, "200 m"))
                waitFor(t(S.nearby_distance, "800 m"))
                screenshot("53-nearby-1km")

                tap(t(S.nearby_radius_m, 500))
                waitForExactly(shown = listOf(near), hidden = listOf(mid, far))
                screenshot("54-nearby-500m")

                tap(t(S.nearby_radius_km, 5))
                waitForExactly(shown = listOf(near, mid), hidden = listOf(far))

                tap(near)
                waitFor(t(S.detail_description))
                tapIcon(t(S.back))
                waitFor(t(S.nearby_title))
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Language::class)
    fun `with the phone's location switched off Nearby says so, and Try again finds the reports once it is on`(language: Language) {
        val near = "Trotoar rusak dekat pasar (${language.name})"
        val citizen = Phone(server, "warga")
        runBlocking {
            val draft = drainageReport(near)
            citizen.repo.file(draft.copy(location = draft.location.copy(latitude = -5.1870)))
        }
        citizen.sync()
        val gps = SwitchableGps()

        Device(server, language).use { phone ->
            val withGps = object : AppEnvironment by phone.env {
                override val location: LocationSource = gps
            }
            runApp(phone, env = withGps) {
                signIn("warga")
                waitFor(near)
                tap(t(S.nearby_open))
                waitFor(t(S.nearby_no_location))
                waitFor(t(S.nearby_try_again))
                assertFalse(shows(near), "no list without a position")
                assertFalse(shows(t(S.location_latitude)), "a phone with a GPS is not asked to type")
                screenshot("55-nearby-location-off")

                gps.on = true
                tap(t(S.nearby_try_again))
                waitFor(t(S.nearby_from, t(S.location_coordinates, "-5.18560", "119.42370")))
                waitFor(near)
                waitGone(t(S.nearby_try_again))
            }
        }
    }
}

/** A phone's positioning the person can switch on: off, it fails as Android's does; on, one good fix. */
private class SwitchableGps : LocationSource {
    @Volatile
    var on = false

    override fun fixes(): Flow<Fix> = flow {
        if (!on) throw LocationUnavailableException()
        emit(Fix(-5.1856, 119.4237, 8f, System.currentTimeMillis()))
    }

    override fun hasPermission(): Boolean = true
}
