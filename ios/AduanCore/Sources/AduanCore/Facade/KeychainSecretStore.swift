import Foundation
import Security

/// Core's secure storage on iOS: generic-password items in the Keychain, kept on this device
/// only (never in a backup or iCloud) and readable after the first unlock, since background
/// sync runs with the screen locked.
public final class KeychainSecretStore: SecretStore, @unchecked Sendable {
    // Immutable after init; the Keychain calls are thread-safe.
    private let service: String

    public init(service: String = "id.aduan.secrets") {
        self.service = service
    }

    public func get(key: String) throws -> String? {
        var query = itemQuery(key)
        query[kSecReturnData as String] = true
        query[kSecMatchLimit as String] = kSecMatchLimitOne
        var item: CFTypeRef?
        let status = SecItemCopyMatching(query as CFDictionary, &item)
        switch status {
        case errSecSuccess:
            guard let data = item as? Data else { return nil }
            return String(data: data, encoding: .utf8)
        case errSecItemNotFound:
            return nil
        default:
            throw SecretStoreError.Unavailable(reason: "keychain status \(status)")
        }
    }

    public func put(key: String, value: String) throws {
        let data = Data(value.utf8)
        var status = SecItemUpdate(
            itemQuery(key) as CFDictionary,
            [kSecValueData as String: data] as CFDictionary
        )
        if status == errSecItemNotFound {
            var item = itemQuery(key)
            item[kSecValueData as String] = data
            item[kSecAttrAccessible as String] = kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly
            status = SecItemAdd(item as CFDictionary, nil)
        }
        guard status == errSecSuccess else {
            throw SecretStoreError.Unavailable(reason: "keychain status \(status)")
        }
    }

    public func delete(key: String) throws {
        let status = SecItemDelete(itemQuery(key) as CFDictionary)
        guard status == errSecSuccess || status == errSecItemNotFound else {
            throw SecretStoreError.Unavailable(reason: "keychain status \(status)")
        }
    }

    private func itemQuery(_ key: String) -> [String: Any] {
        [
            kSecClass as String: kSecClassGenericPassword,
            kSecAttrService as String: service,
            kSecAttrAccount as String: key,
        ]
    }
}
