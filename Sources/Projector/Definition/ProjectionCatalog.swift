import Foundation

/// Every projection under a `Projections/` folder (`<department>/<view>/projection.yaml`).
public struct ProjectionCatalog: Sendable {
    public let definitions: [ProjectionDefinition]

    public init(definitions: [ProjectionDefinition]) {
        self.definitions = definitions.sorted { $0.name < $1.name }
    }

    /// Loads every projection folder below `root`; the first bad one stops the load with its
    /// file and field.
    public static func load(root: URL) throws(ProjectionDefinitionError) -> ProjectionCatalog {
        let files = FileManager.default
        guard let departments = try? files.contentsOfDirectory(atPath: root.path) else {
            throw ProjectionDefinitionError(file: root.path, field: nil, problem: "is not a readable folder of projections")
        }
        var definitions: [ProjectionDefinition] = []
        for department in departments.sorted() where !department.hasPrefix(".") {
            let departmentFolder = root.appendingPathComponent(department)
            guard let views = try? files.contentsOfDirectory(atPath: departmentFolder.path) else { continue }
            for view in views.sorted() where !view.hasPrefix(".") {
                let folder = departmentFolder.appendingPathComponent(view)
                guard files.fileExists(atPath: folder.appendingPathComponent("projection.yaml").path) else { continue }
                definitions.append(try ProjectionDefinition.load(folder: folder))
            }
        }
        guard !definitions.isEmpty else {
            throw ProjectionDefinitionError(file: root.path, field: nil, problem: "holds no projection (<department>/<view>/projection.yaml)")
        }
        return ProjectionCatalog(definitions: definitions)
    }

    public func definition(named name: String) -> ProjectionDefinition? { definitions.first { $0.name == name } }

    public var departments: [String] { Array(Set(definitions.map(\.department))).sorted() }

    public func definitions(ofDepartment department: String) -> [ProjectionDefinition] {
        definitions.filter { $0.department == department.replacingOccurrences(of: "-", with: "_") }
    }
}
