import AduanCore
import CoreLocation
import SwiftUI

/// Filing a report: kind, category, title, description, photos (camera or library), where it
/// is (position with its accuracy, and the address), and the anonymous and confidential
/// choices explained in plain words. It is saved on the phone at once and goes to the server
/// with the next sync, so it works offline and says so.
@MainActor
struct FileReportView: View {
    @EnvironmentObject private var repository: AduanRepository
    @EnvironmentObject private var network: NetworkMonitor

    @StateObject private var locator = LocationProvider()

    @State private var kind: ReportKind = .complaint
    @State private var categoryId: String?
    @State private var title = ""
    @State private var description = ""
    @State private var photos: [PickedPhoto] = []
    @State private var position: ReportPosition?
    @State private var place = PlaceFields()
    @State private var anonymous = false
    @State private var confidential = false
    @State private var categories: [CategoryView] = []
    @State private var sending = false
    @State private var error: String?
    @State private var filed: ComplaintSummary?
    @State private var filedOffline = false

    private var canSend: Bool {
        !sending && categoryId != nil && !title.trimmed.isEmpty && !description.trimmed.isEmpty
    }

    var body: some View {
        Form {
            if !network.state.connected {
                Section {
                    Label(tr("offline_filing_note"), systemImage: "wifi.slash")
                        .foregroundStyle(.orange)
                }
            }
            whatSection
            Section(tr("photos")) {
                PhotoAttachments(photos: $photos, limit: 5)
            }
            LocationSection(provider: locator, position: $position, place: $place, photoLocation: photos.lazy.compactMap(\.location).first)
            privacySection
            if let error {
                Section {
                    Label(error, systemImage: "exclamationmark.triangle")
                        .foregroundStyle(.red)
                }
            }
            Section {
                Button {
                    send()
                } label: {
                    HStack {
                        Spacer()
                        if sending {
                            ProgressView()
                        } else {
                            Text(tr("send"))
                                .font(.headline)
                        }
                        Spacer()
                    }
                }
                .disabled(!canSend)
            } footer: {
                Text(network.state.connected ? tr("send_explained") : tr("saved_offline"))
            }
        }
        .navigationTitle(tr("file_report"))
        .task {
            for await result in repository.categories() {
                if case let .success(list) = result { categories = list }
            }
        }
        .onReceive(locator.$location) { fix in
            guard let fix else { return }
            position = ReportPosition(
                latitude: fix.coordinate.latitude,
                longitude: fix.coordinate.longitude,
                accuracy: fix.horizontalAccuracy,
                source: .device
            )
        }
        .onReceive(locator.$locating) { locating in
            // Once the position is settled, fill the address from it if there is a network.
            guard !locating, let fix = locator.location, network.state.connected, place.isEmpty else { return }
            Task { await fillAddress(from: fix) }
        }
        .alert(tr("report_saved"), isPresented: Binding(get: { filed != nil }, set: { if !$0 { filed = nil } })) {
            Button(tr("ok")) { filed = nil }
        } message: {
            if let filed {
                Text(filedOffline ? tr("report_saved_offline", filed.trackingId) : tr("report_saved_online", filed.trackingId))
            }
        }
    }

    private var whatSection: some View {
        Section {
            Picker(tr("kind"), selection: $kind) {
                ForEach(ReportKind.all, id: \.self) { kind in
                    Text(kind.label).tag(kind)
                }
            }
            Text(kind.explanation)
                .font(.footnote)
                .foregroundStyle(.secondary)
            NavigationLink {
                CategoryPicker(categories: categories, selection: $categoryId)
            } label: {
                LabeledContent(tr("category"), value: categoryLabel)
            }
            TextField(tr("title"), text: $title)
            TextField(tr("description_hint"), text: $description, axis: .vertical)
                .lineLimit(4...12)
        } header: {
            Text(tr("what_happened"))
        }
    }

    private var privacySection: some View {
        Section(tr("privacy")) {
            Toggle(tr("anonymous"), isOn: $anonymous)
            Text(tr("anonymous_explained"))
                .font(.footnote)
                .foregroundStyle(.secondary)
            Toggle(tr("confidential"), isOn: $confidential)
            Text(tr("confidential_explained"))
                .font(.footnote)
                .foregroundStyle(.secondary)
        }
    }

    private var categoryLabel: String {
        guard let categoryId else { return tr("choose") }
        return categories.first { $0.id == categoryId }?.label ?? categoryId
    }

    private func send() {
        guard let categoryId else { return }
        sending = true
        error = nil
        let draft = ComplaintDraft(
            kind: kind,
            categoryId: categoryId,
            title: title.trimmed,
            description: description.trimmed,
            location: Location(
                latitude: position?.latitude,
                longitude: position?.longitude,
                accuracyM: position?.accuracy,
                address: place.address.trimmed,
                province: place.province.trimmed,
                city: place.city.trimmed,
                kecamatan: place.kecamatan.trimmed,
                kelurahan: place.kelurahan.trimmed
            ),
            anonymous: anonymous,
            confidential: confidential,
            photos: []
        )
        let bytes = photos.map(\.data)
        let offline = !network.state.connected
        Task {
            do {
                let detail = try await repository.file(draft, photos: bytes)
                filedOffline = offline
                filed = detail.summary
                reset()
            } catch {
                self.error = describe(error)
            }
            sending = false
        }
    }

    private func reset() {
        kind = .complaint
        categoryId = nil
        title = ""
        description = ""
        photos = []
        position = nil
        place = PlaceFields()
        anonymous = false
        confidential = false
        locator.clear()
    }

    /// Fills the empty address fields from the position (CLGeocoder needs a network).
    private func fillAddress(from fix: CLLocation) async {
        let marks = try? await CLGeocoder().reverseGeocodeLocation(fix, preferredLocale: LocalizedStrings.shared.current.language.locale)
        guard let mark = marks?.first, place.isEmpty else { return }
        place.address = [mark.thoroughfare, mark.subThoroughfare].compactMap { $0 }.joined(separator: " ")
        place.kelurahan = mark.subLocality ?? ""
        place.kecamatan = mark.locality ?? ""
        place.city = mark.subAdministrativeArea ?? ""
        place.province = mark.administrativeArea ?? ""
    }
}
