// The staff forms on a phone: a material's step follows its kind; people are ticked in a
// list and counted as you tap; a written opinion takes one vote per person; each step form
// is checked against the rules as it is filled in (?check=1), before anything is
// submitted; and what was typed survives a refused or failed submit.
(function () {
  var kind = document.getElementById("material-kind"), step = document.getElementById("material-step");
  if (kind && step) {
    kind.addEventListener("change", function () { step.value = kind.selectedOptions[0].dataset.step; });
  }
  function firstMessage(errors) {  // a field's errors may be nested: {0: ["..."]}
    while (errors && typeof errors === "object") {
      var keys = Object.keys(errors);
      if (!keys.length) { return ""; }
      errors = errors[keys[0]];
    }
    return String(errors || "");
  }
  function tally(fieldset) {
    var out = fieldset.querySelector("output.tally");
    if (!out) { return; }
    if (fieldset.classList.contains("votes")) {
      var heads = fieldset.querySelectorAll("thead th"), parts = [];
      for (var col = 1; col < heads.length; col++) {
        var n = fieldset.querySelectorAll("tbody tr td:nth-child(" + (col + 1) + ") input:checked").length;
        parts.push(heads[col].textContent + n);
      }
      out.textContent = parts.join("，");
    } else {
      var chosen = fieldset.querySelectorAll("input:checked").length;
      var text = "已选" + chosen + "人";
      var should = parseInt(fieldset.dataset.should || "0", 10), rule = fieldset.dataset.quorum;
      if (rule && should > 0) {  // the quorum, beside the list, as it is ticked
        var least = rule === "two_thirds" ? Math.ceil(should * 2 / 3) : Math.floor(should / 2) + 1;
        text += "（应到" + should + "人，" + (rule === "two_thirds" ? "须三分之二以上" : "须超过半数") +
          "，至少" + least + "人）：" + (chosen >= least ? "已达到法定人数" : "尚差" + (least - chosen) + "人");
        out.className = "tally " + (chosen >= least ? "ok" : "late");
      }
      out.textContent = text;
    }
  }
  document.querySelectorAll("fieldset.taps, fieldset.votes").forEach(function (fieldset) {
    fieldset.addEventListener("change", function (event) {
      var box = event.target;
      if (fieldset.classList.contains("votes") && box.checked) {  // one vote per person
        box.closest("tr").querySelectorAll("input").forEach(function (other) {
          if (other !== box) { other.checked = false; }
        });
      }
      tally(fieldset);
    });
    tally(fieldset);
  });
  var refused = document.querySelector(".messages li.error") !== null;
  document.querySelectorAll("main form[method=post]").forEach(function (form) {
    var key = "jc-form:" + form.getAttribute("action");
    var saved = null;
    try { saved = JSON.parse(sessionStorage.getItem(key) || "null"); } catch (e) { saved = null; }
    if (saved && refused) {  // the server refused it: put back what was typed
      Object.keys(saved).forEach(function (name) {
        form.querySelectorAll("[name='" + name.replace(/'/g, "") + "']").forEach(function (input) {
          var values = saved[name];
          if (input.type === "checkbox" || input.type === "radio") {
            input.checked = values.indexOf(input.value) >= 0 || (input.value === "on" && values.length > 0);
          } else if (input.tagName === "SELECT" && input.multiple) {
            Array.prototype.forEach.call(input.options, function (o) { o.selected = values.indexOf(o.value) >= 0; });
          } else if (input.type !== "file" && input.type !== "hidden") {
            input.value = values[0];
          }
        });
      });
      var details = form.closest("details");
      if (details) { details.open = true; }
      form.querySelectorAll("fieldset.taps, fieldset.votes").forEach(tally);
    }
    sessionStorage.removeItem(key);
    form.addEventListener("submit", function () {
      var data = {};
      new FormData(form).forEach(function (value, name) {
        if (typeof value !== "string" || name === "csrfmiddlewaretoken") { return; }
        (data[name] = data[name] || []).push(value);
      });
      try { sessionStorage.setItem(key, JSON.stringify(data)); } catch (e) { /* full: no draft */ }
    });
    var out = form.querySelector(".check-result"), timer;
    if (!form.dataset.check || !out) { return; }
    function check() {
      var data = new FormData(form);
      fetch(form.dataset.check, {
        method: "POST", body: data, credentials: "same-origin",
        headers: {"Accept": "application/json", "X-CSRFToken": data.get("csrfmiddlewaretoken")}
      }).then(function (r) { return r.json(); }).then(function (body) {
        // A field's problem beside its field; the foot says what concerns the whole step.
        form.querySelectorAll(".field-error").forEach(function (old) { old.remove(); });
        var fields = (body && body.fields) || {}, placed = false;
        Object.keys(fields).forEach(function (name) {
          var where = form.querySelector('[data-field="' + name + '"]');
          if (!where) { return; }
          var note = document.createElement("span");
          note.className = "field-error late";
          note.textContent = firstMessage(fields[name]);
          where.appendChild(note);
          placed = true;
        });
        out.textContent = body.ok ? out.dataset.ok : (placed ? out.dataset.fields : body.message);
        out.className = "check-result " + (body.ok ? "ok" : "late");
      }).catch(function () { out.textContent = ""; });
    }
    form.addEventListener("change", function () { clearTimeout(timer); timer = setTimeout(check, 300); });
  });
})();
