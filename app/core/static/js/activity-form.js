// When the type of a new activity changes, tick the pillars that type serves by default.
// The server chose the defaults for the first type; the user can still change every box.
(function () {
  "use strict";
  var form = document.querySelector("form.activity-form");
  if (!form) { return; }
  var defaults = JSON.parse(form.getAttribute("data-default-pillars") || "{}");
  var type = form.querySelector("select[name=type]");
  var touched = false;
  form.querySelectorAll("input[name=pillars]").forEach(function (box) {
    box.addEventListener("change", function () { touched = true; });
  });
  if (!type || form.querySelector("input[name=version]").value) { return; }
  type.addEventListener("change", function () {
    if (touched) { return; }
    var wanted = defaults[type.value] || [];
    form.querySelectorAll("input[name=pillars]").forEach(function (box) {
      box.checked = wanted.indexOf(box.value) !== -1;
    });
  });
})();
