import ArgumentParser
#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif

@main
struct PerceptronTool: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "perceptron",
        abstract: "Train multilayer perceptrons from scratch and read handwritten digits.",
        subcommands: [TrainCommand.self, CompareCommand.self, SweepCommand.self, EvaluateCommand.self, PredictCommand.self, ReportCommand.self, DiagnoseCommand.self, ServeCommand.self, FetchCommand.self, GradcheckCommand.self, BenchCommand.self, AugmentCommand.self],
        defaultSubcommand: nil
    )

    static func main() {
        #if os(Linux)
        OpenMPWaitPolicy.configure()
        #endif
        // Log lines must appear as they are written, also when the output is a pipe or a file.
        setvbuf(stdout, nil, _IOLBF, 0)
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(withError: error)
        }
    }
}
