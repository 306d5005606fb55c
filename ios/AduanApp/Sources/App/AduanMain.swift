import SwiftUI

@main
struct AduanMain: App {
    @UIApplicationDelegateAdaptor(AppDelegate.self) private var appDelegate

    var body: some Scene {
        WindowGroup {
            AppRoot()
                .environmentObject(appDelegate.environment)
                .environmentObject(appDelegate.environment.settings)
                .environmentObject(appDelegate.environment.network)
        }
    }
}
