// The item search box as a combobox: matches from /api/v1/items as you type; arrows move, Enter opens, Escape closes.
(function () {
  "use strict";
  var input = document.getElementById("item-q");
  var list = document.getElementById("item-options");
  var count = document.getElementById("item-q-count");
  if (!input || !list) { return; }
  var items = [];
  var active = -1;
  var asked = 0;
  var timer = null;

  function open(show) {
    list.hidden = !show;
    input.setAttribute("aria-expanded", show ? "true" : "false");
    if (!show) { setActive(-1); }
  }
  function setActive(index) {
    active = index;
    var options = list.children;
    for (var i = 0; i < options.length; i++) {
      options[i].setAttribute("aria-selected", i === index ? "true" : "false");
    }
    if (index >= 0 && options[index]) {
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }
  function go(index) {
    window.location.assign("/items/" + encodeURIComponent(String(items[index].type_id)));
  }
  function show(found) {
    items = found;
    list.textContent = "";
    found.forEach(function (item, i) {
      var option = document.createElement("li");
      option.id = "item-option-" + i;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.textContent = item.name;
      option.addEventListener("mousedown", function (event) { event.preventDefault(); go(i); });
      list.appendChild(option);
    });
    setActive(-1);
    open(found.length > 0);
    if (count) {  // read out by screen readers, which do not announce the list's appearing
      var query = input.value.trim();
      count.textContent = !query ? "" : found.length === 1 ? "1 matching item" :
        found.length ? found.length + " matching items" : "No item matches";
    }
  }
  function ask() {
    var query = input.value.trim();
    var mine = ++asked;
    if (!query) { show([]); return; }
    fetch("/api/v1/items?q=" + encodeURIComponent(query), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(function (found) { if (mine === asked) { show(Array.isArray(found) ? found : []); } })
      .catch(function () { if (mine === asked) { show([]); } });
  }
  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(ask, 150);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!items.length) { return; }
      event.preventDefault();
      if (list.hidden) { open(true); }
      var step = event.key === "ArrowDown" ? 1 : -1;
      setActive((active + step + items.length + (active < 0 && step < 0 ? 1 : 0)) % items.length);
    } else if (event.key === "Enter") {
      if (!list.hidden && active >= 0) { event.preventDefault(); go(active); }
    } else if (event.key === "Escape") {
      if (!list.hidden) { event.preventDefault(); open(false); }
    }
  });
  input.addEventListener("blur", function () { open(false); });
}());
