// The project register's timeline: one bar per task or project, from start to end, filled
// up to its progress. Rows come from the json_script block "timeline-data", state names from
// "state-labels", the "today" label from the chart's data-label-today attribute; its height
// (data-height) is set by dxboard.js.
(function () {
  "use strict";
  const el = document.getElementById("timeline-chart");
  const source = document.getElementById("timeline-data");
  if (!el || !source || typeof echarts === "undefined") return;
  const rows = JSON.parse(source.textContent);
  const labels = JSON.parse(document.getElementById("state-labels").textContent);
  const colors = {not_started: "#6c757d", in_progress: "#0d6efd", done: "#198754", cancelled: "#adb5bd", overdue: "#dc3545"};
  const narrow = el.clientWidth < 600;
  const chart = echarts.init(el);
  const data = rows.map((r, i) => ({value: [i, new Date(r.start).getTime(), new Date(r.end).getTime(), r.progress], itemStyle: {color: colors[r.state]}, state: r.state}));
  const today = Date.now();
  // The tooltip is HTML: a name typed by an officer is shown as text, never as markup.
  const esc = echarts.format.encodeHTML;
  chart.setOption({
    tooltip: {formatter: p => {
      const r = rows[p.value[0]];
      const d = s => s.split("-").reverse().join("/");
      return `${esc(r.name)}<br>${d(r.start)} – ${d(r.end)}<br>${esc(labels[r.state])} · ${r.progress}%`;
    }},
    // Phones have no room for names: the code alone labels each bar.
    grid: {left: narrow ? 56 : 230, right: 16, top: 24, bottom: 30, containLabel: false},
    xAxis: {type: "time", axisLabel: {formatter: "{MM}/{yyyy}", hideOverlap: true}},
    yAxis: {type: "category", inverse: true, data: rows.map(r => narrow ? r.code : r.name), axisLabel: {width: narrow ? 50 : 220, overflow: "truncate", fontSize: 11}},
    series: [{
      type: "custom",
      renderItem: (params, api) => {
        const y = api.value(0);
        const start = api.coord([api.value(1), y]);
        const end = api.coord([api.value(2), y]);
        const h = api.size([0, 1])[1] * 0.6;
        const w = Math.max(end[0] - start[0], 2);
        const style = api.style();
        return {type: "group", children: [
          {type: "rect", shape: {x: start[0], y: start[1] - h / 2, width: w, height: h}, style: {fill: style.fill, opacity: 0.35}},
          {type: "rect", shape: {x: start[0], y: start[1] - h / 2, width: w * api.value(3) / 100, height: h}, style: {fill: style.fill}}
        ]};
      },
      encode: {x: [1, 2], y: 0},
      data: data,
      markLine: {symbol: "none", silent: true, lineStyle: {color: "#a61c1c", type: "dashed"}, label: {position: "start", formatter: el.dataset.labelToday}, data: [{xAxis: today}]}
    }]
  });
  window.addEventListener("resize", () => chart.resize());
})();
