import Foundation

/// Notifications the syncs brought, rendered by core in the store's language.
extension AduanRepository {
    /// Not shown yet, newest first.
    public func pendingNotifications() async throws -> [NotificationView] {
        try await read { try $0.pendingNotifications() }
    }

    /// The app has posted these: they are shown once.
    @discardableResult
    public func markNotificationsShown(_ ids: [UInt64]) async throws -> UInt32 {
        try await read { try $0.markNotificationsShown(ids: ids) }
    }

    /// The person's choices of kinds per channel, from the server.
    public func notificationPreferences() async throws -> NotificationPreferences {
        let store = self.store
        return try await network.run { try store.notificationPreferences() }
    }

    public func setNotificationPreferences(_ preferences: NotificationPreferences) async throws -> NotificationPreferences {
        let store = self.store
        return try await network.run { try store.setNotificationPreferences(preferences: preferences) }
    }
}
