// The case page: a material's step follows its kind; each step form is checked against the
// rules as it is filled in (?check=1), before anything is submitted.
(function () {
  var kind = document.getElementById("material-kind"), step = document.getElementById("material-step");
  if (kind && step) {
    kind.addEventListener("change", function () { step.value = kind.selectedOptions[0].dataset.step; });
  }
  document.querySelectorAll("form.step-form").forEach(function (form) {
    var out = form.querySelector(".check-result"), timer;
    function check() {
      var data = new FormData(form);
      fetch(form.dataset.check, {
        method: "POST", body: data, credentials: "same-origin",
        headers: {"Accept": "application/json", "X-CSRFToken": data.get("csrfmiddlewaretoken")}
      }).then(function (r) { return r.json(); }).then(function (body) {
        out.textContent = body.ok ? out.dataset.ok : body.message;
        out.className = "check-result " + (body.ok ? "ok" : "late");
      }).catch(function () { out.textContent = ""; });
    }
    form.addEventListener("change", function () { clearTimeout(timer); timer = setTimeout(check, 300); });
  });
})();
