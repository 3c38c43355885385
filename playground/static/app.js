// The playground's page: its state, the URL, the controls and talking to
// the engine. Training runs in worker.js on wiggle's engine; views.js draws
// what it posts.
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
  csv: '',             // the uploaded points' file
  playing: false,
  stats: null,
  rate: { samples: [] },
  requests: {},        // each change's effects on the page, by id, until the engine answers (configure)
  unsent: [],          // points clicked on while a change waited: they go to whichever run the page keeps
  showTest: true,      // the view's options, kept in the URL beside the configuration
  discrete: false,
  logEpochs: false,    // the loss chart's epochs on a log scale
};

// ---- the URL: the whole configuration lives in its hash -----------------

function configFromURL() {
  const params = new URLSearchParams(location.hash.slice(1));
  applyLanguage(params.get('lang') || state.lang || 'en');
  state.lang = I18N.lang;
  const cfg = {};
  for (const key of CONFIG_KEYS) {
    if (!params.has(key)) continue;
    const v = params.get(key);
    if (key === 'hidden') cfg.hidden = v === '' ? [] : v.split(',').map(Number);
    else if (key === 'inputs') cfg.inputs = v === '' ? [] : v.split(',');
    else if (key === 'acts') cfg.acts = splitActs(v);
    else if (['data', 'act', 'vs', 'loss', 'opt'].includes(key)) cfg[key] = v;
    else cfg[key] = Number(v);
  }
  if (regressionSet(cfg.data) && !cfg.loss) cfg.loss = 'mse'; // as choosing it on the page does
  state.showTest = params.get('showtest') !== '0';
  state.discrete = params.get('discrete') === '1';
  state.logEpochs = params.get('logepochs') === '1';
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
  send({ type: 'config', config: cfg, csv: cfg.data === 'custom' ? csv || '' : '', id: state.asked });
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
  if (e.csv !== undefined && cfg.data === 'custom') state.csv = e.csv;
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
  state.twinDiverged = false; // the last run's twin's, until the new run's first view
  state.twinHealth = null;
  state.layers = null;
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

function handle(m) {
  if (m.run !== undefined && m.run !== state.asked) return; // about a run the page has left
  switch (m.type) {
    case 'ready':
      state.catalogue = m.catalogue;
      fillSelects();
      configure(configFromURL(), false, { points: pointsFromURL() }); // a shared link's clicked points go to its first run
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
      break;
    case 'view':
      if (!m.view.error) state.view = m.view;
      state.views = (state.views || 0) + 1; // drawn views, for the tests' count of redraws a second
      drawRegions();
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
          showTwinScores();
        }
        showStats(st);
        drawCurves();
      }
      if (m.result.error) {
        showMessage(m.result.error);
        setPlaying(false);
      }
      if (m.result.runDiverged) { // its layers' figures are from before: the health chart says so
        state.runDiverged = true;
        drawHealth();
      }
      break;
    case 'measured': // the figures of a weight set by hand: shown, not added to the curves
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
      drawGraph();
      drawLayers();
      drawHealth();
      if (state.hover) state.hover.ask(); // the weights shown move with the training
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
    case 'fatal':
      showMessage(t('engineFailed') + m.error);
      break;
  }
}

// ---- controls -------------------------------------------------------------

function option(select, value, text) {
  const o = document.createElement('option');
  o.value = value;
  o.textContent = text || value;
  select.append(o);
  return o;
}

function fillSelects() {
  const c = state.catalogue;
  for (const d of c.datasets) option($('dataset'), d);
  for (const a of c.activations) option($('activation'), a.name);
  for (const l of c.losses) option($('loss'), l);
  for (const o of c.optimizers) option($('optimizer'), o);
  option($('compare'), '', '—');
  for (const a of c.activations) option($('compare'), a.name);
}

function actName(spec) { return spec.split('(')[0]; }

function actParams(spec) {
  const m = /\((.*)\)/.exec(spec);
  const out = {};
  if (!m) return out;
  for (const kv of m[1].split(',')) {
    const [k, v] = kv.split('=');
    if (k) out[k.trim()] = (v || '').trim();
  }
  return out;
}

function showConfig() {
  const cfg = state.config;
  $('language').value = I18N.lang;
  ensureCustomOption(cfg.data === 'custom');
  $('dataset').value = cfg.data;
  showInputs(cfg);
  showPointClasses();
  showPointsLegend();
  $('noise').value = cfg.noise;
  $('noise-value').textContent = cfg.noise.toFixed(2);
  $('test').value = cfg.test;
  $('test-value').textContent = Math.round(cfg.test * 100) + '%';
  $('hidden').value = cfg.hidden.join(',');
  layerButtons(cfg.hidden);
  $('activation').value = actName(cfg.act);
  $('compare').value = cfg.vs || '';
  const comparing = !!cfg.vs;
  $('twin-figure').hidden = !comparing;
  $('twin-legend').hidden = !comparing;
  $('regions-title').textContent = comparing ? actsText(cfg) : '';
  $('twin-title').textContent = comparing ? cfg.vs : '';
  $('run-name').textContent = comparing ? actsText(cfg) : ''; // two networks' curves: each named
  $('twin-name').textContent = cfg.vs || '';
  showTwinScores(); // a change of language keeps them
  $('loss').value = cfg.loss;
  $('optimizer').value = cfg.opt;
  $('learning-rate').value = cfg.lr;
  $('batch').value = cfg.batch;
  $('l2').value = cfg.l2;
  $('l1').value = cfg.l1;
  $('seed').value = cfg.seed;
  $('init-scale').value = cfg.scale;
  $('dropout').value = cfg.dropout;
  showActParams(cfg.act);
  showActInfo(cfg.act);
}

// actsText names a network's activations: its own, then each layer's that
// differs ("tanh, layer 2 relu"), as compare mode's twin takes cfg.vs in
// every layer.
function actsText(cfg) {
  const own = (cfg.acts || []).map((a, i) => a && a !== cfg.act ? `${t('layer')} ${i + 1} ${a}` : '').filter(Boolean);
  return [cfg.act, ...own].join(', ');
}

// ensureCustomOption offers "your points" among the data sets once a CSV
// file is loaded or a point clicked on, with the count of those.
function ensureCustomOption(on) {
  const sel = $('dataset');
  let o = sel.querySelector('option[value="custom"]');
  if (on && !o) o = option(sel, 'custom', t('customData'));
  if (o) o.textContent = t('customData') + (state.added.length ? ` (+${state.added.length})` : '');
}

// showInputs ticks the inputs the network takes.
function showInputs(cfg) {
  const box = $('inputs');
  if (!box.children.length) {
    for (const name of ['x', 'y', 'x2', 'y2', 'xy', 'sinx', 'siny']) {
      const label = document.createElement('label');
      const box1 = document.createElement('input');
      box1.type = 'checkbox';
      box1.value = name;
      box1.dataset.testid = 'input-' + name;
      box1.addEventListener('change', () => {
        const chosen = [...$('inputs').querySelectorAll('input:checked')].map((el) => el.value);
        changeConfig({ inputs: chosen });
      });
      label.append(box1, ' ' + ({ x2: 'x²', y2: 'y²', xy: 'x·y', sinx: 'sin x', siny: 'sin y' }[name] || name));
      box.append(label);
    }
  }
  const chosen = cfg.inputs || ['x', 'y'];
  for (const el of box.querySelectorAll('input')) el.checked = chosen.includes(el.value);
  box.closest('fieldset').hidden = !!state.info && !state.info.plane; // the 1-D set takes its x alone
}

// showPointsLegend says how the plot shows the points and the network:
// classes and confidence, values over the plane, or a curve; and what
// discretising it keeps.
function showPointsLegend() {
  const legend = $('points-legend'), discrete = $('discrete-label');
  const info = state.info, valued = info && !info.classes && info.plane;
  legend.dataset.i18n = !info || info.classes ? 'pointsLegend' : info.plane ? 'pointsLegendValues' : 'pointsLegendCurve';
  legend.textContent = t(legend.dataset.i18n);
  discrete.dataset.i18n = valued ? 'discreteValues' : 'discrete';
  discrete.textContent = t(discrete.dataset.i18n);
  discrete.closest('label').hidden = !!info && !info.plane; // a curve has nothing to discretise
  for (const id of ['train-accuracy', 'test-accuracy', 'compare-train-accuracy', 'compare-test-accuracy']) {
    $(id).closest('div').hidden = !!info && !info.classes; // regression has a loss, no accuracy
  }
}

// showPointClasses offers a radio button per class, for clicks on the plot.
function showPointClasses() {
  const box = $('point-class');
  const k = state.info ? state.info.classes : 0;
  box.hidden = !k;
  for (const old of box.querySelectorAll('label')) old.remove();
  const chosen = Math.min(state.pointClass || 0, Math.max(k - 1, 0));
  for (let c = 0; c < k; c++) {
    const label = document.createElement('label');
    const radio = document.createElement('input');
    radio.type = 'radio';
    radio.name = 'point-class';
    radio.value = String(c);
    radio.checked = c === chosen;
    radio.dataset.testid = 'point-class-' + c;
    radio.addEventListener('change', () => { state.pointClass = c; });
    const dot = document.createElement('span');
    dot.className = 'dot';
    dot.style.background = COLORS[c % COLORS.length];
    label.append(radio, dot, ' ' + c);
    box.append(label);
  }
}

// addPointAt adds a training point where the plot was clicked.
function addPointAt(e) {
  if (!state.info || !state.info.classes) return;
  const canvas = $('regions');
  const r = canvas.getBoundingClientRect();
  const b = state.info.bounds;
  const x = b.xmin + (e.clientX - r.left) / r.width * (b.xmax - b.xmin);
  const y = b.ymax - (e.clientY - r.top) / r.height * (b.ymax - b.ymin);
  const point = { x, y, label: state.pointClass || 0 };
  state.added.push(point);
  if (state.config) writeURL(state.config); // a shared link keeps it
  if (state.shown === state.asked) send({ type: 'add', points: [point] });
  else state.unsent.push(point); // a change waits: the run the page keeps gets it (adopt, refused)
}

// reAddPoints gives a new run the points clicked onto the last one.
function reAddPoints() {
  if (state.added.length) send({ type: 'add', points: state.added });
}

// showActInfo describes the chosen activation from wiggle's catalogue.
function showActInfo(spec) {
  const box = $('act-info');
  box.replaceChildren();
  const a = state.catalogue.activations.find((x) => x.name === actName(spec));
  if (!a) return;
  const f = document.createElement('code');
  f.className = 'formula';
  f.textContent = a.name + '(x) = ' + a.formula;
  const dl = document.createElement('dl');
  const row = (k, v) => {
    const dt = document.createElement('dt');
    dt.textContent = k;
    const dd = document.createElement('dd');
    dd.textContent = v;
    dl.append(dt, dd);
  };
  row(t('range'), a.range);
  row(t('zeroCentred'), t(a.zeroCentred ? 'yes' : 'no'));
  row(t('saturates'), phrase(a.saturates));
  row(t('monotonic'), t(a.monotonic ? 'yes' : 'no'));
  row(t('maxSlope'), a.maxSlope == null ? t('learnedSlope') : String(+a.maxSlope.toPrecision(4))); // maxout's: its pieces' weights
  row(t('flat'), phrase(a.flatWhere));
  const lesson = document.createElement('p');
  lesson.className = 'lesson';
  lesson.dataset.testid = 'lesson';
  const strong = document.createElement('strong');
  strong.textContent = t('lesson') + ': ';
  lesson.append(strong, lessonFor(a));
  box.append(f, dl, lesson);
}

function showActParams(spec) {
  const box = $('act-params');
  box.replaceChildren();
  const entry = state.catalogue.activations.find((a) => a.name === actName(spec));
  if (!entry || !entry.params) return;
  const given = actParams(spec);
  for (const p of entry.params) {
    const id = 'param-' + p.name;
    const label = document.createElement('label');
    label.htmlFor = id;
    label.textContent = p.name.replace(/_/g, ' ');
    label.title = p.doc || '';
    let input;
    if (p.choices) {
      input = document.createElement('select');
      for (const ch of p.choices) option(input, ch);
    } else {
      input = document.createElement('input');
      input.type = 'number';
      input.step = 'any';
    }
    input.id = id;
    input.dataset.param = p.name;
    input.dataset.default = p.default;
    input.dataset.testid = 'param-' + p.name;
    input.value = given[p.name] !== undefined ? given[p.name] : p.default;
    input.addEventListener('change', () => changeConfig({ act: actSpec() }));
    box.append(label, input);
  }
}

// actSpec is the chosen activation with the parameters that differ from
// their defaults, as the CLI's --act takes it.
function actSpec() {
  const name = $('activation').value;
  const parts = [];
  for (const input of $('act-params').querySelectorAll('[data-param]')) {
    if (input.value !== '' && input.value !== input.dataset.default) parts.push(input.dataset.param + '=' + input.value);
  }
  return parts.length ? name + '(' + parts.join(',') + ')' : name;
}

// changeConfig applies a change on top of the last one asked for: changes
// made before the engine answers the previous one are not lost.
function changeConfig(change, effects) {
  const cfg = Object.assign({}, state.wanted || state.config, change);
  if (change.hidden && cfg.acts) { // each layer keeps its own activation; new layers take the common one
    const acts = cfg.acts.slice(0, cfg.hidden.length);
    while (acts.length < cfg.hidden.length) acts.push('');
    cfg.acts = acts.every((a) => a === '') ? null : acts;
  }
  state.wanted = cfg;
  configure(cfg, false, effects);
}

// parseHidden reads the hidden layers' widths, "16,8"; null where the text
// is not whole numbers separated by commas (the engine checks the range).
function parseHidden(text) {
  const s = text.trim();
  if (s === '') return [];
  const parts = s.split(',').map((p) => p.trim());
  if (!parts.every((p) => /^[0-9]+$/.test(p))) return null;
  return parts.map(Number);
}

// layerButtons offers adding a layer below the engine's most and removing
// one above none.
function layerButtons(hidden) {
  $('layer-add').disabled = hidden.length >= state.catalogue.maxLayers;
  $('layer-remove').disabled = hidden.length === 0;
}

// textOf reads an uploaded table's text: UTF-8, or UTF-16 with its
// byte-order mark, as Windows PowerShell 5's > writes it. Chromium's
// file.text() sniffs that mark too; the File API's UTF-8 decode does not.
async function textOf(file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const utf16 = bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : '';
  return new TextDecoder(utf16 || 'utf-8').decode(bytes); // the mark dropped, as file.text() drops UTF-8's
}

function bindControls() {
  $('regions').addEventListener('click', addPointAt);
  $('upload-csv').addEventListener('change', async (e) => {
    const file = e.target.files[0];
    if (!file) return;
    const csv = await textOf(file);
    e.target.value = '';
    const change = { data: 'custom', noise: 0, k: 0 }; // the engine reads labels or values, and picks the loss for values
    changeConfig(change, { csv, clearAdded: true }); // the file and its points count once the engine takes them
  });
  $('dataset').addEventListener('change', (e) => {
    const change = { data: e.target.value, noise: -1, k: 0, n: 0 }; // the set's own: n counts a class's points, or a regression set's all
    if (regressionSet(e.target.value)) change.loss = 'mse';
    else if ((state.wanted || state.config || {}).loss === 'mse') change.loss = 'softmax';
    changeConfig(change, { clearAdded: true });
  });
  $('noise').addEventListener('input', (e) => { $('noise-value').textContent = Number(e.target.value).toFixed(2); });
  $('noise').addEventListener('change', (e) => changeConfig({ noise: Number(e.target.value) }));
  $('test').addEventListener('input', (e) => { $('test-value').textContent = Math.round(e.target.value * 100) + '%'; });
  $('test').addEventListener('change', (e) => changeConfig({ test: Number(e.target.value) }));
  $('hidden').addEventListener('change', (e) => {
    const hidden = parseHidden(e.target.value);
    if (hidden === null) {
      showMessage(t('hiddenWant') + JSON.stringify(e.target.value));
      const cur = state.wanted || state.config;
      e.target.value = cur ? cur.hidden.join(',') : '';
      return;
    }
    changeConfig({ hidden });
  });
  $('layer-add').addEventListener('click', () => {
    const h = (state.wanted || state.config).hidden.slice();
    if (h.length >= state.catalogue.maxLayers) return;
    h.push(h.length ? h[h.length - 1] : 8);
    changeConfig({ hidden: h });
  });
  $('layer-remove').addEventListener('click', () => {
    const h = (state.wanted || state.config).hidden;
    if (h.length) changeConfig({ hidden: h.slice(0, -1) });
  });
  $('activation').addEventListener('change', (e) => changeConfig({ act: e.target.value }));
  $('compare').addEventListener('change', (e) => changeConfig({ vs: e.target.value }));
  $('loss').addEventListener('change', (e) => changeConfig({ loss: e.target.value }));
  $('optimizer').addEventListener('change', (e) => changeConfig({ opt: e.target.value }));
  for (const [id, key] of [['learning-rate', 'lr'], ['batch', 'batch'], ['l2', 'l2'], ['l1', 'l1'], ['seed', 'seed'], ['init-scale', 'scale'], ['dropout', 'dropout']]) {
    $(id).addEventListener('change', (e) => {
      const cfg = state.wanted || state.config;
      if (e.target.value.trim() === '') { e.target.value = cfg ? cfg[key] : ''; return; } // an emptied box is no 0: it keeps its value
      changeConfig({ [key]: Number(e.target.value) });
    });
  }
  for (const [id, key] of [['show-test', 'showTest'], ['discrete', 'discrete']]) {
    $(id).addEventListener('change', (e) => {
      state[key] = e.target.checked;
      if (state.config) writeURL(state.config);
      drawRegions();
    });
  }
  $('log-epochs').addEventListener('change', (e) => {
    state.logEpochs = e.target.checked;
    if (state.config) writeURL(state.config);
    drawCurves();
  });
  for (const a of document.querySelectorAll('.lessons a')) { // its run opens at the top, Play and the plots in view (on a phone the links are far below)
    a.addEventListener('click', () => window.scrollTo(0, 0));
  }
  $('play').addEventListener('click', () => setPlaying(true));
  $('pause').addEventListener('click', () => setPlaying(false));
  $('step').addEventListener('click', () => { setPlaying(false); send({ type: 'step' }); });
  $('reset').addEventListener('click', () => {
    if (!state.config) return;
    state.wanted = null;
    configure(state.config, false, null);
  });
  $('download-model').addEventListener('click', () => send({ type: 'download' }));
  $('language').addEventListener('change', (e) => {
    applyLanguage(e.target.value);
    state.lang = I18N.lang;
    if (state.noWorker) showMessage(t('needsServer'));
    if (state.config) writeURL(state.config);
    relabel();
  });
  $('load-model').addEventListener('change', async (e) => {
    const file = e.target.files[0];
    if (!file) return;
    const bytes = await file.arrayBuffer();
    setPlaying(false);
    hideMessage();
    state.asked = (state.asked || 0) + 1;
    send({ type: 'load', config: state.config, bytes, id: state.asked });
    e.target.value = '';
  });
  window.addEventListener('resize', () => drawGraph()); // its canvas takes the width the layout gives it
  $('graph').addEventListener('mousemove', showGraphTip);
  $('graph').addEventListener('mouseleave', () => { $('tooltip').hidden = true; setPeek(null); });
  $('graph').addEventListener('click', editWeight);
  $('graph').addEventListener('keydown', graphKey);
  $('graph').addEventListener('focus', () => { if (state.graphLine) chooseLine(state.graphLine); });
  $('graph').addEventListener('blur', () => { if ($('weight-edit').hidden) $('tooltip').hidden = true; drawGraph(); });
  $('weight-edit').addEventListener('keydown', (e) => {
    if (e.key === 'Enter') setWeight();
    else if (e.key === 'Escape') closeWeightEditor();
  });
  $('weight-edit').addEventListener('change', () => setWeight()); // a phone's Done, or leaving the box, sets it too
  $('weight-edit').addEventListener('input', () => { $('weight-edit').classList.remove('invalid'); $('tooltip').hidden = true; });
  $('weight-edit').addEventListener('blur', () => closeWeightEditor());
  window.addEventListener('hashchange', () => { // a link pasted or edited in the address bar (writeURL's replaceState fires none)
    const cfg = configFromURL(); // applies its language and view options
    if (state.config && configText(new URLSearchParams(location.hash.slice(1))) === state.configText) {
      relabel(); // only the language or the view changed: the run goes on (the curves redrawn with the labels)
      drawRegions();
      return;
    }
    state.wanted = null;
    configure(cfg, false, { clearAdded: true, points: pointsFromURL() }); // the link's points, once its run is made
  });
  document.addEventListener('keydown', (e) => {
    if (e.key !== ' ' || ['INPUT', 'SELECT', 'BUTTON', 'TEXTAREA'].includes(e.target.tagName)) return;
    e.preventDefault();
    setPlaying(!state.playing);
  });
}

// relabel redraws what speaks the page's language.
function relabel() {
  if (!state.config) return;
  showConfig();
  drawCurves();
  drawHealth();
  if (state.layers) { $('layers').replaceChildren(); drawLayers(); drawGraph(); }
  $('network').textContent = t('network_') + ' ' + networkText(state.info.network);
}

function setPlaying(on) {
  if (on && !state.config) return;
  state.playing = on;
  $('play').disabled = on;
  $('pause').disabled = !on;
  if (state.worker) send({ type: on ? 'play' : 'pause' });
  state.rate.samples = [];
  if (!on) $('eps').textContent = '0';
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

// The URL's language, else the browser's, in the labels before anything loads.
applyLanguage(new URLSearchParams(location.hash.slice(1)).get('lang') || ((navigator.language || '').startsWith('ko') ? 'ko' : 'en'));
state.lang = I18N.lang;
bindControls();
startWorker();
