"use strict";

const $ = (id) => document.getElementById(id);
const pad = $("pad");
const ink = pad.getContext("2d");
const seen = $("seen");
const seenContext = seen.getContext("2d");
const SIDE = pad.width;             // the pad's own pixels (it is shown smaller or larger)
const BRUSH = SIDE * 0.075;         // a round pen about as thick, relative to the digit, as MNIST's strokes
const EXPORT_SIDE = 280;            // the PNG sent to the server
const THROTTLE_MS = 150;            // at most one prediction per 150 ms while drawing
const body = document.body;

// ---------- Drawing ----------

let hasInk = false;
let stroke = null;                  // {id, last} while a pointer draws

function resetPad() {
  ink.fillStyle = "#fff";
  ink.fillRect(0, 0, SIDE, SIDE);
  hasInk = false;
}

function padPoint(event) {
  const box = pad.getBoundingClientRect();
  return {
    x: (event.clientX - box.left) * SIDE / box.width,
    y: (event.clientY - box.top) * SIDE / box.height,
  };
}

function dot(p) {
  ink.fillStyle = "#000";
  ink.beginPath();
  ink.arc(p.x, p.y, BRUSH / 2, 0, Math.PI * 2);
  ink.fill();
}

function segment(from, to) {
  ink.strokeStyle = "#000";
  ink.lineWidth = BRUSH;
  ink.lineCap = "round";
  ink.lineJoin = "round";
  ink.beginPath();
  ink.moveTo(from.x, from.y);
  ink.lineTo(to.x, to.y);
  ink.stroke();
}

pad.addEventListener("pointerdown", (event) => {
  if (event.pointerType === "mouse" && event.button !== 0) return;
  if (stroke) return;               // a second finger does not start a second stroke
  event.preventDefault();
  pad.setPointerCapture(event.pointerId);
  const p = padPoint(event);
  stroke = { id: event.pointerId, last: p };
  dot(p);
  hasInk = true;
  selectSample(null);
  statusNote = "";
  setStatus("");
  setState("drawing");
});

pad.addEventListener("pointermove", (event) => {
  if (!stroke || event.pointerId !== stroke.id) return;
  event.preventDefault();
  const events = event.getCoalescedEvents ? event.getCoalescedEvents() : [];
  for (const e of events.length ? events : [event]) {
    const p = padPoint(e);
    segment(stroke.last, p);
    stroke.last = p;
  }
  if (!inFlight && performance.now() - lastSent >= THROTTLE_MS) predictDrawing();
});

function endStroke(event) {
  if (!stroke || event.pointerId !== stroke.id) return;
  stroke = null;
  predictDrawing();
}
pad.addEventListener("pointerup", endStroke);
pad.addEventListener("pointercancel", endStroke);
pad.addEventListener("lostpointercapture", endStroke);
pad.addEventListener("contextmenu", (event) => event.preventDefault());

// The drawing as the server gets it: black ink on white, 280 × 280, as a PNG.
const exportCanvas = document.createElement("canvas");
exportCanvas.width = exportCanvas.height = EXPORT_SIDE;
const exportContext = exportCanvas.getContext("2d");
function drawingPNG() {
  exportContext.fillStyle = "#fff";
  exportContext.fillRect(0, 0, EXPORT_SIDE, EXPORT_SIDE);
  exportContext.imageSmoothingQuality = "high";
  exportContext.drawImage(pad, 0, 0, EXPORT_SIDE, EXPORT_SIDE);
  return exportCanvas.toDataURL("image/png");
}

function predictDrawing() {
  if (hasInk) predict(() => ({ image: drawingPNG() }));
}

// ---------- Asking the server ----------

let inFlight = false;
let queued = null;                  // the request to send when the one in flight is answered
let lastSent = -Infinity;
let generation = 0;                 // bumped by Clear: answers to older requests are dropped
let predictions = 0;

function predict(makeBody) {
  if (inFlight) { queued = makeBody; markBusy(); return; }
  send(makeBody);
}

async function send(makeBody) {
  inFlight = true;
  queued = null;
  markBusy();
  lastSent = performance.now();
  const asked = generation;
  try {
    const response = await fetch("/api/predict", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(makeBody()),
    });
    const answer = await response.json().catch(() => ({ error: `the server answered ${response.status}` }));
    if (!response.ok) throw new Error(answer.error || `the server answered ${response.status}`);
    if (asked === generation) show(answer);
  } catch (error) {
    if (asked === generation) showError(error.message || String(error));
  } finally {
    inFlight = false;
    const next = queued;  // Clear empties the queue, so whatever is queued is current
    if (next) send(next); else markBusy();
  }
}

function markBusy() { body.dataset.busy = inFlight || queued ? "1" : "0"; }

function setState(state) { body.dataset.state = state; }

function setStatus(text) { $("status").textContent = text; }

function showError(message) {
  setState("error");
  setStatus(message);
}

// ---------- The answer ----------

const bars = [];
for (let d = 0; d < 10; d++) {
  const bar = document.createElement("div");
  bar.className = "bar";
  bar.setAttribute("role", "img");
  bar.innerHTML = `<span class="pct"></span><span class="track"><span class="fill"></span></span><span class="label">${d}</span>`;
  $("bars").appendChild(bar);
  bars.push({ bar, fill: bar.querySelector(".fill"), pct: bar.querySelector(".pct") });
}

function percent(p) {
  if (p >= 0.995) return "100%";
  if (p >= 0.095) return `${Math.round(p * 100)}%`;
  if (p >= 0.005) return `${(p * 100).toFixed(1)}%`;
  return "";
}

function show(answer) {
  const probabilities = answer.probabilities;
  drawInput(seenContext, answer.input);
  if (answer.blank) {
    showBars(null);
    $("digit").textContent = "?";
    $("confidence").textContent = "No digit found.";
    setState(stroke ? "drawing" : "blank");
  } else {
    showBars(probabilities, answer.digit);
    $("digit").textContent = String(answer.digit);
    const p = probabilities[answer.digit];
    $("confidence").textContent = `${percent(p) || "<1%"} sure` + (answer.unsure ? ": unsure, try a clearer picture" : "");
    setState(stroke ? "drawing" : "ready");
    if (body.dataset.state !== "error") setStatus(statusNote);
  }
  body.dataset.digit = answer.blank ? "" : String(answer.digit);
  body.dataset.predictions = String(++predictions);
}

function showBars(probabilities, top) {
  bars.forEach(({ bar, fill, pct }, d) => {
    const p = probabilities ? probabilities[d] : 0;
    fill.style.height = `${(p * 100).toFixed(2)}%`;
    pct.textContent = probabilities ? percent(p) : "";
    bar.classList.toggle("is-top", probabilities !== null && d === top);
    bar.setAttribute("aria-label", `${d}: ${probabilities ? (p * 100).toFixed(1) : 0}%`);
  });
}

// A 28 × 28 input (784 values, 0 background … 1 ink) as MNIST shows it: light ink on dark.
function drawInput(context, input) {
  const image = context.createImageData(28, 28);
  for (let i = 0; i < 784; i++) {
    const v = Math.max(0, Math.min(1, input[i] || 0));
    image.data[4 * i] = 16 + v * 239;
    image.data[4 * i + 1] = 20 + v * 235;
    image.data[4 * i + 2] = 31 + v * 224;
    image.data[4 * i + 3] = 255;
  }
  context.putImageData(image, 0, 0);
}

let statusNote = "";

function clearAll() {
  generation++;
  queued = null;
  stroke = null;
  resetPad();
  drawInput(seenContext, []);
  showBars(null);
  $("digit").textContent = "?";
  $("confidence").textContent = "Draw something to begin.";
  statusNote = "";
  setStatus("");
  selectSample(null);
  setState("empty");
  body.dataset.digit = "";
  markBusy();
}

$("clear").addEventListener("click", clearAll);
document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
  if (event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement) return;
  if (event.key === "c" || event.key === "C") { event.preventDefault(); clearAll(); }
});

// ---------- Uploads ----------

$("upload").addEventListener("change", async (event) => {
  const file = event.target.files && event.target.files[0];
  event.target.value = "";
  if (!file) return;
  try {
    const picture = await decodePicture(file);
    // Any picture the browser can show becomes a PNG (at most 1024 a side, on white).
    const scale = Math.min(1, 1024 / Math.max(picture.width, picture.height));
    const width = Math.max(1, Math.round(picture.width * scale));
    const height = Math.max(1, Math.round(picture.height * scale));
    const canvas = document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext("2d");
    context.fillStyle = "#fff";
    context.fillRect(0, 0, width, height);
    context.drawImage(picture, 0, 0, width, height);
    const png = canvas.toDataURL("image/png");

    // Show it on the pad, fitted, so that strokes can be added to it.
    clearAll();
    const fit = Math.min(SIDE / width, SIDE / height);
    ink.drawImage(canvas, (SIDE - width * fit) / 2, (SIDE - height * fit) / 2, width * fit, height * fit);
    hasInk = true;
    setState("pending");
    statusNote = `Read ${file.name}`;
    predict(() => ({ image: png }));
  } catch (error) {
    showError(`${file.name} could not be read as an image (${error.message || error})`);
  }
});

async function decodePicture(file) {
  if (window.createImageBitmap) {
    try { return await createImageBitmap(file); } catch (error) { /* try an <img> below */ }
  }
  const url = URL.createObjectURL(file);
  try {
    const picture = new Image();
    picture.src = url;
    await picture.decode();
    return picture;
  } finally {
    URL.revokeObjectURL(url);
  }
}

// ---------- Test digits ----------

let selected = null;

function selectSample(button) {
  if (selected) selected.setAttribute("aria-pressed", "false");
  selected = button;
  if (button) button.setAttribute("aria-pressed", "true");
}

async function loadSamples() {
  try {
    const response = await fetch("/api/samples?count=12");
    if (!response.ok) throw new Error((await response.json()).error);
    const { samples } = await response.json();
    const strip = $("samples");
    strip.replaceChildren();
    for (const sample of samples) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "sample";
      button.setAttribute("aria-pressed", "false");
      button.setAttribute("aria-label", `Test digit ${sample.index}, labelled ${sample.label}`);
      const canvas = document.createElement("canvas");
      canvas.width = canvas.height = 28;
      drawInput(canvas.getContext("2d"), sample.pixels);
      const label = document.createElement("span");
      label.textContent = `label ${sample.label}`;
      button.append(canvas, label);
      button.addEventListener("click", () => readSample(sample, button));
      strip.appendChild(button);
    }
    $("samples-card").hidden = samples.length === 0;
  } catch (error) {
    $("samples-card").hidden = true;
  }
}

function readSample(sample, button) {
  clearAll();
  // Show the digit on the pad as ink on paper, so that it can be drawn over.
  const tile = document.createElement("canvas");
  tile.width = tile.height = 28;
  const context = tile.getContext("2d");
  const image = context.createImageData(28, 28);
  for (let i = 0; i < 784; i++) {
    const v = 255 - Math.round(sample.pixels[i] * 255);
    image.data[4 * i] = image.data[4 * i + 1] = image.data[4 * i + 2] = v;
    image.data[4 * i + 3] = 255;
  }
  context.putImageData(image, 0, 0);
  ink.imageSmoothingEnabled = true;
  ink.drawImage(tile, 0, 0, SIDE, SIDE);
  hasInk = true;
  selectSample(button);
  setState("pending");
  statusNote = `Test digit #${sample.index}, labelled ${sample.label}`;
  predict(() => ({ pixels: sample.pixels }));
}

$("shuffle").addEventListener("click", loadSamples);

// ---------- The model ----------

function pct(x) { return `${(x * 100).toFixed(2)}%`; }

async function loadModel() {
  try {
    const response = await fetch("/api/model");
    const model = await response.json();
    if (!response.ok) throw new Error(model.error);
    const hidden = model.activations.length > 1 ? model.activations[0] : null;
    const facts = [
      ["Architecture", `${model.architecture}${hidden ? ` (${hidden === "relu" ? "ReLU" : hidden})` : ""}`],
      ["Parameters", model.parameters.toLocaleString("en-US")],
    ];
    if (model.test_accuracy != null) facts.push(["Test accuracy", pct(model.test_accuracy)]);
    if (model.test10k_accuracy != null) facts.push(["On all 10,000", pct(model.test10k_accuracy)]);
    if (model.best_epoch != null) {
      const of = model.epochs ? ` of ${model.epochs}` : "";
      facts.push(["Chosen epoch", `${model.best_epoch}${of} (lowest validation loss)`]);
    }
    if (model.lr != null) {
      facts.push(["Training", `SGD, learning rate ${model.lr}, momentum ${model.momentum}, batches of ${model.batch_size}`]);
    }
    if (model.dataset) facts.push(["Data", model.dataset === "mnist" ? "MNIST" : model.dataset]);
    const list = $("facts");
    list.replaceChildren();
    for (const [name, value] of facts) {
      const dt = document.createElement("dt");
      dt.textContent = name;
      const dd = document.createElement("dd");
      dd.textContent = value;
      list.append(dt, dd);
    }
    $("model-line").textContent = [model.architecture, model.test_accuracy != null ? `${pct(model.test_accuracy)} test accuracy` : null]
      .filter(Boolean).join(" · ");
    if (model.curves) {
      $("curves").src = model.curves;
      $("curves-figure").hidden = false;
    }
    if (model.samples > 0) {
      $("samples-card").hidden = false;
      loadSamples();
    }
  } catch (error) {
    $("facts").textContent = `The model's description could not be loaded (${error.message || error}).`;
  }
}

clearAll();
loadModel();
