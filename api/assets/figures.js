// Trend charts: data comes from the page's JSON block (no inline script, so the CSP stays strict).
(function () {
  var el = document.getElementById("trend-data");
  if (!el || !window.Chart) return;
  var data = JSON.parse(el.textContent);
  var colours = ["#1f4e79", "#c62828", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f", "#5d4037", "#9e9d24"];
  data.charts.forEach(function (c) {
    var canvas = document.getElementById(c.id);
    if (!canvas) return;
    new window.Chart(canvas, {
      type: "line",
      data: {
        labels: data.months,
        datasets: c.series.map(function (s, i) {
          return { label: s.label, data: s.values, borderColor: colours[i % colours.length], backgroundColor: colours[i % colours.length], spanGaps: false, tension: 0.2 };
        }),
      },
      options: { animation: false, responsive: true, maintainAspectRatio: false, scales: { y: { min: 0, max: 100, ticks: { callback: function (v) { return v + "%"; } } } }, plugins: { title: { display: true, text: c.title } } },
    });
  });
})();
