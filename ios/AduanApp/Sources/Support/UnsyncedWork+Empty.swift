import AduanCore

extension UnsyncedWork {
    /// Nothing the server lacks would be lost by signing out.
    var isEmpty: Bool { complaints == 0 && changes == 0 && photos == 0 && refused == 0 }
}
