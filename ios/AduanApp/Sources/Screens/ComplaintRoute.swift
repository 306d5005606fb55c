/// Navigation to one report (by id or tracking id).
struct ComplaintRoute: Hashable {
    let id: String
}
