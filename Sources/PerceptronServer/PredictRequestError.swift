/// What is wrong with the body of a `POST /api/predict`, in one sentence (the server answers it as
/// a 400 with `{"error": message}`).
///
/// A type of its own, free of the HTTP framework, so that the body's reader (`PredictBodyReader`,
/// `PredictRequest`) can be compiled and fuzzed without the server (Fuzz/Sources/FuzzPredictBody).
struct PredictRequestError: Error, Equatable, CustomStringConvertible {
    /// The sentence: what was wrong, where, and what was expected.
    var message: String

    init(_ message: String) { self.message = message }

    var description: String { message }
}
