// The playground's page: its state, the URL and talking to the engine.
// Training runs in worker.js on wiggle's engine; views.js, layers.js,
// health.js and graph.js draw what it posts; controls.js binds the
// settings to the state.
'use strict';

const $ = (id) => document.getElementById(id);
const CONFIG_KEYS = ['data', 'noise', 'n', 'k', 'test', 'inputs', 'hidden', 'act', 'acts', 'vs', 'scale', 'dropout', 'loss', 'opt', 'lr', 'momentum', 'batch', 'l2', 'l1', 'seed'];

const state = {
  worker: null,
  catalogue: null,
  config: null,        // the run's configuration, as the engine filled it in
  info: null,          // points, bounds, classes of the run
  view: null,          // the last decision regions
  history: { train: [], test: [], twinTrain: [], twinTest: [] }, // each epoch's training loss; [epoch, test loss] as sampled
  added: [],           // points clicked onto the plot: a new run gets them too
  csv: undefined,      // the uploaded points' file, and its name (none before an upload)
  csvName: '',
  playing: false,
  stats: null,
  rate: { samples: [] },
  requests: {},        // each change's effects on the page, by id, until the engine answers (configure)
  unsent: [],          // points clicked on while a change waited: they go to whichever run the page keeps
  showTest: true,      // the view's options, kept in the URL beside the configuration
  discrete: false,
  logEpochs: false,    // the loss chart's epochs on a log scale
  speed: 0,            // epochs a second at most while playing; 0: as fast as the engine goes
};

// ---- the URL: the whole configuration lives in its hash -----------------

function configFromURL() {
  const params = new URLSearchParams(location.hash.slice(1));
  applyLanguage(params.get('lang') || state.lang || 'en');
  state.lang = I18N.lang;
  const cfg = {};
  const ignored = []; // values that are no numbers: left out, said, rather than read as a default without a word
  for (const key of CONFIG_KEYS) {
    if (!params.has(key)) continue;
    const v = params.get(key);
    if (key === 'hidden') {
      const widths = v === '' ? [] : v.split(',').map((w) => (w.trim() === '' ? NaN : Number(w)));
      if (widths.every(Number.isInteger)) cfg.hidden = widths;
      else ignored.push(`${key}=${v}`);
    } else if (key === 'inputs') cfg.inputs = v === '' ? [] : v.split(',');
    else if (key === 'acts') cfg.acts = splitActs(v);
    else if (['data', 'act', 'vs', 'loss', 'opt'].includes(key)) cfg[key] = v;
    else if (v.trim() !== '' && Number.isFinite(Number(v))) cfg[key] = Number(v);
    else ignored.push(`${key}=${v}`);
  }
  state.linkIgnored = ignored.length > 0;
  if (state.linkIgnored) showMessage(t('linkIgnored') + ignored.join(', '));
  if (regressionSet(cfg.data) && !cfg.loss) cfg.loss = 'mse'; // as choosing it on the page does
  state.showTest = params.get('showtest') !== '0';
  state.discrete = params.get('discrete') === '1';
  state.logEpochs = params.get('logepochs') === '1';
  state.speed = [...$('speed').options].some((o) => o.value === params.get('speed')) ? Number(params.get('speed')) : 0;
  $('speed').value = String(state.speed);
  if (state.worker) send({ type: 'speed', eps: state.speed });
  $('show-test').checked = state.showTest;
  $('discrete').checked = state.discrete;
  $('log-epochs').checked = state.logEpochs;
  return cfg;
}

// valueScale is the largest |value| among a 2-D regression set's points:
// the plot colours their values and the network's predictions against it.
function valueScale(info) {
  let most = 1e-9;
  for (const p of [...info.train, ...info.test]) most = Math.max(most, Math.abs(p.value || 0));
  return most;
}

// regressionSet is whether the engine's generated set name holds values,
// not classes: it takes the mse loss.
function regressionSet(name) {
  return !!state.catalogue && state.catalogue.regressionSets.includes(name); // a link edited before the engine is ready: not yet known
}

function writeURL(cfg) {
  const params = new URLSearchParams();
  if (state.lang && state.lang !== 'en') params.set('lang', state.lang);
  for (const key of CONFIG_KEYS) {
    if (cfg[key] === undefined) continue;
    if (cfg[key] === null || (key === 'vs' && !cfg.vs)) continue;
    if (key === 'hidden' || key === 'inputs') params.set(key, cfg[key].join(','));
    else if (key === 'acts') params.set(key, cfg.acts.join(';'));
    else params.set(key, String(cfg[key]));
  }
  if (state.added.length) params.set('pts', state.added.map((p) => `${+p.x.toFixed(3)}:${+p.y.toFixed(3)}:${p.label}`).join(';'));
  state.configText = configText(params);
  if (!state.showTest) params.set('showtest', '0');
  if (state.discrete) params.set('discrete', '1');
  if (state.logEpochs) params.set('logepochs', '1');
  if (state.speed) params.set('speed', String(state.speed));
  history.replaceState(null, '', '#' + params.toString());
}

// pointsFromURL reads the points a link's pts holds, as writeURL writes
// them (x:y:class, joined by ';'), leaving out any that is not three
// finite numbers, its class a whole number from 0.
function pointsFromURL() {
  const text = new URLSearchParams(location.hash.slice(1)).get('pts') || '';
  return text.split(';').map((p) => p.split(':').map(Number))
    .filter((v) => v.length === 3 && v.every(Number.isFinite) && Number.isInteger(v[2]) && v[2] >= 0)
    .map(([x, y, label]) => ({ x, y, label }));
}

// configText is a link's configuration and points alone, without its
// language and view options: a link edited in those only leaves the run
// as it is.
function configText(params) {
  return [...CONFIG_KEYS, 'pts'].filter((k) => params.has(k)).map((k) => k + '=' + params.get(k)).join('&');
}

// ---- talking to the worker ----------------------------------------------

// splitActs reads the per-layer activations of the URL: specs joined by ';'
// (a spec's parameters hold commas).
function splitActs(v) { return v.split(';'); }

function startWorker() {
  let w;
  try {
    w = new Worker('worker.js');
  } catch (e) { // a page opened from disk (file://): browsers start no worker for it
    state.noWorker = true;
    showMessage(t('needsServer'));
    return;
  }
  w.onmessage = (e) => handle(e.data);
  state.worker = w;
  showMessage(t('engineLoading')); // seconds on a slow link: Play waits for it (showRunButtons)
  state.loadingShown = $('message').textContent;
}

// send posts msg to the engine; with none (see startWorker) the page
// keeps saying why.
function send(msg) {
  if (state.noWorker) {
    showMessage(t('needsServer'));
    return;
  }
  state.worker.postMessage(msg);
}

// configure asks the engine for a run of cfg. The run shown goes on until
// the new one starts: a setting the engine refuses leaves it as it was.
// effects are what the change does on the page once the engine makes its
// run ({csv: a new file's text, clearAdded: forget the points clicked
// on}); a later change made before then carries them on.
function configure(cfg, keepMessage, effects) {
  setPlaying(false);
  if (!keepMessage) hideMessage();
  state.asked = (state.asked || 0) + 1;
  const e = effects === null ? {} : Object.assign({}, newestRequest(), effects || {}); // null: carry nothing (Reset)
  if (effects && effects.clearAdded) e.cleared = state.added.length; // the points clicked before it; later ones go to its run
  state.requests[state.asked] = e;
  const csv = e.csv !== undefined ? e.csv : state.csv;
  send({ type: 'config', config: cfg, csv: cfg.data === 'custom' ? csv : undefined, id: state.asked }); // no file at all: the engine says none is loaded
}

// newestRequest is the effects of the newest change the engine has not
// answered yet.
function newestRequest() {
  const ids = Object.keys(state.requests).map(Number);
  return ids.length ? state.requests[Math.max(...ids)] : {};
}

// madeRun applies the effects of change id, whose run of cfg the engine
// made (a file only where the run reads it), and forgets the changes
// before it.
function madeRun(id, cfg) {
  const e = state.requests[id] || {};
  if (e.csv !== undefined && cfg.data === 'custom') [state.csv, state.csvName] = [e.csv, e.csvName || ''];
  if (e.cleared) state.added = state.added.slice(e.cleared);
  if (e.points && !e.points.taken) { // a link's points, once (a later change carries the same list on)
    state.added.push(...e.points);
    e.points.taken = true;
  }
  for (const k of Object.keys(state.requests)) if (Number(k) <= id) delete state.requests[k];
  state.engineRun = id;
}

// adopt makes the engine's run the page's: its numbers start afresh and
// the points clicked on go to it.
function adopt() {
  state.shown = state.asked;
  state.peek = null; // a node of the run before
  state.graphLine = null; // and its line chosen by the keys
  $('weight-edit').hidden = true; // an edit of the run before goes nowhere
  state.pageRun = state.engineRun;
  state.unsent = [];
  newRun();
  const classes = state.info.classes; // a regression set takes no points; a class past the run's, none (a link's, say)
  const kept = state.added.filter((p) => classes > 0 && Number.isInteger(p.label) && p.label >= 0 && p.label < classes);
  if (kept.length < state.added.length) showMessage(`${t('pointsLeftOut')} ${state.added.length - kept.length}`);
  state.added = kept;
  reAddPoints();
}

// newRun forgets the last run's numbers: the engine has started another.
function newRun() {
  state.history = { train: [], test: [], twinTrain: [], twinTest: [] };
  state.stats = null;
  state.test = null;
  state.twinTest = null;
  state.twinStats = null;
  state.runDiverged = false;
  state.stopped = false; // the run diverged: Play and Step can do nothing more
  state.stoppedBy = null;
  state.cursor = null; // the keys' cursor on the plot: the new run's bounds may be others
  state.twinDiverged = false; // the last run's twin's, until the new run's first view
  state.twinHealth = null;
  state.layers = null;
  showRunButtons();
}

// showTwinScores shows the compare-mode twin's accuracies, '–' before its
// first epoch (and for regression).
function showTwinScores() {
  const tw = state.twinStats;
  $('compare-train-accuracy').textContent = tw && !tw.regression ? percent(tw.trainAccuracy) : '–';
  $('compare-test-accuracy').textContent = tw && state.twinTest && !tw.regression ? percent(state.twinTest.accuracy) : '–';
}

// refused tells why the engine refused change id, the last asked for, and
// shows the settings of the run that goes on (an earlier change's, if the
// engine made it meanwhile); a link whose settings are refused before any
// run gets the defaults.
function refused(id, error) {
  delete state.requests[id];
  state.wanted = null;
  if (state.config) {
    if (state.engineRun !== state.pageRun) { // an earlier change's run, made while this one waited
      adopt();
      send({ type: 'pause' }); // its view and layers: the page had left them for this change's
    } else {
      state.shown = state.asked; // the run shown is the engine's run still
      if (state.unsent.length) send({ type: 'add', points: state.unsent }); // clicked on while this change waited
      state.unsent = [];
    }
    showMessage(t('settingRefused') + error);
    writeURL(state.config);
    showConfig();
    drawCurves();
    return;
  }
  showMessage(t('linkRefused') + error);
  if (!state.triedDefaults) {
    state.triedDefaults = true;
    configure({}, true);
  }
}

// Drawing waits for the next frame. The worker's messages (over a
// hundred a second while training) change the state at once, and a frame
// draws what they changed, once: a slow phone draws fewer frames rather
// than falling behind (each message had drawn, and a page slowed four
// times fell minutes behind its worker). A hidden page draws nothing
// until it is seen.
const drawers = {
  regions() {
    state.views = (state.views || 0) + 1; // drawn views, for the tests' count of redraws a second
    drawRegions();
  },
  twin: () => showTwinScores(),
  stats: () => showStats(state.stats),
  curves: () => drawCurves(),
  layers() {
    refreshGraph(); // a weight set from the keys reads as set
    drawLayers();
    drawHealth();
    if (state.hover) state.hover.ask(); // the weights shown move with the training
  },
};
const dirty = new Set();
let frameAsked = false;

// redraw draws the named parts (drawers) at the next frame while the run
// plays, and at once while it does not (a step, a change, a view asked
// for: one message, and what it changed is on the page as it returns).
function redraw(...parts) {
  for (const p of parts) dirty.add(p);
  if (!state.playing) {
    drawDirty();
    return;
  }
  if (frameAsked) return;
  frameAsked = true;
  requestAnimationFrame(() => {
    frameAsked = false;
    drawDirty();
  });
}

// drawDirty draws the parts redraw was asked for, each once.
function drawDirty() {
  const now = [...dirty];
  dirty.clear();
  for (const p of now) drawers[p]();
}

function handle(m) {
  if (m.run !== undefined && m.run !== state.asked) return; // about a run the page has left
  switch (m.type) {
    case 'ready':
      if ($('message').textContent === state.loadingShown) hideMessage();
      state.catalogue = m.catalogue;
      fillSelects();
      configure(configFromURL(), state.linkIgnored, { points: pointsFromURL() }); // a shared link's clicked points go to its first run
      break;
    case 'info':
      state.info = m.info;
      state.valueScale = valueScale(m.info);
      madeRun(m.id, m.info.config);
      if (m.id === state.asked) adopt(); // once, for the run the page now shows
      state.config = m.info.config;
      if (m.id === state.asked) state.wanted = null; // else a later change is on its way
      writeURL(state.config);
      showConfig();
      showStats(null);
      drawCurves();
      $('network').textContent = t('network_') + ' ' + networkText(m.info.network);
      if (m.info.notice && m.id === state.asked) showMessage(m.info.notice); // how an uploaded file was read
      break;
    case 'view':
      if (!m.view.error) state.view = m.view;
      redraw('regions');
      break;
    case 'stats':
      if (m.result.epochs > 0) {
        const st = m.result.stats;
        state.stats = st;
        state.history.train.push(...m.result.losses);
        if (st.hasTest) {
          state.history.test.push([st.epoch, st.testLoss]);
          state.test = { loss: st.testLoss, accuracy: st.testAccuracy };
        }
        const tw = m.result.twin;
        if (tw) {
          state.history.twinTrain.push(...m.result.twinLosses);
          if (tw.hasTest) {
            state.history.twinTest.push([tw.epoch, tw.testLoss]);
            state.twinTest = { loss: tw.testLoss, accuracy: tw.testAccuracy };
          }
          state.twinStats = tw;
          redraw('twin');
        }
        redraw('stats', 'curves');
      }
      if (m.result.error) { // the run (or its twin) diverged: it has stopped for good
        state.stopped = true;
        state.stoppedBy = m.result; // said again in another language, while the message is still this
        showMessage(stoppedText(m.result));
        state.stoppedShown = $('message').textContent;
        setPlaying(false);
        drawCurves();
      }
      if (m.result.runDiverged) { // its layers' figures are from before: the health chart says so
        state.runDiverged = true;
        if (m.result.epochs > 0 && !m.result.stats.hasTest) state.test = null; // an earlier moment's, not beside this slice's epochs' figures (a slice of none leaves both as they were)
        showStats(state.stats);
        drawHealth();
      }
      break;
    case 'measured': // the figures of a weight set by hand, or of a model opened: shown, not added to the curves
      state.stats = m.stats;
      if (m.stats.hasTest) state.test = { loss: m.stats.testLoss, accuracy: m.stats.testAccuracy };
      showStats(m.stats);
      break;
    case 'layers':
      state.layers = m.layers;
      state.twinHealth = m.twinHealth; // compare mode's twin, layer by layer; null otherwise
      state.twinDiverged = m.twinDiverged;
      state.neurons = m.neurons;
      state.neuronGrid = m.grid;
      state.graph = m.graph;
      redraw('layers');
      break;
    case 'unit':
      showUnit(m);
      break;
    case 'added':
      for (const p of m.points) state.info.train.push(p);
      ensureCustomOption(true);
      $('dataset').value = 'custom';
      drawRegions();
      break;
    case 'model': {
      const url = URL.createObjectURL(new Blob([m.bytes], { type: 'application/octet-stream' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `wiggle-${state.config.data}-${actName(state.config.act)}.safetensors`;
      a.dataset.testid = 'model-link';
      a.hidden = true;
      document.body.append(a);
      a.click();
      state.lastModelURL = url;
      break;
    }
    case 'cost':
      state.viewCost = m.ms;
      break;
    case 'stopped':
      setPlaying(false);
      break;
    case 'error':
      if (m.id === state.asked) refused(m.id, m.error); // a run asked for (config, load) not made
      else {
        if (m.id !== undefined) delete state.requests[m.id];
        showMessage(m.error);
      }
      break;
    case 'tuned': // the engine's answer to tunes (controls.js)
      if (state.wanted) break; // a new run on its way, with the change in it (handle has left out replies of a run the page left)
      if (m.newRun) { // it could not apply to the network as it is: a new run, as any other change
        state.wanted = m.wanted;
        configure(m.wanted, false);
        break;
      }
      if (m.config) state.config = Object.assign({}, state.config, Object.fromEntries(TUNED.map((k) => [k, m.config[k]]))); // as the engine runs them: a refused value gone back (its data set may read "custom" once points are clicked: the page's stays)
      writeURL(state.config);
      showConfig();
      if (m.error) showMessage(t('settingRefused') + m.error);
      break;
    case 'fatal':
      showMessage(t('engineFailed') + m.error);
      break;
  }
}

// ---- numbers --------------------------------------------------------------

function percent(v) { return (100 * v).toFixed(1) + '%'; }

function showStats(st) {
  $('epoch').textContent = st ? st.epoch : 0;
  const none = '–';
  $('train-accuracy').textContent = st && !st.regression ? percent(st.trainAccuracy) : none;
  const test = st && state.test; // measured when the worker draws, not after every slice
  $('test-accuracy').textContent = test && !st.regression ? percent(test.accuracy) : none;
  $('train-loss').textContent = st ? st.trainLoss.toPrecision(4) : none;
  $('train-loss').dataset.value = st ? String(st.trainLoss) : '';
  $('test-loss').textContent = test ? test.loss.toPrecision(4) : none;
  if (st && state.playing) measureRate(st.epoch);
  if (st && !state.playing) $('run-said').textContent = t('runSaid').replace('{epoch}', st.epoch).replace('{loss}', st.trainLoss.toPrecision(4)); // after a Step or a pause, said once; not each frame of a run
}

// measureRate shows epochs per second over the last second.
function measureRate(epoch) {
  const now = performance.now();
  const s = state.rate.samples;
  s.push([now, epoch]);
  while (s.length > 2 && now - s[0][0] > 1000) s.shift();
  if (s.length >= 2 && now - s[0][0] > 200) {
    const eps = (epoch - s[0][1]) * 1000 / (now - s[0][0]);
    $('eps').textContent = eps >= 100 ? Math.round(eps) : eps.toFixed(1);
  }
}

function showMessage(text) {
  const box = $('message');
  box.textContent = text;
  box.hidden = false;
}

function hideMessage() { $('message').hidden = true; }

// On a narrow screen the output (the plot and the loss) comes before the
// settings. The page's order changes, not only where it is drawn, so that
// Tab and a screen reader meet the panels in the order they are seen.
const NARROW = matchMedia('(max-width: 760px)');
function placeOutput() {
  const output = document.querySelector('.output'), controls = document.querySelector('.controls');
  const [first, second] = NARROW.matches ? [output, controls] : [controls, output];
  if (first.nextElementSibling === second) return;
  const focused = document.activeElement; // moving a panel takes the focus from what it holds
  second.before(first);
  if (focused && focused !== document.activeElement) focused.focus({ preventScroll: true });
}
NARROW.addEventListener('change', placeOutput);
placeOutput();

// The URL's language, else the browser's, in the labels before anything loads.
applyLanguage(new URLSearchParams(location.hash.slice(1)).get('lang') || ((navigator.language || '').startsWith('ko') ? 'ko' : 'en'));
state.lang = I18N.lang;
bindControls();
showRunButtons(); // Play and Step wait for the engine's first run
startWorker();
