/**
 * The history page's own script (plain browser JS, no build step): one uPlot chart per endpoint
 * and figure from the JSON in #history-data, the runs as points (x = run number), each change
 * point a dashed line before its first run (red a regression, green an improvement, grey a
 * change with no better way or an accepted one), and a click on a run opening its summary.
 */
export const HISTORY_CHART_SCRIPT = `
(function () {
  var data = JSON.parse(document.getElementById('history-data').textContent);
  var colours = { regression: '#dc2626', improvement: '#16a34a', change: '#6b7280', accepted: '#9ca3af' };
  function fmt(v, unit) {
    if (v == null) return '-';
    if (unit === 'ratio') return (Math.round(v * 10000) / 100) + '%';
    // Any other unit is a custom trend's own (players, bytes...).
    return (Math.round(v * 100) / 100) + (unit === 'ms' ? ' ms' : unit === 'per_s' ? ' /s' : unit ? ' ' + unit : '');
  }
  function marks(changes) {
    return function (u) {
      var ctx = u.ctx;
      changes.forEach(function (c) {
        var x = Math.round(u.valToPos(c.runIndex + 0.5, 'x', true));
        ctx.save();
        ctx.strokeStyle = colours[c.accepted ? 'accepted' : c.verdict];
        ctx.lineWidth = 2 * devicePixelRatio;
        ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
        ctx.beginPath();
        ctx.moveTo(x, u.bbox.top);
        ctx.lineTo(x, u.bbox.top + u.bbox.height);
        ctx.stroke();
        ctx.restore();
      });
    };
  }
  data.series.forEach(function (series) {
    var x = series.runs.map(function (_, i) { return i + 1; });
    series.charts.forEach(function (chart) {
      var el = document.getElementById(chart.id);
      var width = Math.max(260, el.clientWidth || 360);
      var u = new uPlot({
        width: width,
        height: 170,
        series: [
          { label: 'run', value: function (u, v) { if (v == null) return '-'; var r = series.runs[v - 1]; return r ? v + ': ' + r.testid : '-'; } },
          { label: chart.metric, stroke: '#2563eb', width: 1, spanGaps: true, points: { show: true, size: 6, fill: '#2563eb' },
            value: function (u, v) { return fmt(v, chart.unit); } },
        ],
        scales: { x: { time: false, range: [0.5, series.runs.length + 0.5] }, y: { range: function (u, min, max) { return [0, max > 0 ? max * 1.15 : 1]; } } },
        axes: [{ label: 'run' }, { size: 60 }],
        legend: { show: true, live: true },
        cursor: { drag: { x: false, y: false } },
        hooks: { draw: [marks(chart.changes)] },
      }, [x, chart.values], el);
      // A click on the chart opens the run under the cursor: its summary.json, relative to this page.
      u.over.style.cursor = 'pointer';
      u.over.addEventListener('click', function () {
        var i = u.cursor.idx;
        if (i != null && series.runs[i]) window.location.href = series.runs[i].href;
      });
      el.setAttribute('data-drawn', String(chart.values.filter(function (v) { return v != null; }).length));
      el.setAttribute('data-changes', String(chart.changes.length));
    });
  });
})();
`;
