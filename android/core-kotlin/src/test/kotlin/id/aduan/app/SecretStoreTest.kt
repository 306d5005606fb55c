package id.aduan.app

import id.aduan.core.AduanException
import id.aduan.core.AduanStore
import id.aduan.core.SecretStore
import id.aduan.core.SecretStoreException
import java.nio.file.Files
import java.nio.file.Path
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/** The platform's secure storage as a test sees it: values in memory, shared across reopenings. */
class MemorySecretStore : SecretStore {
    val values = java.util.concurrent.ConcurrentHashMap<String, String>()
    override fun get(key: String): String? = values[key]
    override fun put(key: String, value: String) { values[key] = value }
    override fun delete(key: String) { values.remove(key) }
}

/** Secure storage that cannot be used right now (a locked keychain). */
class LockedSecretStore : SecretStore {
    override fun get(key: String): String? = null
    override fun put(key: String, value: String): Unit = throw SecretStoreException.Unavailable("locked")
    override fun delete(key: String) {}
}

/** Sign-in tokens go through the Kotlin implementation of core's SecretStore, not into SQLite. */
class SecretStoreTest {
    private fun storeBytes(dir: Path): ByteArray =
        Files.list(dir).use { files ->
            files.filter { it.fileName.toString().startsWith("aduan.db") }
                .map { Files.readAllBytes(it) }
                .toList()
                .fold(ByteArray(0)) { all, b -> all + b }
        }

    private fun ByteArray.contains(text: String): Boolean =
        String(this, Charsets.ISO_8859_1).contains(text)

    @Test
    fun `the tokens reach the Kotlin secure storage and never the store file`() {
        TestServer().use { server ->
            val secrets = MemorySecretStore()
            val dir = Files.createTempDirectory("aduan-phone")
            val store = AduanStore.openWithSecretStore(dir.toString(), secrets)
            store.continueAnonymously(server.url)
            val session = secrets.values["session"]
            assertNotNull(session, "the session reached the secure storage")
            val refresh = Regex("\"refresh_token\":\"([^\"]+)\"").find(session!!)!!.groupValues[1]
            assertTrue(refresh.length >= 16, "a real token")
            store.createComplaint(draft("Lampu jalan mati"))
            store.close()
            assertFalse(storeBytes(dir).contains(refresh))
            assertFalse(storeBytes(dir).contains("refresh_token"))

            // Reopened with the same secure storage, the phone is still signed in and syncs.
            val again = AduanStore.openWithSecretStore(dir.toString(), secrets)
            assertTrue(again.syncStatus().signedIn)
            again.sync(null)
            assertEquals(0uL, again.syncStatus().pendingDocuments)
            again.close()

            // Without it (the folder copied to another phone) there is no session at all.
            val copy = AduanStore.openWithSecretStore(dir.toString(), MemorySecretStore())
            assertFalse(copy.syncStatus().signedIn)
            copy.close()
        }
    }

    @Test
    fun `a secure storage that refuses is a typed error, not a crash or a silent sign-in`() {
        TestServer().use { server ->
            val store = AduanStore.openWithSecretStore(
                Files.createTempDirectory("aduan-phone").toString(),
                LockedSecretStore(),
            )
            val e = assertThrows<AduanException.Storage> { store.continueAnonymously(server.url) }
            assertEquals("secure_storage_failed", e.code)
            assertFalse(store.syncStatus().signedIn)
            store.close()
        }
    }

    @Test
    fun `plain http to a remote server is refused before any connection`() {
        val store = newStore()
        val e = assertThrows<AduanException.InvalidInput> {
            store.continueAnonymously("http://aduan.example.go.id")
        }
        assertEquals("insecure_server_address", e.code)
        store.close()
    }
}
