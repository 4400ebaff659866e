/**
 * Browser JS (no build step) shared by the HTML report and the live dashboard: a uPlot plugin that
 * draws each steering change (summary `timeline`) as a dashed vertical line with its value, on any
 * chart whose x axis is seconds since the start. `marks`: [{ t, label, color }].
 */
export const TIMELINE_MARKERS_SCRIPT = `
function timelinePlugin(getMarks) {
  return {
    hooks: {
      draw: [function (u) {
        var marks = getMarks() || [];
        if (marks.length === 0) return;
        var ctx = u.ctx;
        var top = u.bbox.top;
        var bottom = u.bbox.top + u.bbox.height;
        ctx.save();
        ctx.setLineDash([5, 4]);
        ctx.lineWidth = 1.5 * devicePixelRatio;
        ctx.font = (10 * devicePixelRatio) + 'px system-ui, sans-serif';
        marks.forEach(function (m) {
          if (m.t < u.scales.x.min || m.t > u.scales.x.max) return;
          var x = Math.round(u.valToPos(m.t, 'x', true));
          ctx.strokeStyle = m.color || '#6b7280';
          ctx.fillStyle = m.color || '#6b7280';
          ctx.beginPath();
          ctx.moveTo(x, top);
          ctx.lineTo(x, bottom);
          ctx.stroke();
          ctx.fillText(m.label, x + 3 * devicePixelRatio, top + 10 * devicePixelRatio);
        });
        ctx.restore();
      }],
    },
  };
}
`;
