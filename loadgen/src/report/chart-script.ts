import { TIMELINE_MARKERS_SCRIPT } from './timeline-markers-script.js';

/**
 * The page's own script (plain browser JS, no build step): draws every chart from the JSON in
 * #report-data with uPlot, which the page inlines before it. Run colours match the tables' chips.
 * Steering changes (data.marks) are drawn on every chart over time.
 */
export const CHART_SCRIPT = `
${TIMELINE_MARKERS_SCRIPT}
(function () {
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var colors = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777'];
  var marks = (data.marks || []).map(function (m) { return { t: m.t, label: m.label, color: colors[m.run % colors.length] }; });
  var ninesLabel = function (n) {
    var p = 100 * (1 - Math.pow(10, -n));
    return (Math.round(p * 1000) / 1000) + '%';
  };
  function draw(el, chart, opts) {
    var width = Math.max(280, el.clientWidth || 480);
    var series = [{ label: opts.xLabel, value: opts.xValue }];
    chart.lines.forEach(function (line) {
      series.push({
        label: line.label,
        stroke: colors[line.run % colors.length],
        width: 2,
        spanGaps: opts.spanGaps === true,
        points: { show: chart.x.length < 40 },
        value: function (u, v) { return v == null ? '-' : (Math.round(v * 100) / 100) + (opts.unit || ''); },
      });
    });
    var yScale = opts.log ? { distr: 3, log: 10 } : { auto: true, range: function (u, min, max) { return [0, max > 0 ? max * 1.1 : 1]; } };
    var u = new uPlot({
      width: width,
      height: opts.height || 220,
      series: series,
      scales: { x: { time: false }, y: yScale },
      axes: [
        { label: opts.xLabel, values: opts.xTicks, splits: opts.xSplits },
        { label: opts.yLabel, size: 60 },
      ],
      legend: { show: opts.legend !== false, live: true },
      cursor: { drag: { x: true, y: false } },
      plugins: opts.log ? [] : [timelinePlugin(function () { return marks; })],
    }, [chart.x].concat(chart.lines.map(function (l) { return l.y; })), el);
    el.setAttribute('data-drawn', String(chart.lines.length));
    return u;
  }
  var seconds = function (u, v) { return v == null ? '-' : v + ' s'; };
  draw(document.getElementById('chart-rps'), data.rps, { xLabel: 'seconds since start', xValue: seconds, yLabel: 'req/s' });
  draw(document.getElementById('chart-users'), data.users, { xLabel: 'seconds since start', xValue: seconds, yLabel: 'users' });
  if (data.sockets) draw(document.getElementById('chart-sockets'), data.sockets, { xLabel: 'seconds since start', xValue: seconds, yLabel: 'sockets', spanGaps: true });
  if (data.messages) draw(document.getElementById('chart-messages'), data.messages, { xLabel: 'seconds since start', xValue: seconds, yLabel: 'messages/s', spanGaps: true });
  if (data.busy) draw(document.getElementById('chart-busy'), data.busy, { xLabel: 'seconds since start', xValue: seconds, yLabel: 'busiest thread %', unit: '%', spanGaps: true });
  if (data.loop) draw(document.getElementById('chart-loop'), data.loop, { xLabel: 'seconds since start', xValue: seconds, yLabel: 'loop delay p99 ms', unit: ' ms', spanGaps: true });
  draw(document.getElementById('chart-percentiles'), data.percentiles, {
    xLabel: 'percentile', yLabel: 'ms (log)', unit: ' ms', log: true, height: 280,
    xValue: function (u, v) { return v == null ? '-' : ninesLabel(v); },
    xSplits: function () { return [Math.log10(2), 1, 2, 3, 4]; },
    xTicks: function (u, splits) { return splits.map(ninesLabel); },
  });
  data.p95.forEach(function (item, i) {
    var unit = item.unit || 'ms';
    draw(document.getElementById('chart-p95-' + i), item.chart, { xLabel: 'seconds since start', xValue: seconds, yLabel: 'p95 ' + unit, unit: ' ' + unit, height: 180, legend: false, spanGaps: true });
  });
  var perType = { counter: ['per second', '/s'], rate: ['% true', '%'], gauge: ['value', ''] };
  (data.metrics || []).forEach(function (item, i) {
    var t = perType[item.type] || ['', ''];
    draw(document.getElementById('chart-metric-' + i), item.chart, { xLabel: 'seconds since start', xValue: seconds, yLabel: t[0], unit: t[1], height: 180, legend: false, spanGaps: true });
  });
})();
`;
