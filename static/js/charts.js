// Draws every <canvas data-chart="ID"> as a bar chart from the JSON in <script id="ID">
// ({"labels": [...], "values": [...]}) with the locally served Chart.js.
document.addEventListener("DOMContentLoaded", function () {
  if (typeof Chart === "undefined") return;
  var colours = ["#12b76a", "#f79009", "#d92d20", "#7a5af8", "#2e90fa", "#667085", "#ee46bc", "#15b79e", "#875bf7"];
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source) return;
    var chart = JSON.parse(source.textContent);
    new Chart(canvas, {
      type: "bar",
      data: { labels: chart.labels, datasets: [{ data: chart.values, backgroundColor: colours }] },
      options: {
        plugins: { legend: { display: false } },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
        animation: false,
        maintainAspectRatio: false,
      },
    });
    canvas.dataset.drawn = "1";
  });
});
