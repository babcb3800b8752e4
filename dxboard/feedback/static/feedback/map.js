// The public field-report list's "map": each report with coordinates as a point on a
// longitude/latitude plane. Points come from the json_script block "map-points", the axis
// names from the chart's data-label-* attributes (translated in the template).
(function () {
  "use strict";
  var el = document.getElementById("map");
  var source = document.getElementById("map-points");
  if (!el || !source || !window.echarts) return;
  var points = JSON.parse(source.textContent);
  if (!points.length) return;
  var xs = points.map(function (p) { return p.value[0]; }), ys = points.map(function (p) { return p.value[1]; });
  var pad = 0.05;
  // The tooltip is HTML: what a citizen typed is shown as text, never as markup.
  var esc = echarts.format.encodeHTML;
  var chart = echarts.init(el);
  chart.setOption({
    animation: false,
    grid: {left: 50, right: 16, top: 32, bottom: 40},  // room above for the y axis name
    tooltip: {formatter: function (p) { return esc(p.data.name) + "<br>" + esc(p.data.status); }},
    xAxis: {type: "value", name: el.dataset.labelLongitude, nameLocation: "middle", nameGap: 26, scale: true,
            min: (Math.min.apply(null, xs) - pad).toFixed(2), max: (Math.max.apply(null, xs) + pad).toFixed(2)},
    yAxis: {type: "value", name: el.dataset.labelLatitude, scale: true,
            min: (Math.min.apply(null, ys) - pad).toFixed(2), max: (Math.max.apply(null, ys) + pad).toFixed(2)},
    series: [{type: "scatter", symbolSize: 8, data: points, itemStyle: {color: "#a61c1c", opacity: 0.7}}]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
