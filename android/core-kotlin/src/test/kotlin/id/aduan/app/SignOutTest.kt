package id.aduan.app

import id.aduan.core.AduanException
import id.aduan.core.AduanStore
import id.aduan.core.Status
import java.nio.file.Files
import java.nio.file.Path
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/** Leaving a phone through the Kotlin binding: the warning first, then nothing left behind. */
class SignOutTest {
    private fun bytesIn(dir: Path): String =
        Files.list(dir).use { files ->
            files.filter { Files.isRegularFile(it) }
                .map { String(Files.readAllBytes(it), Charsets.ISO_8859_1) }
                .toList()
                .joinToString("")
        }

    @Test
    fun `sign-out warns about unsynced work, then empties the phone and its secure storage`() {
        TestServer().use { server ->
            val secrets = MemorySecretStore()
            val dir = Files.createTempDirectory("aduan-phone")
            val store = AduanStore.openWithSecretStore(dir.toString(), secrets)
            store.continueAnonymously(server.url)
            val filed = store.createComplaint(draft("Lampu jalan mati di Jl. Cendrawasih")).summary

            val work = store.unsyncedWork()
            assertEquals(1uL, work.complaints)
            assertEquals(1uL, work.newComplaints)
            val refused = assertThrows<AduanException.NotAllowed> { store.signOut(false) }
            assertEquals("unsynced_work", refused.code)
            assertNotNull(secrets.values["session"], "refused means still signed in")

            store.sync(null)
            val report = store.signOut(false)
            assertTrue(report.serverSessionEnded)
            assertNull(secrets.values["session"], "the session left the secure storage")
            assertNull(store.identity())
            assertFalse(store.syncStatus().signedIn)
            assertEquals(0uL, store.unsyncedWork().complaints)
            assertThrows<AduanException.NotFound> { store.get(filed.id) }
            store.close()
            assertFalse(bytesIn(dir).contains("Cendrawasih"), "nothing of it stays in the files")

            // The complaint is on the server, and anyone follows it by its tracking id.
            val anyone = newStore()
            val seen = anyone.track(server.url, filed.trackingId)
            assertNotNull(seen)
            assertEquals(Status.SUBMITTED, seen!!.status)
            assertEquals("Mangasa", seen.area.kelurahan)
            anyone.close()

            // The same folder serves the next person.
            val next = AduanStore.openWithSecretStore(dir.toString(), secrets)
            next.continueAnonymously(server.url)
            assertTrue(next.syncStatus().signedIn)
            next.close()
        }
    }
}
