// Registered schools as the options of a <datalist>, from the API's school search, each
// labelled "name — city". Used by the report's "schools reached" and the registration
// form; calls back with the schools by their label once the options are in place.
window.schoolOptions = function (endpoint, filters, text, datalist, keep, done) {
  "use strict";
  var url = endpoint + "?limit=10&q=" + encodeURIComponent(text) + filters +
    "&lang=" + encodeURIComponent(document.documentElement.lang);
  fetch(url, { headers: { Accept: "application/json" }, credentials: "omit" })
    .then(function (response) { return response.ok ? response.json() : { items: [] }; })
    .then(function (page) {
      var found = {};
      datalist.replaceChildren();
      page.items.filter(keep).forEach(function (school) {
        var label = school.city ? school.name + " — " + school.city : school.name;
        found[label] = school;
        var option = document.createElement("option");
        option.value = label;
        datalist.appendChild(option);
      });
      done(found);
    })
    .catch(function () { /* without suggestions, the server matches typed names */ });
};
