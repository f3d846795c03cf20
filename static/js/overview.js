// The overview's charts, drawn with Chart.js from the JSON in #overview-charts' data-charts.
// Each chart has a table beside it in the page, so without JavaScript nothing is lost.
(function () {
  "use strict";

  function draw() {
    const source = document.getElementById("overview-charts");
    if (!source || typeof window.Chart === "undefined") return;
    const data = JSON.parse(source.dataset.charts);
    const style = getComputedStyle(document.documentElement);
    const accent = style.getPropertyValue("--accent").trim() || "#2457c5";
    const muted = style.getPropertyValue("--text-muted").trim() || "#5b6675";
    const common = {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: { legend: { display: false } },
      scales: {
        x: { ticks: { color: muted, autoSkip: true, maxRotation: 0 } },
        y: { beginAtZero: true, ticks: { color: muted, precision: 0 } },
      },
    };
    const charts = {
      expiry: {
        type: "bar",
        labels: data.expiry.weeks.map((week) => week.from),
        values: data.expiry.weeks.map((week) => week.count),
        label: "Credentials expiring that week",
      },
      categories: {
        type: "bar",
        labels: data.categories.map((row) => row.label),
        values: data.categories.map((row) => row.count),
        label: "Connectors",
        options: { indexAxis: "y" },
      },
      publishes: {
        type: "line",
        labels: data.publishes.map((week) => week.from),
        values: data.publishes.map((week) => week.count),
        label: "Versions published that week",
      },
    };
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      const chart = charts[canvas.dataset.chart];
      if (!chart || canvas.dataset.drawn) return;
      const options = Object.assign({}, common, chart.options || {});
      if (chart.options && chart.options.indexAxis === "y") {
        options.scales = { x: common.scales.y, y: { ticks: { color: muted, autoSkip: false } } };
      }
      new window.Chart(canvas, {
        type: chart.type,
        data: {
          labels: chart.labels,
          datasets: [
            {
              label: chart.label,
              data: chart.values,
              backgroundColor: accent,
              borderColor: accent,
            },
          ],
        },
        options: options,
      });
      canvas.dataset.drawn = "true";
    });
  }

  document.addEventListener("DOMContentLoaded", draw);
  // The first snapshot arrives by an htmx swap (the page polls until it is ready).
  document.addEventListener("htmx:load", draw);
})();
