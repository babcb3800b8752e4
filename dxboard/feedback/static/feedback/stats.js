// Field-report statistics: received, resolved and on time per month, and the share of each
// category. The data comes from the json_script block "chart-data", the series names from
// the month chart's data-label-* attributes (translated in the template).
(function () {
  "use strict";
  var source = document.getElementById("chart-data");
  var monthsEl = document.getElementById("chart-months");
  var categoriesEl = document.getElementById("chart-categories");
  if (!source || !monthsEl || !categoriesEl || !window.echarts) return;
  var data = JSON.parse(source.textContent);
  var months = echarts.init(monthsEl);
  months.setOption({
    animation: false,
    tooltip: {trigger: "axis"}, legend: {bottom: 0},
    grid: {left: 40, right: 10, top: 20, bottom: 50},
    xAxis: {type: "category", data: data.months}, yAxis: {type: "value", minInterval: 1},
    series: [
      {name: monthsEl.dataset.labelReceived, type: "bar", data: data.received, itemStyle: {color: "#0d6efd"}},
      {name: monthsEl.dataset.labelResolved, type: "bar", data: data.resolved, itemStyle: {color: "#198754"}},
      {name: monthsEl.dataset.labelOnTime, type: "line", data: data.onTime, itemStyle: {color: "#fd7e14"}}
    ]
  });
  var cats = echarts.init(categoriesEl);
  cats.setOption({animation: false, tooltip: {trigger: "item"}, series: [{type: "pie", radius: ["35%", "65%"], data: data.categories, label: {formatter: "{b}: {c}"}}]});
  window.addEventListener("resize", function () { months.resize(); cats.resize(); });
})();
