import Foundation
import FuzzSupport
import Perceptron
import PerceptronData
import PerceptronRun

/// `train --config FILE.json`: `RunConfiguration.resolve` on the file's bytes, the check of the
/// values (`problem`), then what `train` does with accepted settings before it reads any data:
/// the training options, and the thread count given to oneDNN (set back to 1 afterwards; no
/// thread is started, as nothing is computed).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let data = Data(bytes: start, count: count)
    FuzzInput.expectingErrors("config") {
        let configuration = try RunConfiguration.resolve(file: data, source: "fuzz.json", overrides: [:])
        // `train` goes on only with settings that make sense.
        guard configuration.problem == nil else { return }
        _ = configuration.training
        OneDNN.threadCount = configuration.threads ?? 1
        OneDNN.threadCount = 1
    }
    return 0
}
