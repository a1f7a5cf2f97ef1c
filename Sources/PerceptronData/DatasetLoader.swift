import Foundation
import Perceptron

/// Reads the labelled images at `url`, laid out in any of the ways ``DataLayout`` tells apart:
/// a folder of IDX files (`IDXFolder`), one CSV file in Kaggle's layout (``KaggleCSV``) or a
/// folder of class folders (``ClassFolders``).
///
/// `dataset` names what the data should be: `.mnist` and `.fashion` are a folder of their four
/// IDX files (checked as `IDXFolder` says, MNIST's by SHA-256); `.custom` is any of the three
/// layouts; `nil` lets the data say: a folder of MNIST's four files of 28×28 images is `.mnist`,
/// anything else `.custom`. The result's `dataset` is what it was found to be. A CSV file or class
/// folders named `.mnist` or `.fashion` are refused with `DatasetError.notIDX`.
public func loadDataset(_ dataset: Dataset?, from url: URL) throws -> DatasetSplits {
    let layout = try DataLayout(of: url)
    if layout != .idx, let dataset, dataset != .custom {
        throw DatasetError.notIDX(dataset: dataset, path: url.path, layout: layout)
    }
    switch layout {
    case .idx: return try IDXFolder.load(dataset, from: url)
    case .csv: return DatasetSplits(train: try KaggleCSV.readTraining(from: url), test: nil)
    case .classFolders: return try ClassFolders.read(from: url)
    }
}
