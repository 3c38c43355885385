// The health chart: per hidden layer, the fractions of dead and saturated
// units and the size of the weight gradient, and in compare mode the
// twin's beside them. Like views.js, it draws what the engine posted.
'use strict';

// GRAD_DECADES is how far under the largest gradient the health chart's
// log scale reaches: six decades.
const GRAD_DECADES = 6;

// The health chart's colours: dead units, saturated ones, a maxout layer's
// idle pieces (its second bar, where other layers give their saturated
// share, which a maxout layer never has) and the gradient.
const DEAD_COLOR = '#d55e00', SATURATED_COLOR = '#cc79a7', IDLE_COLOR = '#e69f00', GRAD_COLOR = '#0072b2';

// isMaxout tells a maxout layer's health.
const isMaxout = (h) => h.act === 'maxout';

// drawHealth draws, per hidden layer, the dead and saturated fractions and
// the norm of the weight gradient, its mean over the last epoch's steps
// (on a log scale under the largest, its value above its bar); in compare
// mode each bar has the twin's beside it, paler, on the same scales, and
// the two values side by side, or the twin's above the run's where a
// phone's layers are too narrow for both on a line.
function drawHealth() {
  const canvas = $('health');
  const ctx = canvas.getContext('2d');
  const layers = state.layers || [];
  const twin = state.config && state.config.vs && state.twinHealth && state.twinHealth.length === layers.length ? state.twinHealth : null;
  const s = shownScale(canvas), letter = 12 * s; // the lettering at 12 CSS pixels, and the room it takes
  const font = `${Math.round(letter)}px system-ui, sans-serif`;
  ctx.font = font;
  const stepped = state.history.train.length > 0; // an epoch trained: a gradient to tell
  const most = Math.max(1e-12, ...layers.map((l) => l.gradNorm), ...(twin || []).map((l) => l.gradNorm));
  // The gradients on a log scale, six decades under the largest: a
  // vanishing one (1e-7 of the last layer's, say) is a short bar, not none.
  const decades = (l) => l.gradNorm > 0 ? Math.max(0, 1 + Math.log10(l.gradNorm / most) / GRAD_DECADES) : 0;
  const bars = [[(l) => l.deadFraction, () => DEAD_COLOR], // each bar's value and colour, a layer's
    [(l) => isMaxout(l) ? l.idlePieces : l.saturatedFraction, (l) => isMaxout(l) ? IDLE_COLOR : SATURATED_COLOR],
    [decades, () => GRAD_COLOR]];
  const shown = layers.concat(twin || []);
  const keys = [[t('dead'), DEAD_COLOR], // the legend: saturated and idle pieces where layers have them
    ...(shown.every(isMaxout) ? [] : [[t('saturated'), SATURATED_COLOR]]),
    ...(shown.some(isMaxout) ? [[t('idlePieces'), IDLE_COLOR]] : []), [t('gradNorm'), GRAD_COLOR]];
  const legend = legendRows(ctx, keys.map(([name]) => name), canvas.width - 16 * s, letter, s);
  const twinGone = !!(state.config && state.config.vs && state.twinDiverged); // its last bars kept, or none: said in the legend
  const twinName = twinGone ? `${state.config.vs} (${t(twin ? 'runDiverged' : 'twinDiverged')})` : state.config && state.config.vs;
  const runGone = !!(state.config && state.runDiverged); // its figures the last before it diverged: said so
  const runName = state.config ? actsText(state.config) + (runGone ? ` (${t('runDiverged')})` : '') : '';
  const names = twin || twinGone ? [runName, twinName] : runGone ? [runName] : [];
  const whose = legendRows(ctx, names, canvas.width - 16 * s, letter, s);
  const rows = legend.length + whose.length;
  const left = ctx.measureText('100%').width + 10 * s, bottom = letter + 10 * s; // the shares' axis at the left
  const groupW = Math.min((twin ? 200 : 120) * s, (canvas.width - left - 10 * s) / Math.max(1, layers.length));
  const grad = (h) => !stepped ? '–' : h.gradNorm === 0 ? '0' : h.gradNorm.toExponential(0); // before a step there is no gradient to tell
  const fits = (text, share) => ctx.measureText(text).width < groupW * share;
  const stacked = !!twin && !layers.every((l, k) => fits(`${grad(l)}  ${grad(twin[k])}`, 0.9)); // the twin's value on a line of its own
  const top = rows * (letter + 8 * s) + (stacked ? 2 : 1) * letter + (stacked ? 16 : 12) * s;
  const height = Math.round(Math.max(150, top + bottom + 90 * s)); // bars of 90 CSS pixels at least, however narrow the page
  if (canvas.height !== height) canvas.height = height; // (which clears the canvas and its font)
  const W = canvas.width, H = canvas.height;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, W, H);
  ctx.font = font;
  const none = !!state.config && !state.config.hidden.length; // a network without hidden layers: said in words, not a blank box
  $('no-hidden').hidden = !none;
  canvas.hidden = none;
  canvas.setAttribute('aria-label', healthText(layers, twin, stepped) + (twinGone ? `. ${twinName}` : '') + (runGone ? `. ${runName}` : ''));
  if (!layers.length) return;
  shareAxis(ctx, left, top, H - bottom, W, letter, s);
  const slot = groupW / (twin ? 8 : 4); // a bar's width and its gap; in compare mode the twin's after each of the run's, two slots between layers
  const named = ctx.measureText(`${t('layer')} ${layers.length}`).width < groupW - 4 * s; // else the numbers alone
  const barHeight = (v) => (H - top - bottom) * Math.min(1, v);
  layers.forEach((l, k) => {
    const x0 = left + k * groupW;
    bars.forEach(([value, color], b) => {
      ctx.fillStyle = color(l);
      ctx.fillRect(x0 + b * (twin ? 2 : 1) * slot, H - bottom - barHeight(value(l)), slot - 3 * s, barHeight(value(l)));
      if (twin) paleBar(ctx, color(twin[k]), x0 + (2 * b + 1) * slot, H - bottom - barHeight(value(twin[k])), slot - 3 * s, barHeight(value(twin[k])), s);
    });
    ctx.fillStyle = '#5b6475';
    ctx.fillText(named ? t('layer') + ' ' + (k + 1) : String(k + 1), x0, H - 4 * s);
    const tallest = Math.max(...bars.map(([value]) => Math.max(value(l), twin ? value(twin[k]) : 0))); // the values clear of every bar
    const above = H - bottom - barHeight(tallest) - 3 * s;
    ctx.fillStyle = GRAD_COLOR;
    const meet = x0 + 5 * slot - 1.5 * s; // where a compare-mode pair of gradient bars meet
    if (!twin && fits(grad(l), 0.75)) { // centred over its bar
      ctx.textAlign = 'center';
      ctx.fillText(grad(l), x0 + 2.5 * slot - 1.5 * s, above);
    } else if (stacked && fits(grad(l), 0.9) && fits(grad(twin[k]), 0.9)) { // the twin's above the run's, over the pair
      ctx.textAlign = 'center';
      ctx.fillText(grad(l), meet, above);
      ctx.globalAlpha = 0.6;
      ctx.fillText(grad(twin[k]), meet, above - letter - 2 * s);
      ctx.globalAlpha = 1;
    } else if (twin && !stacked) { // the pair's, either side of their meeting
      ctx.textAlign = 'right';
      ctx.fillText(grad(l), meet - 2 * s, above);
      ctx.textAlign = 'left';
      ctx.globalAlpha = 0.6;
      ctx.fillText(grad(twin[k]), meet + 2 * s, above);
      ctx.globalAlpha = 1;
    }
    ctx.textAlign = 'left';
  });
  legend.forEach((row, r) => legendRow(ctx, row, keys.map(([name, color]) => [name, color, false]), W, r, letter, s));
  const nets = [[runName, '#5b6475', false], [twinName, '#5b6475', true]];
  whose.forEach((row, r) => legendRow(ctx, row, nets, W, legend.length + r, letter, s));
}

// shareAxis marks the dead and saturated shares' scale at the chart's
// left, 0, 50% and 100%, with faint lines across under the bars (the
// gradient's bars have their values above them: their scale is a log one).
function shareAxis(ctx, left, top, bottom, W, letter, s) {
  ctx.textAlign = 'right';
  for (const share of [0, 0.5, 1]) {
    const y = Math.round(bottom - (bottom - top) * share);
    ctx.fillStyle = '#e3e6ec';
    ctx.fillRect(left - 3 * s, y, W - left - 7 * s, Math.max(1, s));
    ctx.fillStyle = '#5b6475';
    ctx.fillText(`${100 * share}%`, left - 6 * s, y + letter / 3);
  }
  ctx.textAlign = 'left';
}

// paleBar draws a compare-mode twin's bar: its colour pale, its edge full.
function paleBar(ctx, color, x, y, w, h, s) {
  ctx.globalAlpha = 0.35;
  ctx.fillStyle = color;
  ctx.fillRect(x, y, w, h);
  ctx.globalAlpha = 1;
  ctx.strokeStyle = color;
  ctx.lineWidth = Math.max(1, s);
  if (h > 0) ctx.strokeRect(x + ctx.lineWidth / 2, y + ctx.lineWidth / 2, w - ctx.lineWidth, h - ctx.lineWidth);
}

// legendRow draws legend row r at the chart's right: each item a swatch
// (pale where the item is the twin's) and its name.
function legendRow(ctx, row, items, W, r, letter, s) {
  let lx = W - 8 * s - row.width;
  const y = 6 * s + r * (letter + 8 * s);
  for (const b of row.items) {
    const [name, color, pale] = items[b];
    if (pale) paleBar(ctx, color, lx, y, letter, letter, s);
    else { ctx.fillStyle = color; ctx.fillRect(lx, y, letter, letter); }
    ctx.fillStyle = '#5b6475';
    ctx.fillText(name, lx + letter + 4 * s, y + letter - 1 * s);
    lx += letter + 4 * s + ctx.measureText(name).width + 22 * s;
  }
}

// healthText says the health chart's figures in words, for its
// aria-label: each layer's, and the twin's beside them in compare mode
// (the epoch's mean ‖dW‖; – before a step).
function healthText(layers, twin, stepped) {
  const pct = (v) => `${Math.round(100 * v)}%`;
  const second = (h) => isMaxout(h) ? `${t('idleShare')} ${pct(h.idlePieces)}` : `${t('saturatedShare')} ${pct(h.saturatedFraction)}`;
  const one = (h, name) => `${name} ${t('dead')} ${pct(h.deadFraction)}, ${second(h)}, ${t('meanGrad')} ${stepped ? h.gradNorm.toExponential(1) : '–'}`;
  return t('healthBy') + '. ' + layers.map((l, k) => `${t('layer')} ${k + 1}: ${one(l, l.act)}` + (twin ? `; ${one(twin[k], twin[k].act)}` : '')).join('. ');
}

// legendRows lays a legend's names (each after a swatch) out in rows no
// wider than width: one on a wide chart, more on a phone's.
function legendRows(ctx, names, width, letter, s) {
  const rows = [];
  names.forEach((name, b) => {
    const w = letter + 4 * s + ctx.measureText(name).width;
    const row = rows[rows.length - 1];
    if (row && row.width + 22 * s + w <= width) {
      row.items.push(b);
      row.width += 22 * s + w;
    } else {
      rows.push({ items: [b], width: w });
    }
  });
  return rows;
}
