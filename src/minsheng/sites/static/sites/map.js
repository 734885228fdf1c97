/* The sites map (点位地图) from #sites-map-data (CSP: no inline script). Offline by default: the
   district's outline (GeoJSON registered with ECharts) and the sites as points; without an outline, the
   points on longitude/latitude axes. When the server names a tile URL ({z}/{x}/{y}), the outline is drawn
   in Web Mercator over the tiles, which are laid under it as images and redrawn after each pan or zoom. */
(function () {
  "use strict";
  var source = document.getElementById("sites-map-data");
  var element = document.getElementById("sites-map");
  if (!source || !element || typeof window.echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var chart = window.echarts.init(element, null, { renderer: "svg" });
  var tooltip = {
    trigger: "item",
    formatter: function (p) {
      if (!p.data || !p.data.item) { return p.name || ""; }
      var div = document.createElement("div");
      div.textContent = p.data.name + (p.data.town ? "（" + p.data.town + "）" : "") + " · " + p.data.item;
      return div.innerHTML;
    }
  };
  var points = { type: "scatter", name: "sites", data: data.points, symbolSize: 11,
    itemStyle: { color: "#c0392b" }, emphasis: { label: { show: true, formatter: "{b}", position: "right" } } };
  var rad = Math.PI / 180;
  function mercY(lat) { return Math.log(Math.tan(Math.PI / 4 + lat * rad / 2)) / rad; }
  function unmercY(y) { return (2 * Math.atan(Math.exp(y * rad)) - Math.PI / 2) / rad; }
  if (data.outline) {
    window.echarts.registerMap("sites-district", data.outline);
    var geo = { map: "sites-district", roam: true, label: { show: false },
      itemStyle: { areaColor: data.tiles ? "rgba(255,255,255,0.15)" : "#eef3f8", borderColor: "#1f4e79", borderWidth: 1.5 },
      emphasis: { disabled: true } };
    if (data.tiles) {
      geo.projection = {
        project: function (c) { return [c[0], -mercY(c[1])]; },
        unproject: function (p) { return [p[0], unmercY(-p[1])]; }
      };
    }
    points.coordinateSystem = "geo";
    chart.setOption({ animation: false, tooltip: tooltip, geo: geo, series: [points] });
  } else {
    chart.setOption({ animation: false, tooltip: tooltip,
      xAxis: { type: "value", scale: true, name: "E" }, yAxis: { type: "value", scale: true, name: "N" },
      series: [points] });
  }
  chart.on("click", function (p) { if (p.data && p.data.url) { window.location.assign(p.data.url); } });

  function lon2x(lon, z) { return Math.floor((lon + 180) / 360 * Math.pow(2, z)); }
  function lat2y(lat, z) { var r = lat * rad; return Math.floor((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2 * Math.pow(2, z)); }
  function x2lon(x, z) { return x / Math.pow(2, z) * 360 - 180; }
  function y2lat(y, z) { var n = Math.PI - 2 * Math.PI * y / Math.pow(2, z); return Math.atan(Math.sinh(n)) / rad; }
  function drawTiles() {
    if (!data.tiles || !data.outline) { return; }
    // The view maps Mercator coordinates to pixels linearly: fit it on two points with convertToPixel
    // (convertFromPixel gives projected, not geographic, coordinates), then invert it for the corners.
    var p1 = [119, 31], p2 = [120, 32];
    var a = chart.convertToPixel({ geoIndex: 0 }, p1), b = chart.convertToPixel({ geoIndex: 0 }, p2);
    if (!a || !b) { return; }
    var sx = (b[0] - a[0]) / (p2[0] - p1[0]), sy = (b[1] - a[1]) / (mercY(p2[1]) - mercY(p1[1]));
    function corner(px, py) {
      return [p1[0] + (px - a[0]) / sx, unmercY(mercY(p1[1]) + (py - a[1]) / sy)];
    }
    var nw = corner(0, 0), se = corner(element.clientWidth, element.clientHeight);
    var span = Math.max(se[0] - nw[0], 0.0001);
    var z = Math.max(1, Math.min(18, Math.round(Math.log(360 * element.clientWidth / 256 / span) / Math.LN2)));
    var images = [];
    for (var x = lon2x(nw[0], z); x <= lon2x(se[0], z); x++) {
      for (var y = lat2y(nw[1], z); y <= lat2y(se[1], z); y++) {
        var a = chart.convertToPixel({ geoIndex: 0 }, [x2lon(x, z), y2lat(y, z)]);
        var b = chart.convertToPixel({ geoIndex: 0 }, [x2lon(x + 1, z), y2lat(y + 1, z)]);
        var url = data.tiles.replace("{z}", z).replace("{x}", x).replace("{y}", y);
        images.push({ type: "image", silent: true, z: -10,
          style: { image: url, x: a[0], y: a[1], width: b[0] - a[0], height: b[1] - a[1] } });
        if (images.length > 200) { break; }
      }
    }
    chart.setOption({ graphic: { elements: images } }, { replaceMerge: ["graphic"] });
  }
  chart.on("georoam", drawTiles);
  drawTiles();
  window.addEventListener("resize", function () { chart.resize(); drawTiles(); });
  element.dataset.ready = String(data.points.length);
})();
