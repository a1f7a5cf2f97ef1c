import NIOCore

/// The page's style sheet, `/style.css`: calm colours, one grid that becomes a column on phones.
enum PageStyle {
    static let css = ByteBuffer(string: source)

    static let source = #"""
    :root {
      --ink: #1c2333;
      --muted: #5f6b7e;
      --faint: #8d97a8;
      --line: #e3e7ee;
      --page: #f5f6f8;
      --card: #ffffff;
      --accent: #2f5bd3;
      --accent-soft: #e8eefc;
      --track: #eef1f5;
      --bar: #b9c3d6;
      --screen: #10141f;
      --error: #b42318;
      color-scheme: light;
    }
    * { box-sizing: border-box; }
    html { -webkit-text-size-adjust: 100%; }
    body {
      margin: 0;
      font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
      color: var(--ink);
      background: var(--page);
    }
    h1, h2, p, figure, dl, dd { margin: 0; }
    h2 { font-size: 15px; font-weight: 600; }

    .masthead {
      max-width: 1120px;
      margin: 0 auto;
      padding: 18px 24px 6px;
      display: flex;
      flex-wrap: wrap;
      align-items: baseline;
      column-gap: 14px;
    }
    .masthead h1 { font-size: 21px; letter-spacing: -0.01em; }
    .tagline { color: var(--muted); }
    .model-line { margin-left: auto; color: var(--faint); font-size: 13px; font-variant-numeric: tabular-nums; }

    .layout {
      max-width: 1120px;
      margin: 0 auto;
      padding: 10px 24px 32px;
      display: grid;
      grid-template-columns: auto minmax(0, 1fr);
      grid-template-areas: "pad result" "pad samples" "model model";
      gap: 18px;
      align-items: start;
    }
    .card {
      background: var(--card);
      border: 1px solid var(--line);
      border-radius: 14px;
      padding: 16px;
      min-width: 0;
    }
    .pad-card { grid-area: pad; }
    .result-card { grid-area: result; }
    .samples-card { grid-area: samples; }
    .model-card { grid-area: model; }
    [hidden] { display: none !important; }

    /* The drawing pad: as large as the window allows, always square. */
    .pad-frame {
      position: relative;
      width: clamp(260px, calc(100vh - 210px), 460px);
      aspect-ratio: 1;
    }
    #pad {
      display: block;
      width: 100%;
      height: 100%;
      background: #fff;
      border: 1px solid var(--line);
      border-radius: 10px;
      touch-action: none;
      cursor: crosshair;
      user-select: none;
      -webkit-user-select: none;
      -webkit-touch-callout: none;
    }
    .pad-hint {
      position: absolute;
      inset: 0;
      display: grid;
      place-items: center;
      color: #b3bccb;
      font-size: 18px;
      pointer-events: none;
    }
    body:not([data-state="empty"]) .pad-hint { visibility: hidden; }

    .tools {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 10px;
      margin-top: 12px;
      max-width: 460px;
    }
    button, .button {
      font: inherit;
      font-size: 14px;
      color: var(--ink);
      background: #fff;
      border: 1px solid #cfd5df;
      border-radius: 8px;
      padding: 6px 14px;
      cursor: pointer;
      line-height: 1.4;
    }
    button:hover, .button:hover { background: #f3f5f8; }
    button:focus-visible, .button:focus-visible, .sample:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
    .visually-hidden:focus-visible + .button { outline: 2px solid var(--accent); outline-offset: 2px; }
    kbd {
      font: 12px ui-monospace, SFMono-Regular, Menlo, monospace;
      color: var(--muted);
      border: 1px solid var(--line);
      border-bottom-width: 2px;
      border-radius: 4px;
      padding: 0 4px;
      margin-left: 4px;
    }
    .visually-hidden {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip: rect(0 0 0 0);
      white-space: nowrap;
    }
    .status { flex: 1 1 100%; color: var(--muted); font-size: 13px; }
    .status:empty { display: none; }
    body[data-state="error"] .status { color: var(--error); }

    /* The answer: the top digit large, beside the 28×28 input the network saw. */
    .verdict { display: flex; align-items: center; justify-content: space-between; gap: 16px; }
    .eyebrow { color: var(--muted); font-size: 13px; }
    .digit {
      font-size: 96px;
      line-height: 1;
      font-weight: 650;
      letter-spacing: -0.02em;
      font-variant-numeric: tabular-nums;
      margin: 6px 0 4px;
      color: var(--ink);
    }
    body[data-state="empty"] .digit { color: #c8cfdb; }
    .confidence { color: var(--muted); font-variant-numeric: tabular-nums; }
    .seen-figure { text-align: center; flex: none; }
    #seen {
      display: block;
      width: 140px;
      height: 140px;
      image-rendering: pixelated;
      background: var(--screen);
      border-radius: 6px;
    }
    .seen-figure figcaption { margin-top: 6px; font-size: 12px; color: var(--muted); }

    /* Ten bars, one per digit. */
    .bars {
      display: grid;
      grid-template-columns: repeat(10, minmax(0, 1fr));
      gap: 6px;
      height: 190px;
      margin-top: 18px;
    }
    .bar { display: flex; flex-direction: column; align-items: center; min-width: 0; }
    .pct {
      height: 18px;
      font-size: 11px;
      color: var(--muted);
      font-variant-numeric: tabular-nums;
      white-space: nowrap;
    }
    .track {
      position: relative;
      flex: 1;
      width: 100%;
      max-width: 40px;
      background: var(--track);
      border-radius: 6px;
      overflow: hidden;
    }
    .fill {
      position: absolute;
      left: 0;
      right: 0;
      bottom: 0;
      height: 0;
      background: var(--bar);
      border-radius: 6px 6px 0 0;
      transition: height 120ms ease-out;
    }
    .bar.is-top .fill { background: var(--accent); }
    .bar.is-top .pct { color: var(--accent); font-weight: 600; }
    .label { margin-top: 4px; font-weight: 600; font-variant-numeric: tabular-nums; }
    .bar.is-top .label { color: var(--accent); }

    /* Test digits. */
    .card-head { display: flex; align-items: center; justify-content: space-between; gap: 12px; }
    .note { color: var(--muted); font-size: 13px; margin-top: 2px; }
    .strip { display: grid; grid-template-columns: repeat(auto-fill, minmax(70px, 1fr)); gap: 10px; margin-top: 12px; }
    .sample {
      display: flex;
      flex-direction: column;
      align-items: center;
      gap: 4px;
      padding: 6px;
      border-radius: 10px;
      border: 1px solid var(--line);
      background: #fff;
    }
    .sample canvas { display: block; width: 56px; height: 56px; image-rendering: pixelated; background: var(--screen); border-radius: 4px; }
    .sample span { font-size: 12px; color: var(--muted); line-height: 1.2; }
    .sample[aria-pressed="true"] { border-color: var(--accent); background: var(--accent-soft); }

    /* The model. */
    .model-body { display: flex; flex-wrap: wrap; gap: 18px 32px; margin-top: 10px; align-items: flex-start; }
    .facts {
      display: grid;
      grid-template-columns: max-content minmax(0, 1fr);
      gap: 6px 16px;
      flex: 1 1 260px;
      font-variant-numeric: tabular-nums;
    }
    .facts dt { color: var(--muted); }
    .curves { flex: 1 1 420px; min-width: 0; }
    .curves img { display: block; width: 100%; max-width: 640px; height: auto; }

    /* Phones and narrow windows: one column, the pad as wide as the screen. */
    @media (max-width: 760px) {
      .masthead { padding: 14px 14px 4px; }
      .model-line { margin-left: 0; flex-basis: 100%; }
      .layout {
        grid-template-columns: minmax(0, 1fr);
        grid-template-areas: "pad" "result" "samples" "model";
        padding: 8px 10px 24px;
        gap: 12px;
      }
      .card { padding: 12px; }
      .pad-frame { width: 100%; }
      .tools { max-width: none; }
      .digit { font-size: 76px; }
      #seen { width: 112px; height: 112px; }
      .bars { height: 160px; gap: 4px; }
      .pct { font-size: 10px; }
      .strip { grid-template-columns: repeat(6, minmax(0, 1fr)); gap: 6px; }
      .sample { padding: 4px; }
      .sample canvas { width: 100%; height: auto; aspect-ratio: 1; }
      .sample span { font-size: 11px; }
    }
    """#
}
