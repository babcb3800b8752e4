// Draws the series table of a dataset page as a chart (the table stays for readers
// without JavaScript and for screen readers).
(function () {
  "use strict";
  var table = document.getElementById("series-table");
  if (!table || typeof echarts === "undefined") return;
  var box = document.getElementById(table.dataset.chart);
  var names = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
    return th.textContent.trim();
  }).slice(1);
  var periods = [];
  var values = names.map(function () { return []; });
  table.querySelectorAll("tbody tr").forEach(function (row) {
    periods.push(row.querySelector("th").textContent.trim());
    row.querySelectorAll("td").forEach(function (cell, i) {
      values[i].push(Number(cell.dataset.value));
    });
  });
  box.classList.remove("d-none");
  var chart = echarts.init(box);
  var formatter = new Intl.NumberFormat(document.documentElement.lang || "vi");
  chart.setOption({
    tooltip: { trigger: "axis", valueFormatter: function (v) { return formatter.format(v); } },
    legend: { top: 0, type: "scroll" },
    grid: { left: 8, right: 8, bottom: 8, top: 36, containLabel: true },
    xAxis: { type: "category", data: periods },
    yAxis: { type: "value", axisLabel: { formatter: function (v) { return formatter.format(v); } } },
    series: names.map(function (name, i) {
      return { name: name, type: "bar", data: values[i] };
    }),
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
