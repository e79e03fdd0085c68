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

  function label(school) { return school.name + (school.city ? " — " + school.city : ""); }

  function search() {
    var text = input.value.trim();
    if (text.length < 3 || found[text]) { return; }
    var url = input.getAttribute("data-endpoint") + "?limit=8&q=" + encodeURIComponent(text) +
      "&lang=" + encodeURIComponent(document.documentElement.lang);
    fetch(url, { headers: { Accept: "application/json" }, credentials: "omit" })
      .then(function (response) { return response.ok ? response.json() : { items: [] }; })
      .then(function (page) {
        options.replaceChildren();
        page.items.forEach(function (school) {
          found[label(school)] = school;
          var option = document.createElement("option");
          option.value = label(school);
          options.appendChild(option);
        });
      })
      .catch(function () { /* the server matches the typed name */ });
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
