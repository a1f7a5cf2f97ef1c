import NIOCore

/// The draw-a-digit page, as files of the target's `Resources/` folder, embedded in the binary when
/// it is built (SwiftPM's `.embedInCode`), so that `perceptron` stays one self-contained file:
///
/// ```
/// GET /           Resources/page.html   the page
/// GET /style.css  Resources/page.css    its style sheet: calm colours, one grid that becomes a column on phones
/// GET /app.js     Resources/page.js     its script: drawing with pointer events, asking /api/predict after
///                                       every stroke (and every 150 ms while drawing), showing the answer;
///                                       uploads, test digits, the model
/// ```
/// The page loads nothing else, from nowhere else. Each file is served byte for byte as it is.
enum Page {
    /// `page.html`.
    static let html = ByteBuffer(bytes: PackageResources.page_html)
    /// `page.css`.
    static let css = ByteBuffer(bytes: PackageResources.page_css)
    /// `page.js`.
    static let js = ByteBuffer(bytes: PackageResources.page_js)
}
