// Draws each chart of a page from the JSON the server wrote beside it, with the vendored
// Chart.js: no inline script, so the site's Content-Security-Policy holds. Every chart has
// its figures in a table too (core/_chart.html), for screen readers and for copying.
document.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
  const source = document.getElementById(canvas.dataset.chart);
  if (!source || typeof Chart === "undefined") {
    return;
  }
  const config = JSON.parse(source.textContent);
  config.options = Object.assign({ responsive: true, maintainAspectRatio: false }, config.options);
  new Chart(canvas, config);
});
