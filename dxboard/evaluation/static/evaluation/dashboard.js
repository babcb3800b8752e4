// IOC dashboard charts (progressive enhancement): each [data-chart] element reads its data
// from the json_script block named in data-source. Without JavaScript the server-rendered
// tables carry the same figures. Colours come from the .status-* classes of dxboard.css.
(function () {
  "use strict";
  var numberFormat = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 2 });
  var colourCache = {};

  function statusColour(css) {
    if (!colourCache[css]) {
      var probe = document.createElement("span");
      probe.className = css;
      probe.hidden = true;
      document.body.appendChild(probe);
      colourCache[css] = getComputedStyle(probe).getPropertyValue("--dx-status").trim() || "#6c757d";
      probe.remove();
    }
    return colourCache[css];
  }

  function fmt(value) {
    return value === null || value === undefined ? "—" : numberFormat.format(value);
  }

  function statusOption(data) {
    return {
      tooltip: { trigger: "item", formatter: function (p) { return p.name + ": " + p.value + " (" + numberFormat.format(p.percent) + " %)"; } },
      series: [{
        type: "pie",
        radius: ["45%", "75%"],
        avoidLabelOverlap: true,
        label: { formatter: "{c}", fontWeight: "bold" },
        data: data.items.map(function (item) {
          return { name: item.name, value: item.value, itemStyle: { color: statusColour(item.css) } };
        })
      }],
      graphic: [{ type: "text", left: "center", top: "middle", style: { text: String(data.total), fontSize: 22, fontWeight: "bold", fill: "#333" } }]
    };
  }

  function trendOption(data) {
    var labels = data.labels.slice();
    var actual = data.actual.slice();
    var target = data.target.slice();
    var projection = labels.map(function () { return null; });
    var finalTarget = labels.map(function () { return null; });
    if (data.projection) {
      var last = -1;
      for (var i = actual.length - 1; i >= 0; i--) { if (actual[i] !== null) { last = i; break; } }
      labels.push(data.projection.label);
      actual.push(null);
      target.push(null);
      if (last >= 0) projection[last] = actual[last];
      projection.push(data.projection.value);
      finalTarget.push(data.projection.final_target);
    }
    var unit = data.indicator.unit === "%" ? " %" : "";
    var estimated = data.estimated || [];
    var estimatedText = data.labels_text.estimated || "";
    // An estimated point (a split former unit's share) is drawn hollow.
    var actualData = actual.map(function (v, i) {
      return estimated[i] ? { value: v, symbol: "emptyCircle", estimated: true } : v;
    });
    var actualSeries = { name: data.labels_text.actual, type: "line", data: actualData, connectNulls: false, symbolSize: 6, itemStyle: { color: "#0d6efd" }, lineStyle: { width: 3 } };
    if (data.boundary) {
      // The reorganisation the trend runs across (1 July 2025): a vertical line.
      actualSeries.markLine = {
        silent: true,
        symbol: "none",
        lineStyle: { color: "#6c757d", type: "dashed", width: 2 },
        label: { formatter: data.boundary.text, position: "insideEndTop", color: "#495057" },
        data: [{ xAxis: data.boundary.label }]
      };
    }
    return {
      tooltip: {
        trigger: "axis",
        formatter: function (params) {
          var lines = [params.length ? params[0].axisValueLabel : ""];
          params.forEach(function (p) {
            var raw = p.data && typeof p.data === "object" ? p.data.value : p.data;
            if (raw === null || raw === undefined) return;
            var mark = p.data && p.data.estimated ? " (" + estimatedText + ")" : "";
            lines.push(p.marker + p.seriesName + ": " + fmt(raw) + unit + mark);
          });
          return lines.join("<br>");
        }
      },
      legend: { bottom: 0, type: "scroll" },
      grid: { left: 48, right: 16, top: 16, bottom: 56 },
      xAxis: { type: "category", data: labels, axisLabel: { hideOverlap: true } },
      yAxis: { type: "value", axisLabel: { formatter: function (v) { return numberFormat.format(v); } } },
      series: [
        actualSeries,
        { name: data.labels_text.target, type: "line", step: "middle", data: target, symbol: "none", itemStyle: { color: "#a61c1c" }, lineStyle: { type: "dashed" } },
        { name: data.labels_text.projection, type: "line", data: projection, connectNulls: true, symbol: "emptyCircle", itemStyle: { color: "#fd7e14" }, lineStyle: { type: "dotted", width: 2 } },
        { name: data.labels_text.final, type: "scatter", data: finalTarget, symbol: "diamond", symbolSize: 12, itemStyle: { color: "#a61c1c" } }
      ]
    };
  }

  function rankingOption(data) {
    var unit = data.indicator.unit === "%" ? " %" : "";
    return {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: function (v) { return fmt(v) + unit; } },
      grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", axisLabel: { formatter: function (v) { return numberFormat.format(v); } } },
      yAxis: { type: "category", inverse: true, data: data.units, axisLabel: { width: 140, overflow: "truncate" } },
      series: [{
        type: "bar",
        data: data.values.map(function (v, i) { return { value: v, itemStyle: { color: statusColour(data.classes[i]) } }; }),
        label: { show: true, position: "right", formatter: function (p) { return fmt(p.value); } }
      }]
    };
  }

  var builders = { status: statusOption, trend: trendOption, ranking: rankingOption };

  function initCharts(root) {
    if (!window.echarts || !root.querySelectorAll) return;
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      var source = document.getElementById(el.dataset.source);
      var build = builders[el.dataset.chart];
      if (!source || !build) return;
      el.hidden = false;
      var old = window.echarts.getInstanceByDom(el);
      if (old) old.dispose();
      var chart = window.echarts.init(el, null, { renderer: "svg" });
      chart.setOption(build(JSON.parse(source.textContent)));
      el.dataset.ready = "1";
    });
  }

  window.addEventListener("resize", function () {
    document.querySelectorAll("[data-chart][data-ready]").forEach(function (el) {
      var chart = window.echarts && window.echarts.getInstanceByDom(el);
      if (chart) chart.resize();
    });
  });

  // The chosen indicator's row is highlighted when the panel is swapped by htmx.
  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target.id !== "indicator-panel") return;
    var link = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (link && link.dataset && link.dataset.code) {
      document.querySelectorAll(".indicator-table tr.table-active").forEach(function (tr) { tr.classList.remove("table-active"); });
      var row = document.getElementById("indicator-" + link.dataset.code);
      if (row) row.classList.add("table-active");
      var hidden = document.querySelector("#period-form input[name=indicator]");
      if (hidden) hidden.value = link.dataset.code;
    }
    event.detail.target.focus({ preventScroll: true });
    event.detail.target.scrollIntoView({ behavior: "smooth", block: "start" });
  });

  // Charts of the first page, then of every panel htmx swaps in.
  document.body.addEventListener("htmx:afterSettle", function (event) {
    if (event.detail.target && event.detail.target.id === "indicator-panel") {
      initCharts(event.detail.target);
    }
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { initCharts(document); });
  } else {
    initCharts(document);
  }
})();
