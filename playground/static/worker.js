// The playground's worker: it runs wiggle's engine (wiggle.wasm) and trains
// in slices of a few milliseconds, so the page never waits for it. It
// posts 'ready' (with the catalogue), 'info' for a new run, 'stats' after
// each slice, 'view' (the decision regions) about 20 times a second while
// playing, 'layers' (the layers' views and the graph's weights) with every
// fourth view, 'measured' after a weight set by hand or a model opened, and
// 'error' when a setting is wrong or a run diverges, and 'tuned' after a
// learning rate, L1, L2 or batch size given to the running network. At the page's Speed it
// trains that many epochs a second at most, drawing each at 30 or fewer.
importScripts('wasm_exec.js');

const GRID = 40;         // cells per side of the decision regions (upscaled smoothly)
const SLICE_MS = 20;     // training between two looks at the mailbox
const VIEW_MS = 35;      // at most 28 views a second
const NEURON_GRID = 16;  // cells per side of each neuron's map
const LAYERS_EVERY = 4;  // the layers' views with every fourth view of the regions

let playing = false;
let runId = 0;           // the page's id of the run: every message about it carries it
let lastView = 0;
let viewCost = 0;        // milliseconds the last view took: views get at most a third of the time
const tick = new MessageChannel(); // a zero-delay yield: setTimeout(0) is clamped
let maxEps = 0;          // epochs a second at most while playing (the page's Speed); 0: as fast as it goes
let paced = null;        // {start, epochs}: since play began, at maxEps
let waiting = null;      // the timer of a paced loop's wait for its next epoch
let loopGen = 0;         // the loop that may run: Play starts a new one, and a tick or a wait of an older one ends there

self.wiggleReady = () => {
  postMessage({ type: 'ready', catalogue: JSON.parse(self.wiggleCatalogue()) });
};

const go = new Go();
WebAssembly.instantiateStreaming(fetch('wiggle.wasm'), go.importObject)
  .then((r) => go.run(r.instance))
  .catch((e) => postMessage({ type: 'fatal', error: String(e) }));

function call(fn, ...args) {
  return JSON.parse(self[fn](...args));
}

let views = 0;

// nextView is when the next view is due: views get at most a third of the
// time, and at least ~22 a second when they are cheap.
function nextView() {
  return lastView + Math.max(VIEW_MS, 3 * viewCost);
}

// sendView sends the regions, and the layers with every fourth view, or
// every view while paused, or where withLayers (a weight just set).
function sendView(withLayers = false) {
  const start = performance.now();
  const v = self.wiggleView(GRID);
  if (v.error) return; // nothing to draw (a diverged run): the last view stands
  const buffers = [v.cells, v.values, v.twin && v.twin.cells, v.twin && v.twin.values].filter(Boolean).map((a) => a.buffer);
  postMessage({ type: 'view', view: v, run: runId }, buffers);
  if (views++ % LAYERS_EVERY === 0 || !playing || withLayers) sendLayers();
  lastView = start; // the cadence counts from view to view
  viewCost = 0.8 * viewCost + 0.2 * (performance.now() - start); // layers come with every fourth view: smooth them out
  postMessage({ type: 'cost', ms: viewCost });
}

function sendLayers() {
  const r = self.wiggleLayers(NEURON_GRID);
  if (r.error) return;
  const neurons = r.neurons || [];
  const graph = r.graph;
  postMessage({ type: 'layers', layers: JSON.parse(r.layers), twinHealth: r.twinHealth ? JSON.parse(r.twinHealth) : null, twinDiverged: !!r.twinDiverged, neurons, graph, grid: r.grid, run: runId },
    [...neurons.map((a) => a.buffer), ...graph.edges.map((e) => e.w.buffer)]);
}

function train(epochs, ms, test) {
  const r = call('wiggleTrain', epochs, ms, test);
  postMessage({ type: 'stats', result: r, run: runId });
  if (r.error) {
    playing = false;
    postMessage({ type: 'stopped', run: runId });
  }
  return r;
}

function loop(gen) {
  if (!playing || gen !== loopGen) return;
  // Train until the next view is due (at most SLICE_MS), then draw; at a
  // set speed, only the epochs its clock has come to, then wait for the next.
  const left = nextView() - performance.now();
  const due = left <= SLICE_MS;
  let epochs = 1e9;
  if (maxEps > 0) {
    paced = paced || { start: performance.now(), epochs: 0 };
    epochs = Math.floor((performance.now() - paced.start) * maxEps / 1000) + 1 - paced.epochs;
    if (epochs <= 0) {
      waiting = setTimeout(() => { waiting = null; loop(gen); }, (paced.epochs / maxEps) * 1000 - (performance.now() - paced.start));
      return;
    }
  }
  const seeEach = maxEps > 0 && maxEps <= 30; // slow enough for each epoch's view to be seen
  const r = train(epochs, Math.max(1, Math.min(SLICE_MS, left)), due || seeEach);
  if (r.error) return; // the last view stands: nothing drawn from a diverged network
  if (paced) paced.epochs += r.epochs;
  if (due || seeEach) sendView();
  if (playing) tick.port2.postMessage(gen);
}

// restartPace forgets a paced loop's clock and its wait.
function restartPace() {
  clearTimeout(waiting);
  waiting = null;
  paced = null;
}
tick.port1.onmessage = (e) => loop(e.data);

onmessage = (e) => {
  const m = e.data;
  switch (m.type) {
    case 'config': {
      playing = false;
      runId = m.id;
      const r = call('wiggleNew', JSON.stringify(m.config), m.csv); // undefined for a generated set; '' for an empty file
      if (r.error) {
        postMessage({ type: 'error', error: r.error, id: m.id });
        return;
      }
      postMessage({ type: 'info', info: r, id: m.id });
      sendView();
      break;
    }
    case 'play':
      if (!playing) {
        playing = true;
        restartPace();
        loop(++loopGen);
      }
      break;
    case 'speed': {
      const wasWaiting = waiting !== null; // else a slice's tick is on its way, and the loop goes on from it
      maxEps = m.eps > 0 ? m.eps : 0;
      restartPace();
      if (playing && wasWaiting) loop(loopGen); // a wait at the old speed ends now
      break;
    }
    case 'pause':
      playing = false;
      restartPace();
      sendView();
      break;
    case 'add': { // the points the run takes go in, and the page is told which; the first refusal is said
      const taken = [];
      let refusal = null;
      for (const p of m.points) {
        const r = call('wiggleAddPoint', p.x, p.y, p.label);
        if (r.error) refusal = refusal || r.error;
        else taken.push(p);
      }
      if (refusal) postMessage({ type: 'error', error: refusal });
      if (taken.length) {
        postMessage({ type: 'added', points: taken, run: runId });
        sendView();
      }
      break;
    }
    case 'download': {
      const bytes = self.wiggleModel();
      if (bytes.error) postMessage({ type: 'error', error: bytes.error });
      else postMessage({ type: 'model', bytes }, [bytes.buffer]);
      break;
    }
    case 'load': {
      playing = false;
      runId = m.id;
      const r = call('wiggleLoad', JSON.stringify(m.config), new Uint8Array(m.bytes));
      if (r.error) {
        postMessage({ type: 'error', error: r.error, id: m.id });
        return;
      }
      postMessage({ type: 'info', info: r, id: m.id });
      sendView();
      const st = call('wiggleMeasure'); // how good the loaded network is, before it trains
      if (!st.error) postMessage({ type: 'measured', stats: st, run: runId });
      break;
    }
    case 'setWeight': {
      if (m.run !== runId) break; // an edit of a run the page has left
      const r = call('wiggleSetWeight', m.c, m.to, m.from, m.w);
      if (r.error) {
        postMessage({ type: 'error', error: r.error });
        return;
      }
      sendView(true); // the graph with the weight as set at once
      const st = call('wiggleMeasure');
      if (!st.error) postMessage({ type: 'measured', stats: st, run: runId });
      break;
    }
    case 'unit': {
      const r = call('wiggleUnit', m.layer, m.unit);
      postMessage({ type: 'unit', layer: m.layer, unit: m.unit, weights: r });
      break;
    }
    case 'tune': { // the running network takes the new learning rate, L1, L2 or batch size; playing goes on
      const r = call('wiggleTune', JSON.stringify(m.config));
      postMessage({ type: 'tuned', config: r.config, error: r.error, newRun: !!r.newRun, wanted: m.config, run: runId });
      break;
    }
    case 'step':
      playing = false;
      if (!train(1, 1e9, true).error) sendView();
      break;
  }
};
