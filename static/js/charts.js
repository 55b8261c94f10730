// Draws the bar chart of a page's <canvas id="outcome-chart"> from the JSON in #outcome-data.
document.addEventListener("DOMContentLoaded", function () {
  var canvas = document.getElementById("outcome-chart");
  var data = document.getElementById("outcome-data");
  if (!canvas || !data || typeof Chart === "undefined") return;
  var chart = JSON.parse(data.textContent);
  canvas.dataset.drawn = "1";
  new Chart(canvas, {
    type: "bar",
    data: { labels: chart.labels, datasets: [{ data: chart.values, backgroundColor: ["#12b76a", "#f79009", "#d92d20", "#7a5af8", "#2e90fa"] }] },
    options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }, animation: false },
  });
});
