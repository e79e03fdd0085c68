// The registration form's school: registered schools are suggested as one types (the
// API's school search), and choosing one sets its region. Without this script the typed
// name is matched to a registered school on the server, as it is here.
(function () {
  "use strict";
  var input = document.querySelector("[data-school-suggest]");
  if (!input || !window.fetch) { return; }
  var region = document.getElementById(input.getAttribute("data-region-field"));
  var options = document.getElementById(input.getAttribute("list"));
  var found = {};
  var timer = null;

  function search() {
    var text = input.value.trim();
    if (text.length < 3 || found[text]) { return; }
    var all = function () { return true; };
    window.schoolOptions(input.getAttribute("data-endpoint"), "", text, options, all, function (schools) {
      Object.assign(found, schools);
    });
  }

  input.addEventListener("input", function () {
    var school = found[input.value];
    if (school) {  // a suggestion was chosen: its name, and its region
      input.value = school.name;
      if (region) { region.value = school.region; }
      return;
    }
    clearTimeout(timer);
    timer = setTimeout(search, 250);
  });
}());
