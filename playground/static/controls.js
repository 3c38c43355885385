// The playground's controls: the settings' inputs and menus, what each
// change asks of the engine, and the run buttons. app.js holds the page's
// state and talks to the engine; this file binds the controls to it.
'use strict';

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
  option($('classes'), '0', '–'); // a regression set's: values, no classes
  for (let k = 2; k <= c.maxClasses; k++) option($('classes'), String(k));
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
  $('classes').value = String(state.info ? state.info.classes : cfg.k); // the run's: a set's own where k is 0
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
  $('scores-name').textContent = comparing ? actsText(cfg) : ''; // whose scores these are, the twin's under its plot
  $('scores-name').hidden = !comparing;
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
  offerWhatActs(cfg);
}

// offerWhatActs turns off the controls that cannot act on the run: the
// noise of points of one's own (a generated set's), the activation of a
// network of no hidden layer, and the losses the points cannot take.
function offerWhatActs(cfg) {
  $('noise').disabled = cfg.data === 'custom';
  $('noise').title = cfg.data === 'custom' ? t('noiseOwnPoints') : '';
  const fixed = !state.catalogue.classChoice.includes(cfg.data); // xor, moons, linear: two; regression: none; a file: its own
  $('classes').disabled = fixed;
  $('classes').title = fixed ? t('classesFixed') : '';
  const noHidden = cfg.hidden.length === 0;
  for (const id of ['activation', 'compare']) {
    $(id).disabled = noHidden;
    $(id).title = noHidden ? t('noHiddenLayer') : id === 'compare' ? t('compareTip') : '';
  }
  const classes = state.info ? state.info.classes : -1; // 0: values
  for (const o of $('loss').options) {
    o.disabled = classes >= 0 && (o.value === 'mse' ? classes !== 0 : classes === 0 || (['logistic', 'binary-hinge'].includes(o.value) && classes !== 2));
  }
}

// actsText names a network's activations: its own, then each layer's that
// differs ("tanh, layer 2 relu"), as compare mode's twin takes cfg.vs in
// every layer.
function actsText(cfg) {
  const own = (cfg.acts || []).map((a, i) => a && a !== cfg.act ? `${t('layer')} ${i + 1} ${a}` : '').filter(Boolean);
  return [cfg.act, ...own].join(', ');
}

// ensureCustomOption offers "your points" among the data sets while a CSV
// file is loaded (named) or points clicked on are kept, with the count of
// those; with neither there is nothing to choose, and no option.
function ensureCustomOption(on) {
  const sel = $('dataset');
  let o = sel.querySelector('option[value="custom"]');
  if (!on && state.csv === undefined && !state.added.length) {
    if (o) o.remove();
    return;
  }
  if (!o) o = option(sel, 'custom', t('customData'));
  const about = [state.csvName, state.added.length ? `+${state.added.length}` : ''].filter(Boolean).join(', ');
  o.textContent = t('customData') + (about ? ` (${about})` : '');
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
  const plot = $('regions'), addable = !info || !!info.classes; // the keys add points to the classification sets alone
  plot.dataset.i18nLabel = addable ? 'plotLabel' : info.plane ? 'plotLabelValues' : 'plotLabelCurve';
  plot.setAttribute('aria-label', t(plot.dataset.i18nLabel));
  plot.tabIndex = addable ? 0 : -1; // no tab stop that takes no keys
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
    dot.style.clipPath = markClip(c); // the class's shape on the plot
    dot.dataset.testid = 'class-mark-' + c;
    label.append(radio, dot, ' ' + className(c));
    box.append(label);
  }
}

// className is class c's name: an uploaded file's label, else its number.
function className(c) {
  const names = state.info && state.info.classNames;
  return names && names[c] !== undefined ? names[c] : String(c);
}

// addPointAt adds a training point where the plot was clicked.
function addPointAt(e) {
  if (!state.info || !state.info.classes) return;
  const r = $('regions').getBoundingClientRect(), b = state.info.bounds;
  addPoint(b.xmin + (e.clientX - r.left) / r.width * (b.xmax - b.xmin), b.ymax - (e.clientY - r.top) / r.height * (b.ymax - b.ymin));
}

// plotKeys adds points from the keys as a click does: the arrows move a
// cursor over the plot (a 40th of it a press, a 200th with Shift), Enter
// or Space adds a point of the chosen class where it is, and the place is
// said for a screen reader (plot-said).
function plotKeys(e) {
  if (!state.info || !state.info.classes) return;
  const b = state.info.bounds, span = [b.xmax - b.xmin, b.ymax - b.ymin], c = cursorIn(b);
  const move = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] }[e.key];
  const step = e.shiftKey ? 1 / 200 : 1 / 40;
  let said = '';
  if (move) {
    c.x = Math.min(Math.max(c.x + move[0] * step * span[0], b.xmin), b.xmax);
    c.y = Math.min(Math.max(c.y + move[1] * step * span[1], b.ymin), b.ymax);
  } else if (e.key === 'Enter' || e.key === ' ') {
    addPoint(c.x, c.y);
    said = ` — ${t('pointAdded')} ${className(state.pointClass || 0)} (${state.added.length})`; // the count: a second point at one place is news too
  } else {
    return;
  }
  e.preventDefault();
  sayCursor(said);
  drawRegions();
}

// cursorIn is the keys' cursor within the bounds b: made at their middle,
// or kept inside them, whatever set it was moved over before.
function cursorIn(b) {
  const c = state.cursor || (state.cursor = { x: (b.xmin + b.xmax) / 2, y: (b.ymin + b.ymax) / 2 });
  c.x = Math.min(Math.max(c.x, b.xmin), b.xmax);
  c.y = Math.min(Math.max(c.y, b.ymin), b.ymax);
  return c;
}

// sayCursor says where the keys' cursor is on the plot, and what was done
// there.
function sayCursor(done = '') {
  const c = state.cursor;
  if (c) $('plot-said').textContent = `x ${tickText(Number(c.x.toPrecision(3)))}, y ${tickText(Number(c.y.toPrecision(3)))}${done}`;
}

// addPoint adds a training point of the chosen class at (x, y), in the
// run's link too.
function addPoint(x, y) {
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
  if (tunes(change, effects)) return;
  const cfg = Object.assign({}, state.wanted || state.config, change);
  if (change.hidden && cfg.acts) { // each layer keeps its own activation; new layers take the common one
    const acts = cfg.acts.slice(0, cfg.hidden.length);
    while (acts.length < cfg.hidden.length) acts.push('');
    cfg.acts = acts.every((a) => a === '') ? null : acts;
  }
  state.wanted = cfg;
  configure(cfg, false, effects);
}

// TUNED are the settings the running network takes as they change, as
// TensorFlow Playground's learning rate and regularisation rate: its
// weights and epochs go on.
const TUNED = ['lr', 'l1', 'l2', 'batch'];

// tunes sends a change of TUNED settings alone to the running network and
// reports whether it did; a change of anything else, or one made while
// another is on its way or after the run stopped, starts a new run.
function tunes(change, effects) {
  if (effects || !state.config || state.wanted || state.stopped || state.engineRun !== state.pageRun || state.shown !== state.asked) return false; // shown: a link's run, a Reset's or a model file's still on its way
  if (!Object.keys(change).every((k) => TUNED.includes(k))) return false;
  state.config = Object.assign({}, state.config, change);
  hideMessage(); // as a new run's change does: what was said is of before
  writeURL(state.config);
  send({ type: 'tune', config: state.config });
  return true;
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
  const had = document.activeElement;
  $('layer-add').disabled = hidden.length >= state.catalogue.maxLayers;
  $('layer-remove').disabled = hidden.length === 0;
  for (const [id, other] of [['layer-add', 'layer-remove'], ['layer-remove', 'layer-add']]) {
    if (had === $(id) && $(id).disabled && !$(other).disabled) $(other).focus(); // a button turned off keeps no focus: the other takes it, as Pause gives it to Play
  }
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
  $('regions').addEventListener('keydown', plotKeys);
  $('regions').addEventListener('focus', () => { // the cursor shown while the plot has the keys, where it starts said
    const b = state.info && state.info.classes && state.info.bounds;
    if (b) {
      cursorIn(b);
      sayCursor();
    }
    drawRegions();
  });
  $('regions').addEventListener('blur', () => drawRegions());
  $('upload-csv').addEventListener('change', async (e) => {
    const file = e.target.files[0];
    if (!file) return;
    const csv = await textOf(file);
    e.target.value = '';
    const change = { data: 'custom', noise: 0, k: 0 }; // the engine reads labels or values, and picks the loss for values
    changeConfig(change, { csv, csvName: file.name, clearAdded: true }); // the file and its points count once the engine takes them
  });
  $('dataset').addEventListener('change', (e) => {
    const change = { data: e.target.value, noise: -1, k: 0, n: 0 }; // the set's own: n counts a class's points, or a regression set's all
    if (regressionSet(e.target.value)) change.loss = 'mse';
    else if ((state.wanted || state.config || {}).loss === 'mse') change.loss = 'softmax';
    changeConfig(change, { clearAdded: true });
  });
  $('classes').addEventListener('change', (e) => changeConfig({ k: Number(e.target.value), n: 0 }, { clearAdded: true })); // a class's points, the set's own; points clicked on were of the classes before
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
  $('speed').addEventListener('change', (e) => {
    state.speed = Number(e.target.value);
    send({ type: 'speed', eps: state.speed });
    if (state.config) writeURL(state.config);
  });
  $('new-seed').addEventListener('click', () => changeConfig({ seed: Math.floor(Math.random() * 1e9) }));
  $('log-epochs').addEventListener('change', (e) => {
    state.logEpochs = e.target.checked;
    if (state.config) writeURL(state.config);
    drawCurves();
  });
  for (const a of document.querySelectorAll('.lessons a')) { // its run opens at the top, Play and the plots in view (on a phone the links are far below)
    a.addEventListener('click', () => { window.scrollTo(0, 0); $('play').focus({ preventScroll: true }); }); // the focus with it, on what the lesson asks next
  }
  $('play').addEventListener('click', () => setPlaying(true));
  $('pause').addEventListener('click', () => setPlaying(false));
  $('step').addEventListener('click', () => { setPlaying(false); hideMessage(); send({ type: 'step' }); });
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
  $('weight-edit').addEventListener('input', () => { $('weight-edit').classList.remove('invalid'); $('weight-edit').removeAttribute('aria-invalid'); $('tooltip').hidden = true; });
  $('weight-edit').addEventListener('blur', () => closeWeightEditor());
  window.addEventListener('hashchange', () => { // a link pasted or edited in the address bar (writeURL's replaceState fires none)
    const cfg = configFromURL(); // applies its language and view options
    if (state.config && configText(new URLSearchParams(location.hash.slice(1))) === state.configText) {
      relabel(); // only the language or the view changed: the run goes on (the curves redrawn with the labels)
      drawRegions();
      return;
    }
    state.wanted = null;
    configure(cfg, state.linkIgnored, { clearAdded: true, points: pointsFromURL() }); // the link's points, once its run is made
  });
  document.addEventListener('keydown', (e) => { // Space plays and pauses, but where the focus has its own use for it, held down, or with a modifier
    if (e.key !== ' ' || e.repeat || e.ctrlKey || e.altKey || e.metaKey || e.shiftKey) return;
    if (e.target !== document.body && e.target.closest('a, button, input, select, textarea, canvas, summary, [tabindex], [contenteditable]')) return;
    e.preventDefault();
    setPlaying(!state.playing);
  });
}

// relabel redraws what speaks the page's language.
function relabel() {
  if (!state.config) return;
  showRunButtons(); // their tooltips
  showConfig();
  drawCurves();
  drawHealth();
  if (state.layers) { $('layers').replaceChildren(); drawLayers(); drawGraph(); }
  $('network').textContent = t('network_') + ' ' + networkText(state.info.network);
  if (state.stoppedBy && !$('message').hidden && $('message').textContent === state.stoppedShown) { // not another message shown since
    showMessage(stoppedText(state.stoppedBy));
    state.stoppedShown = $('message').textContent;
  }
}

function setPlaying(on) {
  if (on && (!state.config || state.stopped)) return;
  if (on) hideMessage(); // a refusal or a note of before: training goes on past it
  const focused = document.activeElement;
  state.playing = on;
  showRunButtons();
  if (focused && focused.disabled) (on ? $('pause') : $('play').disabled ? $('reset') : $('play')).focus(); // the key pressed keeps a place
  if (state.worker) send({ type: on ? 'play' : 'pause' });
  state.rate.samples = [];
  if (!on) $('eps').textContent = '0';
}

// showRunButtons enables what can act: Play and Step while the run has not
// stopped (diverged), Pause while it plays.
function showRunButtons() {
  const none = !state.info; // the engine still loading, no run made yet
  $('play').disabled = state.playing || !!state.stopped || none;
  $('step').disabled = !!state.stopped || none;
  $('pause').disabled = !state.playing;
  for (const id of ['play', 'step']) $(id).title = state.stopped ? t('stoppedNext') : '';
}
