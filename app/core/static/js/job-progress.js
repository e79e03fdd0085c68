// The job page: asks how far the job is every second or so and moves the progress bar;
// when the job has finished, puts the page's result in place of the bar (no reload) and
// moves the focus to it. Without this script the page says to reload.
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box || !window.fetch || box.getAttribute("data-finished") === "true") { return; }
  var bar = box.querySelector("#job-bar");
  var label = box.querySelector("[data-job-label]");
  var percent = new Intl.NumberFormat(document.documentElement.lang || undefined, { style: "percent" });
  var delay = 700;

  function finish() {
    return fetch(window.location.href, { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.getElementById("job");
        if (!fresh) { window.location.reload(); return; }
        box.innerHTML = fresh.innerHTML;
        box.setAttribute("data-finished", "true");
        var result = box.querySelector("[data-job-result]");
        if (result) { result.focus(); }
      });
  }

  function poll() {
    fetch(box.getAttribute("data-state"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (!state) { window.setTimeout(poll, 5000); return; }
        if (state.finished) { return finish(); }
        var text = state.label;
        if (state.percent === null) {
          bar.removeAttribute("value");
        } else {
          bar.value = state.percent;
          text += " · " + percent.format(state.percent / 100);
        }
        if (label.textContent !== text) { label.textContent = text; }
        delay = Math.min(delay * 1.2, 3000);
        window.setTimeout(poll, delay);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }

  window.setTimeout(poll, delay);
})();
