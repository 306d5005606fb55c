import AduanCore
import SwiftUI

/// The sync indicator: whether a sync runs (and how far it got), what waits to be sent, when
/// the last one succeeded, why the last one failed, and whether it waits for a network.
@MainActor
struct SyncBar: View {
    @EnvironmentObject private var repository: AduanRepository
    @EnvironmentObject private var coordinator: SyncCoordinator
    @EnvironmentObject private var network: NetworkMonitor
    @EnvironmentObject private var settings: AppSettings

    var body: some View {
        HStack(alignment: .center, spacing: 12) {
            icon
                .font(.title3)
                .frame(width: 28)
            VStack(alignment: .leading, spacing: 2) {
                Text(headline)
                    .font(.subheadline.weight(.semibold))
                ForEach(details, id: \.self) { line in
                    Text(line)
                        .font(.caption)
                        .foregroundStyle(.secondary)
                }
                if !repository.isSyncing, let failure = repository.syncStatus?.lastError {
                    Text(failure)
                        .font(.caption)
                        .foregroundStyle(.red)
                        .lineLimit(3)
                }
            }
            Spacer(minLength: 8)
            if repository.isSyncing {
                Button(tr("cancel")) { coordinator.cancel() }
                    .buttonStyle(.bordered)
            } else if network.state.connected {
                Button(tr("sync_now")) {
                    Task { await coordinator.syncNow() }
                }
                .buttonStyle(.bordered)
            }
        }
        .padding(.horizontal, 16)
        .padding(.vertical, 8)
        .frame(maxWidth: .infinity, alignment: .leading)
        .background(.bar)
    }

    private var status: SyncStatus? { repository.syncStatus }

    @ViewBuilder
    private var icon: some View {
        if repository.isSyncing {
            ProgressView()
        } else if !network.state.connected {
            Image(systemName: "wifi.slash").foregroundStyle(.orange)
        } else if status?.lastError != nil {
            Image(systemName: "exclamationmark.icloud").foregroundStyle(.red)
        } else if (status?.pendingTotal ?? 0) > 0 {
            Image(systemName: "icloud.and.arrow.up").foregroundStyle(.orange)
        } else {
            Image(systemName: "checkmark.icloud").foregroundStyle(.green)
        }
    }

    private var headline: String {
        if repository.isSyncing { return tr("syncing") }
        guard let status else { return tr("sync_status_unknown") }
        if status.pendingDocuments > 0 { return tr("waiting_to_sync", Int(clamping: status.pendingDocuments)) }
        if status.pendingPhotos > 0 { return tr("photos_waiting", Int(clamping: status.pendingPhotos)) }
        if status.lastSuccessAt == nil { return tr("never_synced") }
        return tr("all_synced")
    }

    private var details: [String] {
        var lines: [String] = []
        if repository.isSyncing {
            if let progress = repository.syncProgress {
                lines.append(tr("sync_progress", Int(clamping: progress.documentsSent), Int(clamping: progress.documentsReceived)))
            }
            return lines
        }
        guard let status else { return lines }
        if status.pendingDocuments > 0, status.pendingPhotos > 0 {
            lines.append(tr("photos_waiting", Int(clamping: status.pendingPhotos)))
        }
        if status.pendingTotal > 0 {
            if !network.state.connected || coordinator.waitingForNetwork {
                lines.append(tr("offline_waiting"))
            } else if status.pendingPhotos > 0, network.state.metered, !settings.uploadFullPhotosOnMobileData {
                lines.append(tr("photos_wait_for_wifi"))
            } else if let next = coordinator.scheduledAt {
                lines.append(tr("next_sync", Formatting.relative(next)))
            }
        } else if !network.state.connected {
            lines.append(tr("offline_now"))
        }
        if let last = status.lastSuccessAt {
            lines.append(tr("last_synced", Formatting.relative(last)))
        }
        return lines
    }
}
