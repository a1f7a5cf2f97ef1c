import NIOCore

/// The page at `/`. Its style is in PageStyle.swift (`/style.css`), its behaviour in
/// PageScript.swift (`/app.js`); it loads nothing else, from nowhere else.
enum Page {
    static let html = ByteBuffer(string: source)

    static let source = #"""
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Perceptron · draw a digit</title>
    <link rel="icon" href="data:,">
    <link rel="stylesheet" href="/style.css">
    <script src="/app.js" defer></script>
    </head>
    <body data-state="empty" data-busy="0" data-predictions="0">
    <header class="masthead">
      <h1>Perceptron</h1>
      <p class="tagline">Draw a digit and watch the network read it.</p>
      <p id="model-line" class="model-line"></p>
    </header>
    <main class="layout">
      <section class="card pad-card" aria-label="Drawing pad">
        <div class="pad-frame">
          <canvas id="pad" width="560" height="560" aria-label="Drawing pad: draw a digit with the mouse, a pen or a finger"></canvas>
          <p id="pad-hint" class="pad-hint">Draw a digit, 0 to 9</p>
        </div>
        <div class="tools">
          <button id="clear" type="button">Clear <kbd>C</kbd></button>
          <input id="upload" class="visually-hidden" type="file" accept="image/png,image/jpeg,image/*">
          <label class="button" for="upload" title="A photo or a drawing of one digit: PNG, JPEG, or any picture your browser can show">Upload an image…</label>
          <p id="status" class="status" role="status" aria-live="polite"></p>
        </div>
      </section>
      <section class="card result-card" aria-label="What the network reads">
        <div class="verdict">
          <div class="answer">
            <p class="eyebrow">The network reads</p>
            <p id="digit" class="digit" aria-live="polite">?</p>
            <p id="confidence" class="confidence">Draw something to begin.</p>
          </div>
          <figure class="seen-figure">
            <canvas id="seen" width="28" height="28" aria-label="The 28 by 28 input the network saw"></canvas>
            <figcaption>What it sees: 28 × 28</figcaption>
          </figure>
        </div>
        <div id="bars" class="bars" aria-label="Probability of each digit"></div>
      </section>
      <section id="samples-card" class="card samples-card" hidden>
        <div class="card-head">
          <h2>MNIST test digits</h2>
          <button id="shuffle" type="button">Shuffle</button>
        </div>
        <p class="note">Handwriting the network never trained on. Click one to read it.</p>
        <div id="samples" class="strip"></div>
      </section>
      <section class="card model-card" aria-label="The model">
        <h2>The model</h2>
        <div class="model-body">
          <dl id="facts" class="facts"></dl>
          <figure id="curves-figure" class="curves" hidden>
            <img id="curves" alt="Learning curves of the training run: loss and accuracy per epoch">
          </figure>
        </div>
      </section>
    </main>
    </body>
    </html>
    """#
}
