/// Data augmentation as ``Trainer`` applies it: before every epoch, each training image is replaced
/// by a new variant of itself, and the labels stay as they are.
///
/// The trainer passes the same `generator` every epoch (its shuffler's stream "augment"), so the
/// variants of epoch `e` should depend on `generator` and `e` alone: then the same seed gives the
/// same run, and a resumed run sees the images one that never stopped would have seen.
/// (PerceptronData's `Augmentation`, random affine and elastic distortions, is one.)
public protocol TrainingAugmentation: Sendable {
    /// Writes epoch `epoch`'s variant of every image of `source` into `target`, with `source`'s
    /// labels. `target` is a copy of `source` the first time and the previous epoch's result after
    /// that, to be rewritten in place.
    func augment(_ source: LabeledImages, epoch: Int, generator: SplitMix64, into target: inout LabeledImages)
}
