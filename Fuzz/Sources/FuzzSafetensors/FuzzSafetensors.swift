import FuzzSupport
import Perceptron
import PerceptronData

/// safetensors files: the container (`Safetensors.decode`) and the model on top (`ModelFile.decode`),
/// as `predict`, `evaluate` and `serve` read `--model`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = FuzzInput.bytes(start, count)
    FuzzInput.expectingErrors("safetensors") { _ = try Safetensors.decode(bytes, path: "fuzz.safetensors") }
    FuzzInput.expectingErrors("model-f32") {
        let (network, _) = try ModelFile.decode(bytes, path: "fuzz.safetensors") as (network: Network<Float>, metadata: [String: String])
        _ = network.sizes
    }
    FuzzInput.expectingErrors("model-f64") {
        let (network, _) = try ModelFile.decode(bytes, path: "fuzz.safetensors") as (network: Network<Double>, metadata: [String: String])
        _ = network.sizes
    }
    return 0
}
