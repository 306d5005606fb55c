import BackgroundTasks
import UIKit

/// Registers the background refresh before launch ends (iOS requires it then) and starts the
/// app's environment.
@MainActor
final class AppDelegate: NSObject, UIApplicationDelegate {
    let environment = AppEnvironment()

    func application(
        _ application: UIApplication,
        didFinishLaunchingWithOptions launchOptions: [UIApplication.LaunchOptionsKey: Any]? = nil
    ) -> Bool {
        let environment = self.environment
        _ = BGTaskScheduler.shared.register(forTaskWithIdentifier: SyncCoordinator.backgroundTaskIdentifier, using: .main) { task in
            guard let refresh = task as? BGAppRefreshTask else {
                task.setTaskCompleted(success: false)
                return
            }
            Task { @MainActor in
                guard let coordinator = await environment.coordinator() else {
                    refresh.setTaskCompleted(success: false)
                    return
                }
                coordinator.handle(refresh)
            }
        }
        environment.start()
        // Ask for permission to alert once at launch; what waits is posted after each sync.
        Task { @MainActor in
            await environment.coordinator()?.notifications.requestAuthorization()
        }
        return true
    }
}
