// The team register's coverage chart: hamlets with and without a team, per commune. The data
// comes from the json_script block "coverage-data", the series names from the chart's
// data-label-* attributes (translated in the template).
(function () {
  "use strict";
  const el = document.getElementById("coverage-chart");
  const source = document.getElementById("coverage-data");
  if (!el || !source || typeof echarts === "undefined") return;
  const data = JSON.parse(source.textContent);
  const chart = echarts.init(el);
  const narrow = el.clientWidth < 600;
  const shown = narrow ? 10 : 20;
  const many = data.communes.length > shown;
  chart.setOption({
    tooltip: {trigger: "axis", axisPointer: {type: "shadow"}},
    legend: {top: 0},
    // Room on the left for the first rotated name, and below the names for the slider.
    grid: {left: 40, right: 10, top: 30, bottom: many ? 34 : 8, containLabel: true},
    xAxis: {type: "category", data: data.communes, axisLabel: {rotate: 40, interval: 0, fontSize: 10, width: 110, overflow: "truncate"}},
    yAxis: {type: "value", minInterval: 1},
    dataZoom: many ? [{type: "slider", bottom: 6, height: 18, startValue: 0, endValue: shown - 1, showDetail: false}, {type: "inside"}] : [],
    series: [
      {name: el.dataset.labelWithTeam, type: "bar", stack: "u", data: data.withTeam, itemStyle: {color: "#198754"}},
      {name: el.dataset.labelWithoutTeam, type: "bar", stack: "u", data: data.withoutTeam, itemStyle: {color: "#dc3545"}}
    ]
  });
  window.addEventListener("resize", () => chart.resize());
})();
