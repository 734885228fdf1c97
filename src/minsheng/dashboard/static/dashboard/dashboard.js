/* Draw the dashboard's charts from the options the server put in #dashboard-charts (CSP: no inline
   script). A click on a bar or slice opens the list of items behind it. */
(function () {
  "use strict";
  var source = document.getElementById("dashboard-charts");
  if (!source || typeof window.echarts === "undefined") { return; }
  var options = JSON.parse(source.textContent);
  var charts = [];
  Object.keys(options).forEach(function (id) {
    var element = document.getElementById(id);
    if (!element) { return; }
    var chart = window.echarts.init(element, null, { renderer: "svg" });
    chart.setOption(options[id]);
    chart.on("click", function (params) {
      if (params.data && params.data.url) { window.location.assign(params.data.url); }
    });
    charts.push(chart);
  });
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
  document.documentElement.dataset.chartsReady = String(charts.length);
})();
