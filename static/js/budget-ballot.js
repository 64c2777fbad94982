// Progressive enhancement of the budget ballot: the running total updates as boxes are
// ticked or points typed. Without JavaScript, "Mettre à jour le total" does the same.
(function () {
  "use strict";
  var form = document.querySelector("form.ballot-form");
  var total = document.getElementById("total");
  if (!form || !total) return;
  var amount = parseInt(total.getAttribute("data-amount"), 10) || 0;
  var points = parseInt(total.getAttribute("data-points"), 10) || 0;
  var format = new Intl.NumberFormat("fr-FR");
  function set(name, value) {
    var node = total.querySelector('[data-total="' + name + '"]');
    if (node) node.textContent = value;
  }
  function update() {
    var kind = form.getAttribute("data-ballot");
    if (kind === "cumulative") {
      var given = 0;
      form.querySelectorAll("input.points-input").forEach(function (input) {
        var value = parseInt(input.value, 10);
        if (value > 0) given += value;
      });
      set("points", format.format(given));
      set("points-left", format.format(points - given));
      return;
    }
    var cost = 0, count = 0;
    form.querySelectorAll('input[name="projets"]:checked').forEach(function (box) {
      cost += parseInt(box.getAttribute("data-cost"), 10) || 0;
      count += 1;
    });
    set("count", format.format(count));
    set("cost", format.format(cost));
    var left = amount - cost;
    set("left", format.format(Math.max(left, 0)));
    set("excess", format.format(Math.max(-left, 0)));
    // Over the envelope, say so instead of "Il reste -21 352 €".
    var remaining = total.querySelector('[data-total="remaining"]');
    var over = total.querySelector('[data-total="over"]');
    if (remaining) remaining.hidden = left < 0;
    if (over) over.hidden = left >= 0;
  }
  form.addEventListener("change", update);
  form.addEventListener("input", update);
})();
