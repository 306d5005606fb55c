import AduanCore
import SwiftUI

/// The category tree as core labels it: one section per top-level category, its
/// subcategories inside (a top-level category without any is chosen itself).
@MainActor
struct CategoryPicker: View {
    let categories: [CategoryView]
    @Binding var selection: String?
    @Environment(\.dismiss) private var dismiss

    var body: some View {
        List {
            ForEach(topLevel, id: \.id) { parent in
                Section(parent.label) {
                    let children = descendants(of: parent.id)
                    if children.isEmpty {
                        row(parent.id, label: parent.label)
                    } else {
                        ForEach(children, id: \.id) { child in
                            row(child.id, label: child.label)
                        }
                    }
                }
            }
        }
        .navigationTitle(tr("category"))
    }

    private var topLevel: [CategoryView] {
        categories.filter { $0.parentId == nil }
    }

    /// Every category below `id`, depth first.
    private func descendants(of id: String) -> [CategoryView] {
        categories
            .filter { $0.parentId == id }
            .flatMap { [$0] + descendants(of: $0.id) }
    }

    private func row(_ id: String, label: String) -> some View {
        Button {
            selection = id
            dismiss()
        } label: {
            HStack {
                Text(label)
                    .foregroundStyle(.primary)
                Spacer()
                if selection == id {
                    Image(systemName: "checkmark")
                        .foregroundStyle(Color.accentColor)
                }
            }
        }
    }
}
