/// What the reporter types about where it is; core stores it with the position.
struct PlaceFields: Equatable {
    var address = ""
    var kelurahan = ""
    var kecamatan = ""
    var city = ""
    var province = ""

    var isEmpty: Bool {
        address.trimmed.isEmpty && kelurahan.trimmed.isEmpty && kecamatan.trimmed.isEmpty
            && city.trimmed.isEmpty && province.trimmed.isEmpty
    }
}

/// The position a report will carry, and where it came from.
struct ReportPosition: Equatable {
    enum Source: Equatable { case device, photo }

    let latitude: Double
    let longitude: Double
    let accuracy: Double?
    let source: Source
}
