// The credit score over time on a file page: data from the page's JSON block (no inline script).
(function () {
  var el = document.getElementById("credit-data");
  var canvas = document.getElementById("credit-chart");
  if (!el || !canvas || !window.Chart) return;
  var d = JSON.parse(el.textContent);
  new window.Chart(canvas, {
    type: "line",
    data: { labels: d.labels, datasets: [{ label: d.label, data: d.values, borderColor: "#1f4e79", backgroundColor: "#1f4e79", stepped: true }] },
    options: { animation: false, responsive: true, maintainAspectRatio: false, scales: { y: { min: 0, max: 120 } } },
  });
})();
