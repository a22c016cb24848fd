// The appraisal page's buyback quote: recompute the offer as the percentage changes (the form works without it).
(function () {
  "use strict";
  var input = document.getElementById("pct");
  var offer = document.getElementById("offer");
  var buy = document.getElementById("total-buy");
  if (!input || !offer || !buy) { return; }
  var total = Number(buy.getAttribute("data-isk"));
  function isk(value) {
    var size = Math.abs(value);
    var steps = [[1e12, "T"], [1e9, "B"], [1e6, "M"]];
    for (var i = 0; i < steps.length; i++) {
      if (size >= steps[i][0]) { return (value / steps[i][0]).toFixed(2) + steps[i][1]; }
    }
    return value.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }
  input.addEventListener("input", function () {
    var pct = Number(input.value);
    if (input.value === "" || !isFinite(pct) || pct < 0 || pct > Number(input.max)) {
      offer.textContent = "—";
      return;
    }
    offer.textContent = isk(total * pct / 100) + " ISK";
  });
}());
