// "Schools reached": find registered schools through the API's school search and keep
// the chosen ones as a list (their ids go in a hidden field). Without this script the
// one-school-per-line field still works: names are matched to registered schools.
(function () {
  "use strict";
  var box = document.querySelector(".reach-search");
  if (!box || !window.fetch) { return; }
  var form = box.closest("form");
  var ids = form.querySelector("[data-reach-ids]");
  var list = form.querySelector("[data-reach-chosen]");
  var input = box.querySelector("input[type=search]");
  var options = box.querySelector("datalist");
  var status = box.querySelector("[data-reach-status]");
  var found = {};
  var timer = null;
  box.hidden = false;

  function say(template, name) { status.textContent = template.replace("{name}", name); }
  function chosen() { return ids.value ? ids.value.split(",") : []; }
  function keep(values) { ids.value = values.join(","); }

  function remove(chip) {
    keep(chosen().filter(function (id) { return id !== chip.getAttribute("data-id"); }));
    say(box.getAttribute("data-removed"), chip.querySelector("a").textContent);
    chip.remove();
    input.focus();
  }

  function add(school) {
    if (chosen().indexOf(String(school.id)) !== -1) { return; }
    var chip = document.createElement("li");
    chip.className = "reach-chip";
    chip.setAttribute("data-id", school.id);
    var link = document.createElement("a");
    link.href = "/schools/" + school.id;
    link.textContent = school.name;
    chip.appendChild(link);
    if (school.city) { chip.appendChild(document.createTextNode(", " + school.city)); }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-sm btn-link";
    button.setAttribute("data-reach-remove", "");
    button.setAttribute("aria-label", box.getAttribute("data-remove-label").replace("{name}", school.name));
    button.textContent = "×";
    chip.appendChild(button);
    list.appendChild(chip);
    keep(chosen().concat([String(school.id)]));
    say(box.getAttribute("data-added"), school.name);
  }

  function search() {
    var text = input.value.trim();
    if (text.length < 2 || found[text]) { return; }
    var country = "&country=" + encodeURIComponent(box.getAttribute("data-country"));
    var keep = function (school) { return String(school.id) !== box.getAttribute("data-exclude"); };
    window.schoolOptions(box.getAttribute("data-endpoint"), country, text, options, keep, function (schools) {
      Object.assign(found, schools);
      if (!options.children.length) { say(box.getAttribute("data-none"), ""); }
    });
  }

  function addTyped() {
    var school = found[input.value];
    if (!school) { say(box.getAttribute("data-pick"), ""); return; }
    add(school);
    input.value = "";
    input.focus();
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(search, 250);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); addTyped(); }
  });
  box.querySelector("[data-reach-add]").addEventListener("click", addTyped);
  list.addEventListener("click", function (event) {
    var button = event.target.closest("[data-reach-remove]");
    if (button) { remove(button.closest("li")); }
  });
})();
