package id.aduan.android.security

import android.content.Context
import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyPermanentlyInvalidatedException
import android.security.keystore.KeyProperties
import android.util.Base64
import id.aduan.core.SecretStore
import id.aduan.core.SecretStoreException
import java.security.GeneralSecurityException
import java.security.KeyStore
import java.security.UnrecoverableKeyException
import javax.crypto.AEADBadTagException
import javax.crypto.Cipher
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec

/**
 * Core's secure storage on Android: every value sealed with AES-256-GCM under a key generated
 * inside the Android Keystore (it never leaves it, in hardware where the phone has it), the
 * sealed bytes in private SharedPreferences. A backup or a copy of the app's files carries only
 * ciphertext no other phone can open.
 *
 * The key needs no user authentication: background sync runs with the screen locked.
 */
class KeystoreSecretStore(context: Context) : SecretStore {
    private val prefs = context.applicationContext.getSharedPreferences(PREFS, Context.MODE_PRIVATE)

    @Synchronized
    override fun get(key: String): String? {
        val stored = prefs.getString(key, null) ?: return null
        val secretKey = existingKey() ?: return forget(key)
        return try {
            val sealed = Base64.decode(stored, Base64.NO_WRAP)
            if (sealed.size <= IV_BYTES) return forget(key)
            val cipher = Cipher.getInstance(TRANSFORMATION)
            cipher.init(Cipher.DECRYPT_MODE, secretKey, GCMParameterSpec(TAG_BITS, sealed, 0, IV_BYTES))
            cipher.updateAAD(key.toByteArray(Charsets.UTF_8))
            String(cipher.doFinal(sealed, IV_BYTES, sealed.size - IV_BYTES), Charsets.UTF_8)
        } catch (e: IllegalArgumentException) {
            forget(key) // not Base64: not ours
        } catch (e: AEADBadTagException) {
            forget(key) // restored from another phone, or sealed under a key since replaced
        } catch (e: KeyPermanentlyInvalidatedException) {
            forget(key)
        } catch (e: GeneralSecurityException) {
            // A Keystore that is busy or failing now: not a reason to sign the person out.
            throw SecretStoreException.Unavailable(e.javaClass.simpleName)
        }
    }

    @Synchronized
    override fun put(key: String, value: String) {
        val sealed = try {
            val cipher = Cipher.getInstance(TRANSFORMATION)
            // The Keystore picks a fresh random IV for every encryption.
            cipher.init(Cipher.ENCRYPT_MODE, existingKey() ?: newKey())
            cipher.updateAAD(key.toByteArray(Charsets.UTF_8))
            val body = cipher.doFinal(value.toByteArray(Charsets.UTF_8))
            cipher.iv + body
        } catch (e: GeneralSecurityException) {
            throw SecretStoreException.Unavailable(e.javaClass.simpleName)
        }
        // commit(), not apply(): core counts the value as kept when this returns.
        if (!prefs.edit().putString(key, Base64.encodeToString(sealed, Base64.NO_WRAP)).commit()) {
            throw SecretStoreException.Unavailable("SharedPreferences write failed")
        }
    }

    @Synchronized
    override fun delete(key: String) {
        if (!prefs.edit().remove(key).commit()) {
            throw SecretStoreException.Unavailable("SharedPreferences write failed")
        }
    }

    /** A value that can never be read again is dropped: the person signs in again. */
    private fun forget(key: String): String? {
        prefs.edit().remove(key).commit()
        return null
    }

    private fun existingKey(): SecretKey? = try {
        val keyStore = KeyStore.getInstance(KEYSTORE).apply { load(null) }
        keyStore.getKey(ALIAS, null) as? SecretKey
    } catch (e: UnrecoverableKeyException) {
        null
    } catch (e: GeneralSecurityException) {
        throw SecretStoreException.Unavailable(e.javaClass.simpleName)
    }

    private fun newKey(): SecretKey {
        val generator = KeyGenerator.getInstance(KeyProperties.KEY_ALGORITHM_AES, KEYSTORE)
        generator.init(
            KeyGenParameterSpec.Builder(ALIAS, KeyProperties.PURPOSE_ENCRYPT or KeyProperties.PURPOSE_DECRYPT)
                .setBlockModes(KeyProperties.BLOCK_MODE_GCM)
                .setEncryptionPaddings(KeyProperties.ENCRYPTION_PADDING_NONE)
                .setKeySize(256)
                .build(),
        )
        return generator.generateKey()
    }

    private companion object {
        const val KEYSTORE = "AndroidKeyStore"
        const val ALIAS = "aduan-secrets-v1"
        const val PREFS = "aduan-secrets"
        const val TRANSFORMATION = "AES/GCM/NoPadding"
        const val IV_BYTES = 12
        const val TAG_BITS = 128
    }
}
