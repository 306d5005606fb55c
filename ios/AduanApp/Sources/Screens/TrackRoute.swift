/// Navigation to tracking a report by its id, asking `serverUrl`: the one typed on the sign-in
/// screen, or the signed-in one from Settings.
struct TrackRoute: Hashable {
    let serverUrl: String
}
