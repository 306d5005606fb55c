import SwiftUI
import UIKit

/// Where it is: the phone's position (accuracy shown), or the one a chosen photo carries, and
/// the address as the reporter writes it. The position works offline.
@MainActor
struct LocationSection: View {
    @ObservedObject var provider: LocationProvider
    @Binding var position: ReportPosition?
    @Binding var place: PlaceFields
    let photoLocation: PhotoLocation?

    var body: some View {
        Section {
            positionRows
            if let photoLocation, position?.source != .photo {
                Button {
                    position = ReportPosition(
                        latitude: photoLocation.latitude,
                        longitude: photoLocation.longitude,
                        accuracy: photoLocation.accuracy,
                        source: .photo
                    )
                } label: {
                    Label(tr("use_photo_location"), systemImage: "photo.badge.checkmark")
                }
            }
            TextField(tr("address"), text: $place.address, axis: .vertical)
                .textContentType(.fullStreetAddress)
                .lineLimit(1...3)
            TextField(tr("kelurahan"), text: $place.kelurahan)
            TextField(tr("kecamatan"), text: $place.kecamatan)
            TextField(tr("city"), text: $place.city)
            TextField(tr("province"), text: $place.province)
        } header: {
            Text(tr("location"))
        } footer: {
            Text(tr("location_works_offline"))
        }
    }

    @ViewBuilder
    private var positionRows: some View {
        if let position {
            VStack(alignment: .leading, spacing: 4) {
                Label(
                    tr("coordinates_value", Formatting.coordinate(position.latitude), Formatting.coordinate(position.longitude)),
                    systemImage: position.source == .photo ? "photo" : "location.fill"
                )
                if let accuracy = position.accuracy {
                    Text(tr("location_accuracy", Int(accuracy.rounded())))
                        .font(.footnote)
                        .foregroundStyle(accuracy > 100 ? Color.orange : Color.secondary)
                }
                if position.source == .photo {
                    Text(tr("location_from_photo"))
                        .font(.footnote)
                        .foregroundStyle(.secondary)
                }
            }
        }
        if provider.locating {
            HStack(spacing: 10) {
                ProgressView()
                Text(tr("finding_location"))
            }
        } else if provider.denied {
            VStack(alignment: .leading, spacing: 6) {
                Text(tr("location_denied"))
                    .font(.footnote)
                    .foregroundStyle(.orange)
                Button(tr("open_settings")) {
                    if let url = URL(string: UIApplication.openSettingsURLString) {
                        UIApplication.shared.open(url)
                    }
                }
                .buttonStyle(.borderless)
            }
        } else {
            HStack(spacing: 16) {
                Button {
                    provider.request()
                } label: {
                    Label(position == nil ? tr("use_my_location") : tr("update_location"), systemImage: "location")
                }
                .buttonStyle(.borderless)
                if position != nil {
                    Button(role: .destructive) {
                        position = nil
                        provider.clear()
                    } label: {
                        Label(tr("remove_location"), systemImage: "xmark")
                    }
                    .buttonStyle(.borderless)
                }
            }
            if provider.failed {
                Text(tr("location_failed"))
                    .font(.footnote)
                    .foregroundStyle(.orange)
            }
        }
    }
}
