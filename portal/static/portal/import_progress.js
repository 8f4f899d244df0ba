// The import page while a worker checks or imports the workbook: asks for the run's progress
// every second, moves the bar, and shows the report (the page again) once the run is done.
(function () {
  var box = document.querySelector("[data-progress-url]");
  if (!box) {
    return;
  }
  var bar = box.querySelector("progress");
  var text = box.querySelector("[data-progress-text]");
  function ask() {
    fetch(box.getAttribute("data-progress-url"), { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        if (state.status === "done" || state.status === "failed") {
          window.location.reload();
          return;
        }
        if (state.total > 0) {
          bar.max = state.total;
          bar.value = state.done;
          text.textContent = state.done + " / " + state.total;
        }
        window.setTimeout(ask, 1000);
      })
      .catch(function () { window.setTimeout(ask, 3000); });
  }
  window.setTimeout(ask, 500);
})();
