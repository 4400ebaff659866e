import { TIMELINE_MARKERS_SCRIPT } from '../report/timeline-markers-script.js';

/**
 * The dashboard page's script (plain browser JS, no build step; uPlot is inlined before it).
 * It loads /api/state, then follows /events: each window adds a point to every chart and
 * replaces the tables. Per-endpoint charts and tables are built from whatever endpoints the
 * windows carry, grouped by kind (`http`, `ws`, and any kind a later loadgen adds: custom
 * trends arrive as endpoints of kind `custom`, with their unit); custom counters, rates and gauges
 * have a table of their own.
 * body[data-phase], [data-windows], [data-users] say where the page is (the tests wait on them).
 */
export const DASHBOARD_SCRIPT = `
${TIMELINE_MARKERS_SCRIPT}
(function () {
  var meta = JSON.parse(document.getElementById('run-meta').textContent);
  var token = new URLSearchParams(location.search).get('token');
  var q = token ? '?token=' + encodeURIComponent(token) : '';
  var colors = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777'];
  var KIND_TITLES = { http: 'HTTP endpoints', ws: 'Sockets (ws)', custom: 'Custom metrics' };
  var state = { windows: [], figures: null, timeline: [], status: null, ended: false, interrupted: false };
  var charts = {};
  var dirty = false;
  var $ = function (id) { return document.getElementById(id); };
  var ENTITIES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
  function esc(s) { return String(s).replace(/[&<>"']/g, function (c) { return ENTITIES[c]; }); }
  function fmt(v, d) {
    if (d === undefined) d = 1;
    if (v == null || !isFinite(v)) return '-';
    return Number(v.toFixed(d)).toLocaleString('en-US', { maximumFractionDigits: d });
  }
  // Every change comes labelled by the server (model/steering-label.ts), as the report and loadgen control write it.
  function marks() { return state.timeline.map(function (c) { return { t: c.t, label: c.label, color: '#b45309' }; }); }
  document.querySelectorAll('a.csv').forEach(function (a) { a.href = 'api/endpoints.csv' + q; });
  $('report-link').href = 'report' + q;

  // One chart: created on first data, re-created when its lines change, else given the new data.
  function chart(el, names, units, data) {
    var key = names.join('|');
    var c = charts[el.id];
    if (c && c.key !== key) { c.u.destroy(); c = undefined; }
    if (!c) {
      var series = [{ label: 's', value: function (u, v) { return v == null ? '-' : v + ' s'; } }];
      names.forEach(function (n, i) {
        series.push({ label: n, stroke: colors[i % colors.length], width: 2, spanGaps: true, points: { show: false },
          value: function (u, v) { return v == null ? '-' : fmt(v, 2) + units; } });
      });
      var u = new uPlot({
        width: Math.max(280, el.clientWidth || 480), height: 200, series: series,
        scales: { x: { time: false }, y: { auto: true, range: function (u, min, max) { return [0, max > 0 ? max * 1.1 : 1]; } } },
        axes: [{ label: 'seconds since start' }, { size: 60 }],
        legend: { live: true },
        plugins: [timelinePlugin(marks)],
      }, data, el);
      c = charts[el.id] = { u: u, key: key };
    } else c.u.setData(data);
    el.setAttribute('data-drawn', String(names.length));
  }
  function column(pick) { return state.windows.map(pick); }
  // A window is drawn where it closed (its users are those at its end, its rates over it): a
  // change then shows right of its marker, never before it.
  function xs() { return column(function (w) { return w.t + meta.windowSec; }); }
  var perSec = function (n) { return n / meta.windowSec; };
  var busiest = function (g, f) { return g ? Math.max.apply(null, g.threads.map(f).concat([0])) : null; };

  function drawCharts() {
    var x = xs();
    var sockets = state.windows.some(function (w) { return w.ws; });
    chart($('chart-users'), sockets ? ['users', 'sockets'] : ['users'], '', [x, column(function (w) { return w.activeUsers; })]
      .concat(sockets ? [column(function (w) { return w.ws ? w.ws.connected : null; })] : []));
    chart($('chart-rps'), ['req/s', 'errors/s'], '/s', [x, column(function (w) { return perSec(w.requests); }), column(function (w) { return perSec(w.errors); })]);
    var kinds = [];
    state.windows.forEach(function (w) { Object.keys(w.errorKinds).forEach(function (k) { if (kinds.indexOf(k) < 0) kinds.push(k); }); });
    kinds.sort();
    chart($('chart-errors'), kinds.length ? kinds : ['errors'], '/s', [x].concat(kinds.length
      ? kinds.map(function (k) { return column(function (w) { return perSec(w.errorKinds[k] || 0); }); })
      : [column(function () { return 0; })]));
    var lat = function (p) { return column(function (w) { return w.requests > 0 && w.latency ? w.latency[p] : null; }); };
    chart($('chart-latency'), ['p50', 'p95', 'p99'], ' ms', [x, lat('p50'), lat('p95'), lat('p99')]);
    chart($('chart-busy'), ['busiest thread', 'process CPU'], '%', [x,
      column(function (w) { var b = busiest(w.generator, function (t) { return t.busy; }); return b == null ? null : 100 * b; }),
      column(function (w) { return w.generator ? 100 * w.generator.cpu : null; })]);
    chart($('chart-loop'), ['loop delay p99'], ' ms', [x, column(function (w) { return busiest(w.generator, function (t) { return t.loopP99Ms; }); })]);
    drawEndpointCharts(x);
  }

  // Endpoints grouped by kind, in the table's order; each gets a p50/p95/p99 chart.
  function groups() {
    var out = {};
    var rows = state.figures ? state.figures.rows : [];
    rows.forEach(function (r) { (out[r.kind] = out[r.kind] || []).push(r); });
    return out;
  }
  function drawEndpointCharts(x) {
    var holder = $('endpoint-charts');
    var g = groups();
    Object.keys(g).sort(function (a, b) { return a === 'http' ? -1 : b === 'http' ? 1 : a < b ? -1 : 1; }).forEach(function (kind) {
      var section = document.getElementById('kind-' + kind);
      if (!section) {
        section = document.createElement('div');
        section.id = 'kind-' + kind;
        section.innerHTML = '<h3>' + esc(KIND_TITLES[kind] || kind) + ': p50 / p95 / p99 over time' + (kind === 'custom' ? '' : ' (ms)') + '</h3><div class="grid4"></div>';
        holder.appendChild(section);
      }
      var grid = section.querySelector('.grid4');
      g[kind].forEach(function (r) {
        var id = 'ep-' + encodeURIComponent(r.endpoint).replace(/%/g, '_');
        var el = document.getElementById(id);
        if (!el) {
          var fig = document.createElement('figure');
          fig.innerHTML = '<figcaption>' + esc(r.endpoint + (kind === 'custom' ? ' (' + (r.unit || 'ms') + ')' : '')) + '</figcaption><div class="chart"></div>';
          el = fig.querySelector('.chart');
          el.id = id;
          el.setAttribute('data-endpoint', r.endpoint);
          grid.appendChild(fig);
        }
        // A window that timed none of the endpoint's samples has no percentiles (null), not 0.
        var pick = function (p) { return column(function (w) { var e = w.endpoints[r.endpoint]; return e && e.count > 0 ? e[p] : null; }); };
        chart(el, ['p50', 'p95', 'p99'], ' ' + (r.unit || 'ms'), [x, pick('p50'), pick('p95'), pick('p99')]);
      });
    });
  }

  // A row counted but never timed (model/never-timed.ts: only failures without a value) has no
  // percentiles: '-', as the end-of-run table shows it. A custom trend's figures are in its unit,
  // to the 3 significant digits its histogram keeps (terminal/custom-tables.ts unitFigure).
  function cells(r, units) {
    var fig = function (v) { return !r.timed ? '-' : r.unit ? fmt(Number(v.toPrecision(3)), 3) : fmt(v); };
    return '<td>' + esc(r.endpoint + (r.setup ? ' (setup)' : '')) + '</td><td>' + fmt(r.count, 0) + '</td><td>' + fmt(r.errors, 0) +
      '</td><td>' + fmt(r.rps) + '</td><td>' + fig(r.p50) + '</td><td>' + fig(r.p95) + '</td><td>' + fig(r.p99) + '</td><td>' + fig(r.max) + '</td>' +
      (units ? '<td>' + esc(r.unit || 'ms') + '</td>' : '');
  }
  function head(units) {
    var u = units ? '' : ' ms';
    return '<thead><tr><th>endpoint</th><th>requests</th><th>errors</th><th>req/s</th><th>p50' + u + '</th><th>p95' + u + '</th><th>p99' + u +
      '</th><th>max' + u + '</th>' + (units ? '<th>unit</th>' : '') + '</tr></thead>';
  }
  function drawTables() {
    var f = state.figures;
    if (!f) return;
    var g = groups();
    var html = '';
    Object.keys(g).concat(g.http ? [] : ['http']).sort(function (a, b) { return a === 'http' ? -1 : b === 'http' ? 1 : a < b ? -1 : 1; }).forEach(function (kind) {
      // Custom trends say their unit (ms unless the script declared another), as the end-of-run table does.
      var units = kind === 'custom';
      var rows = (g[kind] || []).map(function (r) { return '<tr data-endpoint="' + esc(r.endpoint) + '">' + cells(r, units) + '</tr>'; }).join('');
      if (kind === 'http') rows += '<tr class="total" data-endpoint="Total">' + cells(f.total, false) + '</tr>';
      html += '<h3>' + esc(KIND_TITLES[kind] || kind) + '</h3><table class="live endpoint-table" data-kind="' + esc(kind) + '">' + head(units) + '<tbody>' + rows + '</tbody></table>';
    });
    $('endpoint-tables').innerHTML = html;
    $('metrics').innerHTML = f.metrics.length === 0 ? '' :
      '<h3>Custom counters, rates and gauges (so far)</h3><table class="live metrics"><thead><tr><th>metric</th><th>type</th><th>value</th><th></th></tr></thead><tbody>' +
      f.metrics.map(function (m) {
        return '<tr data-metric="' + esc(m.name) + '"><td>' + esc(m.name) + '</td><td>' + esc(m.type) + '</td><td>' + esc(m.value) + '</td><td>' + esc(m.detail) + '</td></tr>';
      }).join('') + '</tbody></table>';
    $('thresholds').innerHTML = f.thresholds.length === 0 ? '<p class="muted">none set</p>' :
      '<table class="live thresholds"><thead><tr><th>threshold</th><th>so far</th><th>result</th></tr></thead><tbody>' +
      f.thresholds.map(function (t) {
        return '<tr><td>' + esc(t.expr) + '</td><td>' + esc(t.actualText) + '</td><td class="' + (t.passed ? 'pass">pass' : 'fail">FAIL') + '</td></tr>';
      }).join('') + '</tbody></table>';
    $('checks').innerHTML = f.checks.length === 0 ? '<p class="muted">none</p>' :
      '<table class="live checks"><thead><tr><th>check</th><th>passes</th><th>fails</th><th>passed</th></tr></thead><tbody>' +
      f.checks.map(function (c) {
        return '<tr><td>' + esc(c.label) + '</td><td>' + c.passes + '</td><td>' + c.fails + '</td><td>' + fmt(100 * c.passes / Math.max(1, c.passes + c.fails), 2) + '%</td></tr>';
      }).join('') + '</tbody></table>';
    $('failures').innerHTML = f.failures.length === 0 ? '<p class="muted">none</p>' :
      '<table class="live failures"><thead><tr><th>endpoint</th><th>kind</th><th>count</th><th>sample</th></tr></thead><tbody>' +
      f.failures.map(function (x) { return '<tr><td>' + esc(x.endpoint) + '</td><td>' + esc(x.kind) + '</td><td>' + x.count + '</td><td class="sample">' + esc(x.sample) + '</td></tr>'; }).join('') + '</tbody></table>';
  }

  function drawNow() {
    var w = state.windows[state.windows.length - 1];
    var f = state.figures;
    var g = w && w.generator;
    var tiles = [
      ['users', w ? w.activeUsers : '-'],
      ['req/s (last window)', w ? fmt(perSec(w.requests)) : '-'],
      ['p95 ms (last window)', w && w.requests > 0 && w.latency ? fmt(w.latency.p95) : '-'],
      ['errors (run so far)', f && f.total.count > 0 ? fmt(100 * f.total.errors / f.total.count, 2) + '%' : '-'],
      ['p99 ms (run so far)', f && f.total.timed ? fmt(f.total.p99) : '-'],
      ['busiest thread', g ? fmt(100 * busiest(g, function (t) { return t.busy; }), 0) + '%' : '-'],
      ['loop delay p99', g ? fmt(busiest(g, function (t) { return t.loopP99Ms; })) + ' ms' : '-'],
    ];
    if (f && f.droppedIterations > 0) tiles.push(['dropped iterations', f.droppedIterations]);
    if (f && f.peakConnected != null) tiles.push(['sockets (peak)', f.peakConnected]);
    $('now').innerHTML = tiles.map(function (t) { return '<div><b>' + esc(t[1]) + '</b><span>' + esc(t[0]) + '</span></div>'; }).join('');
    var gen = f && f.generator;
    var warn = $('saturated');
    warn.className = gen && gen.saturated ? 'warn on' : 'warn';
    warn.textContent = gen && gen.saturated ? 'The generator is saturated (a thread >= ' + Math.round(gen.rule.busy * 100) + '% busy or event-loop delay p99 >= ' +
      gen.rule.loopP99Ms + ' ms, ' + gen.rule.windows + ' windows in a row): latencies include loadgen\\'s own queueing.' : '';
  }

  function drawStatus() {
    var s = state.status || { phase: 'waiting' };
    // The users are done but the summary is not out yet: 'ended' waits for it (the end event).
    var phase = state.ended ? 'ended' : s.phase === 'ended' ? 'finishing' : s.phase;
    document.body.setAttribute('data-phase', phase);
    document.body.setAttribute('data-windows', String(state.windows.length));
    var w = state.windows[state.windows.length - 1];
    if (w) document.body.setAttribute('data-users', String(w.activeUsers));
    document.body.setAttribute('data-timeline', String(state.timeline.length));
    var pill = $('phase');
    pill.textContent = state.ended && state.interrupted ? 'interrupted' : phase;
    pill.className = 'pill ' + (state.ended && state.interrupted ? 'interrupted' : phase);
    var elapsed = state.figures ? state.figures.elapsedSec : 0;
    $('clock').textContent = fmt(elapsed, 0) + ' / ' + meta.durationSec + ' s';
    var running = phase === 'running';
    document.querySelectorAll('#steer-form input, #apply').forEach(function (el) { el.disabled = !running; });
    $('stop').disabled = !(running || phase === 'starting');
    if (!dirty && s.target !== undefined) {
      if ($('users-input')) { $('users-input').value = Math.round(s.target); $('spawn-input').value = s.spawnRate; }
      if ($('rate-input')) $('rate-input').value = s.target;
    }
    if (state.ended) $('ended-text').textContent = state.interrupted ? 'Stopped before its end: the summary covers the run up to the stop.' : 'The run went its whole duration.';
  }

  function drawAll() { drawStatus(); drawNow(); drawTables(); drawCharts(); }

  // Windows come in time order but for the last few of a run and a reload's: only those re-sort.
  function addWindow(w) {
    var last = state.windows[state.windows.length - 1];
    if (!last || last.t < w.t) { state.windows.push(w); return; }
    var list = state.windows.filter(function (x) { return x.t !== w.t; });
    list.push(w);
    list.sort(function (a, b) { return a.t - b.t; });
    state.windows = list;
  }

  function message(text, error) {
    var m = $('steer-message');
    m.textContent = text;
    m.className = error ? 'error' : '';
  }
  function send(body) {
    return fetch('api/control' + q, { method: 'POST', headers: { 'content-type': 'application/json', 'x-loadgen-source': 'page' }, body: JSON.stringify(body) })
      .then(function (r) { return r.json().then(function (j) { return { status: r.status, body: j }; }); })
      .then(function (r) {
        if (r.status !== 200) return message(r.body.error || ('HTTP ' + r.status), true);
        dirty = false;
        message('at ' + r.body.change.t + ' s: ' + r.body.change.label, false);
      }, function (e) { message('not sent: ' + e.message, true); });
  }
  document.querySelectorAll('#steer-form input').forEach(function (el) { el.addEventListener('input', function () { dirty = true; }); });
  $('steer-form').addEventListener('submit', function (e) {
    e.preventDefault();
    // The server says what is wrong with a value (the form does not validate): one message for all.
    var value = function (id) { var v = $(id).value; return v === '' ? null : Number(v); };
    if ($('users-input')) {
      var body = { users: value('users-input') };
      if ($('spawn-input').value !== '') body.spawnRate = value('spawn-input');
      send(body);
    } else send({ rate: value('rate-input') });
  });
  $('stop').addEventListener('click', function () { send({ stop: true }); });

  // The figures of the latest window seen: a state loaded late must not replace newer ones.
  var figuresAt = -1;
  function setFigures(f, t) {
    if (t < figuresAt) return;
    figuresAt = t;
    state.figures = f;
  }
  function load() {
    return fetch('api/state' + q).then(function (r) { return r.json(); }).then(function (s) {
      s.windows.forEach(addWindow);
      var last = s.windows.length ? s.windows[s.windows.length - 1].t : -1;
      var fresh = s.ended || last >= figuresAt;
      setFigures(s.figures, s.ended ? Infinity : last);
      if (fresh) {
        state.timeline = s.timeline;
        state.status = s.status;
      }
      state.ended = state.ended || s.ended;
      state.interrupted = state.interrupted || s.interrupted;
      if (state.ended && stream) stream.close();
      drawAll();
    });
  }
  var stream;
  function follow() {
    stream = new EventSource('events' + q);
    var lost = false;
    stream.addEventListener('window', function (e) {
      var m = JSON.parse(e.data);
      addWindow(m.window);
      setFigures(m.figures, m.window.t);
      state.timeline = m.timeline;
      state.status = m.status;
      drawAll();
    });
    stream.addEventListener('steer', function (e) {
      var m = JSON.parse(e.data);
      state.timeline = m.status.timeline;
      state.status = m.status;
      drawStatus();
      drawCharts();
    });
    stream.addEventListener('end', function (e) {
      var m = JSON.parse(e.data);
      setFigures(m.figures, Infinity);
      state.timeline = m.timeline;
      state.status = m.status;
      state.ended = true;
      state.interrupted = m.interrupted;
      stream.close();
      drawAll();
    });
    stream.onerror = function () {
      if (state.ended) return;
      lost = true;
      $('phase').textContent = 'connection lost';
      $('phase').className = 'pill lost';
    };
    // Back after a loss: windows may have closed meanwhile; the state has them all.
    stream.onopen = function () { if (lost) { lost = false; load(); } };
  }
  // The stream first, then the state: no window closes unseen in between.
  follow();
  load();
})();
`;
