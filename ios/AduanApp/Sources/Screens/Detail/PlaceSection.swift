import AduanCore
import SwiftUI

/// Where it is: the address as written and the position, with its accuracy.
@MainActor
struct PlaceSection: View {
    let location: Location

    var body: some View {
        Section(tr("location")) {
            if !location.address.isEmpty {
                Text(location.address)
                    .textSelection(.enabled)
            }
            if !location.kelurahan.isEmpty {
                LabeledContent(tr("kelurahan"), value: location.kelurahan)
            }
            if !location.kecamatan.isEmpty {
                LabeledContent(tr("kecamatan"), value: location.kecamatan)
            }
            if !location.city.isEmpty {
                LabeledContent(tr("city"), value: location.city)
            }
            if !location.province.isEmpty {
                LabeledContent(tr("province"), value: location.province)
            }
            if let latitude = location.latitude, let longitude = location.longitude {
                LabeledContent(tr("coordinates"), value: tr("coordinates_value", Formatting.coordinate(latitude), Formatting.coordinate(longitude)))
                if let accuracy = location.accuracyM {
                    Text(tr("location_accuracy", Int(accuracy.rounded())))
                        .font(.footnote)
                        .foregroundStyle(.secondary)
                }
            }
            if location.address.isEmpty && location.latitude == nil && location.kelurahan.isEmpty {
                Text(tr("no_location"))
                    .foregroundStyle(.secondary)
            }
        }
    }
}
