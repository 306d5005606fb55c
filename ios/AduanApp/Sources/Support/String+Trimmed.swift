import Foundation

extension String {
    /// Without the spaces and line breaks a person leaves at either end of a field.
    var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
