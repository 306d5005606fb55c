import AduanCore
import Foundation
import UserNotifications

/// Posts what a sync brought as user notifications: texts rendered by core in the app's
/// language, one thread per kind. Each is marked shown once posted, so it is never posted
/// twice; without the person's permission they stay pending and show once it is given.
@MainActor
final class LocalNotifications {
    private let repository: AduanRepository
    private let center = UNUserNotificationCenter.current()

    init(repository: AduanRepository) {
        self.repository = repository
    }

    /// Asks once for permission to alert (iOS shows its own prompt only the first time).
    func requestAuthorization() async {
        _ = try? await center.requestAuthorization(options: [.alert, .sound, .badge])
    }

    func showPending() async {
        let settings = await center.notificationSettings()
        guard settings.authorizationStatus == .authorized || settings.authorizationStatus == .provisional else { return }
        guard let pending = try? await repository.pendingNotifications(), !pending.isEmpty else { return }
        var posted: [UInt64] = []
        for notification in pending.reversed() {
            let content = UNMutableNotificationContent()
            content.title = notification.title
            content.body = notification.body
            content.threadIdentifier = notification.kind.map { "aduan.\($0)" } ?? "aduan.other"
            content.userInfo = ["complaintId": notification.complaintId]
            let request = UNNotificationRequest(identifier: "aduan-\(notification.id)", content: content, trigger: nil)
            do {
                try await center.add(request)
                posted.append(notification.id)
            } catch {
                break
            }
        }
        if !posted.isEmpty {
            _ = try? await repository.markNotificationsShown(posted)
        }
    }
}
