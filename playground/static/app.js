// The playground's page: controls, the URL, and the views. Training runs in
// worker.js on wiggle's engine; this script only draws what it posts.
'use strict';

const $ = (id) => document.getElementById(id);
const COLORS = ['#e69f00', '#0072b2', '#009e73', '#cc79a7', '#d55e00', '#56b4e9', '#f0e442', '#000000'];
const CONFIG_KEYS = ['data', 'noise', 'n', 'k', 'test', 'inputs', 'hidden', 'act', 'acts', 'vs', 'scale', 'dropout', 'loss', 'opt', 'lr', 'momentum', 'batch', 'l2', 'seed'];

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
  showTest: true,      // the view's options, kept in the URL beside the configuration
  discrete: false,
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
  if (cfg.data === 'sine' && !cfg.loss) cfg.loss = 'mse'; // as choosing it on the page does
  state.showTest = params.get('showtest') !== '0';
  state.discrete = params.get('discrete') === '1';
  $('show-test').checked = state.showTest;
  $('discrete').checked = state.discrete;
  return cfg;
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
  state.configText = configText(params);
  if (!state.showTest) params.set('showtest', '0');
  if (state.discrete) params.set('discrete', '1');
  history.replaceState(null, '', '#' + params.toString());
}

// configText is a link's configuration alone, without its language and
// view options: a link edited in those only leaves the run as it is.
function configText(params) {
  return CONFIG_KEYS.filter((k) => params.has(k)).map((k) => k + '=' + params.get(k)).join('&');
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
  const e = Object.assign({}, newestRequest(), effects || {});
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

// madeRun applies the effects of change id, whose run the engine made, and
// forgets the changes before it.
function madeRun(id) {
  const e = state.requests[id] || {};
  if (e.csv !== undefined) state.csv = e.csv;
  if (e.clearAdded) state.added = [];
  for (const k of Object.keys(state.requests)) if (Number(k) <= id) delete state.requests[k];
  state.engineRun = id;
}

// adopt makes the engine's run the page's: its numbers start afresh and
// the points clicked on go to it.
function adopt() {
  state.shown = state.asked;
  newRun();
  reAddPoints();
}

// newRun forgets the last run's numbers: the engine has started another.
function newRun() {
  state.history = { train: [], test: [], twinTrain: [], twinTest: [] };
  state.stats = null;
  state.test = null;
  state.twinTest = null;
}

// refused tells why the engine refused change id, the last asked for, and
// shows the settings of the run that goes on (an earlier change's, if the
// engine made it meanwhile); a link whose settings are refused before any
// run gets the defaults.
function refused(id, error) {
  delete state.requests[id];
  state.wanted = null;
  if (state.config) {
    if (state.engineRun !== state.shown) adopt();
    else state.shown = state.asked; // the run shown is the engine's run still
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
      configure(configFromURL());
      break;
    case 'info':
      state.info = m.info;
      madeRun(m.id);
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
          $('compare-train-accuracy').textContent = tw.regression ? '–' : percent(tw.trainAccuracy);
          $('compare-test-accuracy').textContent = state.twinTest && !tw.regression ? percent(state.twinTest.accuracy) : '–';
        }
        showStats(st);
        drawCurves();
      }
      if (m.result.error) {
        showMessage(m.result.error);
        setPlaying(false);
      }
      break;
    case 'layers':
      state.layers = m.layers;
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
  $('regions-title').textContent = comparing ? cfg.act : '';
  $('twin-title').textContent = comparing ? cfg.vs : '';
  $('twin-name').textContent = cfg.vs || '';
  $('compare-train-accuracy').textContent = '–';
  $('compare-test-accuracy').textContent = '–';
  $('loss').value = cfg.loss;
  $('optimizer').value = cfg.opt;
  $('learning-rate').value = cfg.lr;
  $('batch').value = cfg.batch;
  $('l2').value = cfg.l2;
  $('seed').value = cfg.seed;
  $('init-scale').value = cfg.scale;
  $('dropout').value = cfg.dropout;
  showActParams(cfg.act);
  showActInfo(cfg.act);
}

// ensureCustomOption offers "your points" among the data sets once a CSV
// file is loaded.
function ensureCustomOption(on) {
  const sel = $('dataset');
  let o = sel.querySelector('option[value="custom"]');
  if (on && !o) option(sel, 'custom', t('customData'));
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
  box.closest('fieldset').hidden = cfg.data === 'sine';
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
  if (state.shown === state.asked) send({ type: 'add', points: [point] }); // else the coming run gets it with the others
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

function bindControls() {
  $('regions').addEventListener('click', addPointAt);
  $('upload-csv').addEventListener('change', async (e) => {
    const file = e.target.files[0];
    if (!file) return;
    const csv = await file.text();
    e.target.value = '';
    const change = { data: 'custom', noise: 0, k: 0 };
    if ((state.wanted || state.config || {}).loss === 'mse') change.loss = 'softmax';
    changeConfig(change, { csv, clearAdded: true }); // the file and its points count once the engine takes them
  });
  $('dataset').addEventListener('change', (e) => {
    const change = { data: e.target.value, noise: -1, k: 0 };
    if (e.target.value === 'sine') change.loss = 'mse';
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
  $('learning-rate').addEventListener('change', (e) => changeConfig({ lr: Number(e.target.value) }));
  $('batch').addEventListener('change', (e) => changeConfig({ batch: Number(e.target.value) }));
  $('l2').addEventListener('change', (e) => changeConfig({ l2: Number(e.target.value) }));
  $('seed').addEventListener('change', (e) => changeConfig({ seed: Number(e.target.value) }));
  $('init-scale').addEventListener('change', (e) => changeConfig({ scale: Number(e.target.value) }));
  $('dropout').addEventListener('change', (e) => changeConfig({ dropout: Number(e.target.value) }));
  for (const [id, key] of [['show-test', 'showTest'], ['discrete', 'discrete']]) {
    $(id).addEventListener('change', (e) => {
      state[key] = e.target.checked;
      if (state.config) writeURL(state.config);
      drawRegions();
    });
  }
  $('play').addEventListener('click', () => setPlaying(true));
  $('pause').addEventListener('click', () => setPlaying(false));
  $('step').addEventListener('click', () => { setPlaying(false); send({ type: 'step' }); });
  $('reset').addEventListener('click', () => { if (state.config) configure(state.config); });
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
  window.addEventListener('hashchange', () => { // a link pasted or edited in the address bar (writeURL's replaceState fires none)
    const cfg = configFromURL(); // applies its language and view options
    if (state.config && configText(new URLSearchParams(location.hash.slice(1))) === state.configText) {
      relabel(); // only the language or the view changed: the run goes on
      drawRegions();
      return;
    }
    state.wanted = null;
    configure(cfg, false, { clearAdded: true });
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

// ---- drawing ----------------------------------------------------------------

function hexToRGB(hex) {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}
const RGB = COLORS.map(hexToRGB);

function drawRegions() {
  drawRegionsOn($('regions'), state.view);
  if (state.view && state.view.twin) drawRegionsOn($('regions-compare'), state.view.twin);
}

function drawRegionsOn(canvas, view) {
  const ctx = canvas.getContext('2d');
  const W = canvas.width, H = canvas.height;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, W, H);
  const info = state.info;
  if (!info) return;
  const b = info.bounds;
  const regression = !!(view && view.curve);
  if (view && view.cells) {
    const n = view.grid;
    const img = new ImageData(n, n);
    const k = Math.max(info.classes, 2);
    for (let i = 0; i < n * n; i++) {
      const [r, g, bl] = RGB[view.cells[2 * i] % RGB.length];
      const strength = state.discrete ? 1 : Math.max(0, (view.cells[2 * i + 1] / 255 - 1 / k) / (1 - 1 / k));
      const a = 0.12 + 0.5 * strength;
      img.data[4 * i] = Math.round(255 * (1 - a) + r * a);
      img.data[4 * i + 1] = Math.round(255 * (1 - a) + g * a);
      img.data[4 * i + 2] = Math.round(255 * (1 - a) + bl * a);
      img.data[4 * i + 3] = 255;
    }
    const off = document.createElement('canvas');
    off.width = n;
    off.height = n;
    off.getContext('2d').putImageData(img, 0, 0);
    ctx.imageSmoothingEnabled = !state.discrete; // discretised: each cell one class's colour, edges and all
    ctx.drawImage(off, 0, 0, W, H);
  }
  const px = (x) => (x - b.xmin) / (b.xmax - b.xmin) * W;
  const py = (y) => (b.ymax - y) / (b.ymax - b.ymin) * H;
  drawAxes(ctx, px, py, W, H);
  if (regression && view.curve) {
    ctx.strokeStyle = COLORS[1];
    ctx.lineWidth = 3;
    ctx.beginPath();
    view.curve.forEach((y, i) => {
      const x = b.xmin + (b.xmax - b.xmin) * i / (view.curve.length - 1);
      if (i === 0) ctx.moveTo(px(x), py(y)); else ctx.lineTo(px(x), py(y));
    });
    ctx.stroke();
  }
  const dot = (p, test) => {
    ctx.beginPath();
    ctx.arc(px(p.x), py(p.y), test ? 3.6 : 3.4, 0, 2 * Math.PI);
    const color = regression ? '#1d2330' : COLORS[p.label % COLORS.length];
    if (test) {
      ctx.fillStyle = '#fff';
      ctx.fill();
      ctx.lineWidth = 2;
      ctx.strokeStyle = color;
    } else {
      ctx.fillStyle = color;
      ctx.fill();
      ctx.lineWidth = 1;
      ctx.strokeStyle = '#fff';
    }
    ctx.stroke();
  };
  for (const p of info.train) dot(p, false);
  if (state.showTest) for (const p of info.test) dot(p, true);
}

// shownScale is how many of canvas's pixels one CSS pixel of the page
// shows: its lettering is that many times 12 pixels high to read at 12 on
// the page, whatever width the layout gives it.
function shownScale(canvas) {
  const shown = canvas.getBoundingClientRect().width;
  return shown > 0 ? canvas.width / shown : 1;
}

function drawAxes(ctx, px, py, W, H) {
  ctx.strokeStyle = 'rgba(29,35,48,.25)';
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(px(0), 0); ctx.lineTo(px(0), H);
  ctx.moveTo(0, py(0)); ctx.lineTo(W, py(0));
  ctx.stroke();
}

// drawCurves draws each epoch's training loss, and the test loss where the
// worker measured it (after each slice of training).
function drawCurves() {
  const canvas = $('curves');
  const ctx = canvas.getContext('2d');
  const s = shownScale(canvas);
  const W = canvas.width, H = canvas.height, left = 36 * s, bottom = 20 * s, top = 14 * s, right = 8 * s;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, W, H);
  const { train, test, twinTrain, twinTest } = state.history;
  ctx.fillStyle = '#5b6475';
  ctx.font = `${Math.round(12 * s)}px system-ui, sans-serif`;
  if (train.length === 0) {
    ctx.fillText(t('pressPlay'), left, H / 2);
    return;
  }
  let most = 0;
  for (const v of train) most = Math.max(most, v);
  for (const [, v] of test) most = Math.max(most, v);
  for (const v of twinTrain) most = Math.max(most, v);
  for (const [, v] of twinTest) most = Math.max(most, v);
  // (test holds the test loss where it was measured)
  most = most || 1;
  const epochs = train.length;
  const x = (e) => left + (W - left - right) * (epochs === 1 ? 1 : (e - 1) / (epochs - 1));
  const y = (v) => top + (H - top - bottom) * (1 - Math.min(v, most) / most);
  ctx.strokeStyle = '#dfe3ea';
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(left, top); ctx.lineTo(left, H - bottom); ctx.lineTo(W - right, H - bottom);
  ctx.stroke();
  const yLabel = (text, v) => ctx.fillText(text, left - 4 * s - ctx.measureText(text).width, y(v) + 4 * s);
  yLabel(most.toPrecision(2), most);
  yLabel('0', 0);
  const last = `${t('epoch')} ${epochs}`;
  ctx.fillText(last, W - right - ctx.measureText(last).width, H - 4 * s);
  const line = (points, color, dash) => {
    ctx.strokeStyle = color;
    ctx.lineWidth = 2;
    ctx.setLineDash(dash);
    ctx.beginPath();
    points.forEach(([e, v], i) => (i === 0 ? ctx.moveTo(x(e), y(v)) : ctx.lineTo(x(e), y(v))));
    ctx.stroke();
    ctx.setLineDash([]);
  };
  const step = Math.max(1, Math.floor(epochs / 800));
  const trainPoints = [];
  for (let e = 1; e <= epochs; e += step) trainPoints.push([e, train[e - 1]]);
  trainPoints.push([epochs, train[epochs - 1]]);
  line(trainPoints, '#1d2330', []);
  if (test.length) line(test, COLORS[4], [5, 3]);
  if (twinTrain.length) {
    const twinPoints = [];
    for (let e = 1; e <= twinTrain.length; e += step) twinPoints.push([e, twinTrain[e - 1]]);
    line(twinPoints, '#0072b2', []);
    if (twinTest.length) line(twinTest, '#56b4e9', [5, 3]);
  }
}

// ---- inside the network ----------------------------------------------------

// drawLayers draws a card per hidden layer: its lens and its neurons.
function drawLayers() {
  const box = $('layers');
  const layers = state.layers || [];
  if (box.children.length !== layers.length || layers.some((l, i) => box.children[i].dataset.units !== String(l.units))) {
    box.replaceChildren(...layers.map(layerCard));
  }
  layers.forEach((l, k) => {
    const card = box.children[k];
    const stats = card.querySelector('.stats');
    stats.textContent = `${l.units} ${t('units')} · ${percent(l.deadFraction)} ${t('dead')} · ${percent(l.saturatedFraction)} ${t('flatShort')}`;
    stats.title = t('flatTip');
    drawLens(card.querySelector('canvas.lens'), l);
    const maps = state.neurons && state.neurons[k];
    card.querySelectorAll('.neurons canvas').forEach((c, j) => {
      c.classList.toggle('dead', l.dead[j]);
      c.classList.toggle('saturated', !l.dead[j] && l.saturated[j] > 0.5);
      c.dataset.state = l.dead[j] ? 'dead' : l.saturated[j] > 0.5 ? 'saturated' : 'alive';
      if (maps) drawNeuron(c, maps, j, state.neuronGrid);
    });
  });
}

// neuronButtons are a layer's − and +, a neuron fewer or more, as in
// TensorFlow Playground: from 1 to the engine's widest layer.
function neuronButtons(l, k) {
  const box = document.createElement('span');
  box.className = 'neuron-buttons';
  for (const [label, delta, key, id] of [['−', -1, 'removeNeuron', 'remove'], ['+', 1, 'addNeuron', 'add']]) {
    const b = document.createElement('button');
    b.textContent = label;
    b.dataset.testid = `layer-${k + 1}-${id}`;
    b.setAttribute('aria-label', `${t('layer')} ${k + 1}: ${t(key)}`);
    b.disabled = l.units + delta < 1 || l.units + delta > state.catalogue.maxWidth;
    b.addEventListener('click', () => {
      const hidden = (state.wanted || state.config).hidden.slice();
      const next = hidden[k] + delta;
      if (k >= hidden.length || next < 1 || next > state.catalogue.maxWidth) return;
      hidden[k] = next;
      changeConfig({ hidden });
    });
    box.append(b);
  }
  return box;
}

function layerCard(l, k) {
  const card = document.createElement('div');
  card.className = 'layer-card';
  card.dataset.units = String(l.units);
  card.dataset.testid = 'layer-' + (k + 1);
  const h = document.createElement('h3');
  h.textContent = `${t('layer')} ${k + 1} `;
  h.append(neuronButtons(l, k));
  const pick = document.createElement('select');
  pick.dataset.testid = 'layer-act-' + (k + 1);
  pick.setAttribute('aria-label', `${t('layer')} ${k + 1}: ${t('activation')}`);
  option(pick, '', t('sameAct'));
  for (const a of state.catalogue.activations) option(pick, a.name);
  const acts = state.config.acts || [];
  pick.value = acts[k] ? actName(acts[k]) : '';
  pick.addEventListener('change', () => {
    const n = state.config.hidden.length;
    const next = (state.config.acts || new Array(n).fill('')).slice(0, n);
    while (next.length < n) next.push('');
    next[k] = pick.value;
    changeConfig({ acts: next.every((a) => a === '') ? null : next });
  });
  const stats = document.createElement('p');
  stats.className = 'stats';
  const lens = document.createElement('canvas');
  lens.className = 'lens';
  lens.width = 440;
  lens.height = 220;
  lens.dataset.testid = 'lens-' + (k + 1);
  lens.setAttribute('aria-label', `Layer ${k + 1}: the activation and the histogram of its pre-activations`);
  const grid = document.createElement('div');
  grid.className = 'neurons';
  for (let j = 0; j < l.units; j++) {
    const c = document.createElement('canvas');
    c.width = 16;
    c.height = 16;
    c.dataset.testid = `neuron-${k + 1}-${j + 1}`;
    c.tabIndex = 0;
    c.setAttribute('aria-label', `Layer ${k + 1}, neuron ${j + 1}`);
    const ask = () => send({ type: 'unit', layer: k + 1, unit: j });
    c.addEventListener('mouseenter', (e) => { state.hover = { el: c, x: e.clientX, y: e.clientY, ask }; ask(); });
    c.addEventListener('focus', () => { const r = c.getBoundingClientRect(); state.hover = { el: c, x: r.right, y: r.bottom, ask }; ask(); });
    c.addEventListener('mouseleave', hideUnit);
    c.addEventListener('blur', hideUnit);
    grid.append(c);
  }
  card.append(h, pick, stats, lens, grid);
  return card;
}

// drawNeuron colours a unit's outputs over the plane: orange above 0, blue
// below, white at 0, scaled by the largest |value|.
function drawNeuron(canvas, maps, j, n) {
  canvas.getContext('2d').putImageData(mapImage(maps.subarray(j * n * n, (j + 1) * n * n), n), 0, 0);
}

// mapImage colours n×n values over the plane: orange above 0, blue below,
// white at 0, scaled by the largest |value|.
function mapImage(values, n) {
  const img = new ImageData(n, n);
  let most = 1e-9;
  for (let c = 0; c < n * n; c++) most = Math.max(most, Math.abs(values[c]));
  for (let c = 0; c < n * n; c++) {
    const v = values[c] / most;
    const [r, g, b] = v >= 0 ? RGB[0] : RGB[1];
    const a = Math.min(1, Math.abs(v));
    img.data[4 * c] = Math.round(255 * (1 - a) + r * a);
    img.data[4 * c + 1] = Math.round(255 * (1 - a) + g * a);
    img.data[4 * c + 2] = Math.round(255 * (1 - a) + b * a);
    img.data[4 * c + 3] = 255;
  }
  return img;
}

// INPUT_MAPS are the inputs as functions of the point (x, y), for their
// nodes' maps.
const INPUT_MAPS = { x: (x) => x, y: (x, y) => y, x2: (x) => x * x, y2: (x, y) => y * y, xy: (x, y) => x * y, sinx: (x) => Math.sin(x), siny: (x, y) => Math.sin(y) };
const INPUT_LABELS = { x2: 'x²', y2: 'y²', xy: 'x·y', sinx: 'sin x', siny: 'sin y' };

// drawGraph draws the network as TensorFlow Playground does: a column of
// nodes a layer (each hidden unit's and input's map over the plane, the
// outputs in their classes' colours) and a line for each weight, orange
// above 0 and blue below, thicker and darker as |w| nears the largest
// between the two columns.
function drawGraph() {
  const g = state.graph, canvas = $('graph');
  if (!g || !state.info) return;
  const cssW = canvas.getBoundingClientRect().width || 720, cssH = 320;
  const dpr = window.devicePixelRatio || 1;
  canvas.width = Math.round(cssW * dpr);
  canvas.height = Math.round(cssH * dpr);
  const ctx = canvas.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, cssW, cssH);
  const columns = [g.inputs.length, ...g.edges.map((e) => e.to)];
  const top = 22, bottom = 6, side = 40;
  const x = (c) => side + (cssW - 2 * side) * c / (columns.length - 1);
  const size = (c) => Math.max(3, Math.min(28, (cssH - top - bottom) / columns[c] - 3));
  const y = (c, j) => top + (cssH - top - bottom) * (j + 0.5) / columns[c];
  let edges = 0;
  g.edges.forEach((e, c) => {
    let most = 1e-12;
    for (const w of e.w) most = Math.max(most, Math.abs(w));
    const x0 = x(c) + size(c) / 2, x1 = x(c + 1) - size(c + 1) / 2;
    for (let b = 1; b <= GRAPH_BUCKETS; b++) { // one path per colour and band of |w|: thousands of lines in a few strokes
      for (const positive of [true, false]) {
        ctx.beginPath();
        for (let j = 0; j < e.to; j++) {
          for (let i = 0; i < e.from; i++) {
            const w = e.w[j * e.from + i];
            if ((w > 0) !== positive || Math.ceil(Math.abs(w) / most * GRAPH_BUCKETS) !== b) continue;
            ctx.moveTo(x0, y(c, i));
            ctx.lineTo(x1, y(c + 1, j));
            edges++;
          }
        }
        const [r, gr, bl] = positive ? RGB[0] : RGB[1];
        ctx.strokeStyle = `rgba(${r},${gr},${bl},${(0.12 + 0.78 * b / GRAPH_BUCKETS).toFixed(2)})`;
        ctx.lineWidth = 0.4 + 3.2 * b / GRAPH_BUCKETS;
        ctx.stroke();
      }
    }
  });
  const n = state.neuronGrid || 16;
  const plane = state.info.classes || g.inputs.length === 2 ? inputMaps(g.inputs, n) : null;
  let nodes = 0;
  columns.forEach((units, c) => {
    const s = size(c);
    for (let j = 0; j < units; j++) {
      const cx = x(c) - s / 2, cy = y(c, j) - s / 2;
      let img = null;
      if (c === 0 && plane && state.info.bounds) img = plane[j];
      else if (c < columns.length - 1 && c > 0 && state.neurons && state.neurons[c - 1]) img = mapImage(state.neurons[c - 1].subarray(j * n * n, (j + 1) * n * n), n);
      if (img) {
        const off = document.createElement('canvas');
        off.width = off.height = n;
        off.getContext('2d').putImageData(img, 0, 0);
        ctx.imageSmoothingEnabled = false;
        ctx.drawImage(off, cx, cy, s, s);
      } else {
        const classNode = c === columns.length - 1 && state.info.classes && units > 1; // one output (logistic): a score, no class of its own
        ctx.fillStyle = classNode ? COLORS[j % COLORS.length] : '#c9ced8';
        ctx.fillRect(cx, cy, s, s);
      }
      ctx.strokeStyle = '#5b6475';
      ctx.lineWidth = 1;
      ctx.strokeRect(cx, cy, s, s);
      nodes++;
    }
  });
  ctx.fillStyle = '#5b6475';
  ctx.font = '12px system-ui, sans-serif';
  ctx.textAlign = 'center';
  columns.forEach((units, c) => {
    const title = c === 0 ? t('graphInputs') : c === columns.length - 1 ? t('graphOutputs') : `${t('layer')} ${c}`;
    ctx.fillText(title, x(c), 14);
  });
  ctx.textAlign = 'right';
  g.inputs.forEach((name, j) => ctx.fillText(INPUT_LABELS[name] || name, x(0) - size(0) / 2 - 4, y(0, j) + 4));
  ctx.textAlign = 'left';
  state.graphDrawn = { nodes, edges, columns }; // for the tests
}

const GRAPH_BUCKETS = 8;

// inputMaps are the inputs' values over the plane's n×n grid (as the
// neuron maps lay it out), as images.
function inputMaps(names, n) {
  const b = state.info.bounds;
  return names.map((name) => {
    const f = INPUT_MAPS[name] || (() => 0);
    const values = new Float32Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const px = b.xmin + (b.xmax - b.xmin) * (j + 0.5) / n;
        const py = b.ymax - (b.ymax - b.ymin) * (i + 0.5) / n;
        values[i * n + j] = f(px, py);
      }
    }
    return mapImage(values, n);
  });
}

// drawLens draws f and f′ over the layer's range of pre-activations, the
// histogram of the pre-activations beneath, and shades where f′ is flat.
function drawLens(canvas, l) {
  const ctx = canvas.getContext('2d');
  const W = canvas.width, H = canvas.height, pad = 6;
  const lettering = `${Math.round(12 * shownScale(canvas))}px system-ui, sans-serif`;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, W, H);
  if (!l.f) { // maxout: each unit its own piecewise-linear function
    ctx.fillStyle = '#5b6475';
    ctx.font = lettering;
    ctx.fillText(t('noLens'), pad + 4, H / 2);
    return;
  }
  const n = l.f.length;
  const x = (i) => pad + (W - 2 * pad) * i / (n - 1);
  let maxSlope = 0;
  for (const d of l.df) maxSlope = Math.max(maxSlope, Math.abs(d));
  ctx.fillStyle = 'rgba(204,121,167,.18)';
  l.df.forEach((d, i) => {
    if (Math.abs(d) < 0.01 * maxSlope || maxSlope === 0) ctx.fillRect(x(i) - (W - 2 * pad) / (2 * (n - 1)), 0, (W - 2 * pad) / (n - 1) + 1, H);
  });
  const most = Math.max(1, ...l.hist);
  const bw = (W - 2 * pad) / l.hist.length;
  ctx.fillStyle = 'rgba(29,35,48,.22)';
  l.hist.forEach((c, b) => {
    const h = (H - 2 * pad) * 0.9 * c / most;
    ctx.fillRect(pad + b * bw + 1, H - pad - h, bw - 2, h);
  });
  const curve = (v, color, dash) => {
    let lo = Math.min(...v), hi = Math.max(...v);
    if (hi - lo < 1e-6) { lo -= 1; hi += 1; }
    const y = (u) => H - pad - (H - 2 * pad) * (u - lo) / (hi - lo);
    ctx.strokeStyle = color;
    ctx.lineWidth = 3;
    ctx.setLineDash(dash);
    ctx.beginPath();
    v.forEach((u, i) => (i === 0 ? ctx.moveTo(x(i), y(u)) : ctx.lineTo(x(i), y(u))));
    ctx.stroke();
    ctx.setLineDash([]);
  };
  curve(l.f, '#1d2330', []);
  curve(l.df, COLORS[1], [8, 5]);
  ctx.fillStyle = '#5b6475';
  ctx.font = lettering;
  const top = pad + ctx.measureText('0').actualBoundingBoxAscent + 2;
  ctx.fillText(String(l.lo), pad + 2, top);
  const hiText = String(l.hi);
  ctx.fillText(hiText, W - pad - ctx.measureText(hiText).width - 2, top);
}

// drawHealth draws, per hidden layer, the dead and saturated fractions and
// the norm of the weight gradient at the last step (relative to the largest).
function drawHealth() {
  const canvas = $('health');
  const ctx = canvas.getContext('2d');
  const W = canvas.width, H = canvas.height;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, W, H);
  const layers = state.layers || [];
  if (!layers.length) return;
  const most = Math.max(1e-12, ...layers.map((l) => l.gradNorm));
  const s = shownScale(canvas), letter = 12 * s; // the lettering at 12 CSS pixels, and the room it takes
  const left = 30 * s, top = letter + 10 * s, bottom = letter + 10 * s;
  const groupW = Math.min(120 * s, (W - left - 10 * s) / layers.length);
  const bars = [[t('dead'), (l) => l.deadFraction, '#d55e00'], [t('saturated'), (l) => l.saturatedFraction, '#cc79a7'],
    [t('gradNorm'), (l) => l.gradNorm / most, '#0072b2']];
  ctx.font = `${Math.round(letter)}px system-ui, sans-serif`;
  layers.forEach((l, k) => {
    bars.forEach(([, value, color], b) => {
      const h = (H - top - bottom) * Math.min(1, value(l));
      ctx.fillStyle = color;
      ctx.fillRect(left + k * groupW + b * (groupW / 4), H - bottom - h, groupW / 4 - 3 * s, h);
    });
    ctx.fillStyle = '#5b6475';
    ctx.fillText(t('layer') + ' ' + (k + 1), left + k * groupW, H - 4 * s);
  });
  const labels = bars.map(([name]) => name);
  let lx = W - 8 * s - labels.reduce((sum, t) => sum + ctx.measureText(t).width + 30 * s, 0);
  bars.forEach(([, , color], b) => {
    ctx.fillStyle = color;
    ctx.fillRect(lx, 6 * s, letter, letter);
    ctx.fillStyle = '#5b6475';
    ctx.fillText(labels[b], lx + letter + 4 * s, 6 * s + letter - 1 * s);
    lx += ctx.measureText(labels[b]).width + 30 * s;
  });
}

function showUnit(m) {
  const tip = $('tooltip');
  if (!state.hover || m.weights.error) return;
  const w = m.weights.in.map((v) => v.toFixed(3)).join(', ');
  const layer = state.layers && state.layers[m.layer - 1];
  const piece = layer && layer.act === 'maxout' ? ` (${t('firstPiece')})` : '';
  tip.textContent = `${t('layer')} ${m.layer}, ${t('neuron')} ${m.unit + 1} — ${t('incoming')}${piece} [${w}], ${t('bias')} ${m.weights.bias.toFixed(3)}`;
  tip.style.left = Math.min(state.hover.x + 12, window.innerWidth - 330) + 'px';
  tip.style.top = (state.hover.y + 12) + 'px';
  tip.hidden = false;
}

function hideUnit() {
  state.hover = null;
  $('tooltip').hidden = true;
}

// The URL's language, else the browser's, in the labels before anything loads.
applyLanguage(new URLSearchParams(location.hash.slice(1)).get('lang') || ((navigator.language || '').startsWith('ko') ? 'ko' : 'en'));
state.lang = I18N.lang;
bindControls();
startWorker();
