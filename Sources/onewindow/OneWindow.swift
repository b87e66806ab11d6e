import ArgumentParser

@main
struct OneWindow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "onewindow",
        abstract: "OneWindow: event-sourced case management for a city's floating population.",
        subcommands: [DevCommand.self, ServeCommand.self, MigrateCommand.self, TokenCommand.self, EraseCommand.self, SimulateCommand.self, ReplayCommand.self, ProjectionsCommand.self, BenchCommand.self]
    )
}
