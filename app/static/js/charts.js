// Draws every chart on the page from its JSON spec (<script type="application/json" data-chart-for=ID>),
// with the locally served plotly.js. No inline script, no eval.
(function () {
  "use strict";
  if (!window.Plotly) return;
  document.querySelectorAll("script[type='application/json'][data-chart-for]").forEach(function (spec) {
    var target = document.getElementById(spec.getAttribute("data-chart-for"));
    if (!target) return;
    var figure = JSON.parse(spec.textContent);
    window.Plotly.newPlot(target, figure.data, figure.layout, { displaylogo: false, responsive: true });
  });
})();
