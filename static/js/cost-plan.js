/* Progressive enhancement for row formsets (portal: cost plans, funded posts): add rows in place and keep the
   sums of a cost plan current. Without JavaScript the "Zeile hinzufügen" button submits and the server adds the row. */
(function () {
  "use strict";
  function parseAmount(text) {
    var value = (text || "").trim().replace(/\s|€/g, "");
    if (!value) { return 0; }
    if (value.indexOf(",") !== -1) { value = value.replace(/\./g, "").replace(",", "."); }
    else if ((value.match(/\./g) || []).length === 1 && value.split(".")[1].length !== 3) { /* decimal dot */ }
    else { value = value.replace(/\./g, ""); }
    var number = parseFloat(value);
    return isNaN(number) ? 0 : number;
  }
  var euro = new Intl.NumberFormat("de-DE", { style: "currency", currency: "EUR" });

  function update(plan) {
    var form = plan.closest("form");
    var total = 0;
    plan.querySelectorAll("[data-cost-row]").forEach(function (row) {
      var remove = row.querySelector("input[type=checkbox][name$='-DELETE']");
      var amount = row.querySelector("input[name$='-amount']");
      if (amount && !(remove && remove.checked)) { total += parseAmount(amount.value); }
    });
    var own = form.querySelector("#id_own_funds");
    var third = form.querySelector("#id_third_party_funds");
    var values = { total: total, own: own ? parseAmount(own.value) : 0, third: third ? parseAmount(third.value) : 0 };
    values.requested = values.total - values.own - values.third;
    form.querySelectorAll("[data-sum]").forEach(function (cell) {
      cell.textContent = euro.format(values[cell.getAttribute("data-sum")] || 0);
    });
  }

  document.querySelectorAll("[data-cost-plan]").forEach(function (plan) {
    var prefix = plan.getAttribute("data-prefix");
    var totalForms = plan.querySelector("#id_" + prefix + "-TOTAL_FORMS");
    var template = plan.querySelector("template[data-empty-row]");
    var button = plan.querySelector("[data-add-row]");
    var rows = plan.querySelector(".cost-plan__rows");
    if (button && template && totalForms) {
      button.addEventListener("click", function (event) {
        event.preventDefault();
        var index = parseInt(totalForms.value, 10) || 0;
        var html = template.innerHTML.replace(/__prefix__/g, index).replace(/__num__/g, index + 1);
        rows.insertAdjacentHTML("beforeend", html);
        totalForms.value = index + 1;
        // The first field of the new row (a cost line's description, a post's title).
        var input = rows.lastElementChild && rows.lastElementChild.querySelector("input:not([type=hidden]), textarea, select");
        if (input) { input.focus(); }
      });
    }
    if (plan.closest("form").querySelector("[data-sum]")) {  // only a cost plan has sums to keep current
      plan.closest("form").addEventListener("input", function () { update(plan); });
      plan.closest("form").addEventListener("change", function () { update(plan); });
    }
  });
})();
