// Scorecard charts (progressive enhancement): the tables beside them carry the same
// figures. Each chart reads its data from the json_script block named in data-source.
(function () {
  "use strict";
  var numberFormat = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 2 });
  function fmt(value) { return value === null || value === undefined ? "—" : numberFormat.format(value); }

  function narrow() { return window.matchMedia("(max-width: 575.98px)").matches; }

  function rankingOption(data) {
    // Horizontal bars, best at the top; units not ranked in grey.
    var names = data.units.slice().reverse();
    var values = data.points.slice().reverse().map(function (v, i) {
      var ranked = data.ranked[data.ranked.length - 1 - i];
      return { value: v, itemStyle: { color: ranked ? "#0d6efd" : "#adb5bd" } };
    });
    return {
      grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: fmt },
      xAxis: { type: "value", axisLabel: { formatter: fmt } },
      yAxis: { type: "category", data: names, axisLabel: { width: narrow() ? 110 : 220, overflow: "truncate" } },
      series: [{ type: "bar", name: data.label, data: values, label: { show: true, position: "right", formatter: function (p) { return fmt(p.value); } } }]
    };
  }

  function unitOption(data) {
    var series = [
      { type: "bar", name: data.labels.unit, data: data.unit, itemStyle: { color: "#0d6efd" } }
    ];
    if (data.average.length) {
      series.push({ type: "bar", name: data.labels.average, data: data.average, itemStyle: { color: "#6c757d" } });
      series.push({ type: "bar", name: data.labels.best, data: data.best, itemStyle: { color: "#198754" } });
    }
    series.push({ type: "scatter", name: data.labels.max, data: data.max, symbol: "rect", symbolSize: [narrow() ? 18 : 28, 3], itemStyle: { color: "#dc3545" } });
    return {
      grid: { left: 8, right: 8, top: 8, bottom: 48, containLabel: true },
      legend: { bottom: 0, type: "scroll" },
      tooltip: { trigger: "axis", valueFormatter: fmt },
      xAxis: { type: "category", data: data.groups, axisLabel: { interval: 0, rotate: narrow() ? 60 : 20, width: 120, overflow: "truncate" } },
      yAxis: { type: "value", axisLabel: { formatter: fmt } },
      series: series
    };
  }

  var builders = { "ranking-chart": rankingOption, "unit-chart": unitOption };
  document.querySelectorAll("[data-source]").forEach(function (element) {
    var build = builders[element.id];
    var source = document.getElementById(element.dataset.source);
    if (!build || !source || typeof echarts === "undefined") return;
    var data = JSON.parse(source.textContent);
    if (element.id === "ranking-chart") {
      // Room for every unit's bar.
      element.style.height = Math.max(320, data.units.length * 26 + 40) + "px";
    }
    var chart = echarts.init(element, null, { renderer: "svg" });
    var option = build(data);
    // Figures for officers, not a show: drawn at once (and so the same in screenshots).
    option.animation = false;
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
