// Bangfu pickers (issue 17): a search box beside a number input (common/widgets.PickerInput).
// Without this script the number input alone works; with it the search box appears, htmx fetches
// the matches, and a pick writes the number into the input. Written for this project.
(function () {
  "use strict";

  function pickerOf(el) { return el.closest ? el.closest("[data-picker]") : null; }
  function valueInput(picker) { return picker.querySelector(".picker-value"); }
  function searchInput(picker) { return picker.querySelector(".picker-q"); }
  function options(picker) { return Array.prototype.slice.call(picker.querySelectorAll(".picker-option")); }

  // The input of the field named `name` in the same form (a form prefix may stand before it).
  function fieldInput(picker, name) {
    var scope = picker.closest("form") || document;
    var inputs = scope.querySelectorAll(".picker-value");
    for (var i = 0; i < inputs.length; i++) {
      var n = inputs[i].name;
      if (n === name || n.slice(-(name.length + 1)) === "-" + name) { return inputs[i]; }
    }
    return null;
  }

  function init(root) {
    var pickers = (root.querySelectorAll ? root : document).querySelectorAll("[data-picker]");
    for (var i = 0; i < pickers.length; i++) {
      var search = pickers[i].querySelector(".picker-search");
      if (search) { search.hidden = false; }
    }
  }

  function choose(button) {
    var picker = pickerOf(button);
    var input = valueInput(picker);
    var value = button.getAttribute("data-value");
    var label = button.getAttribute("data-label");
    var chosen = picker.querySelector(".picker-chosen");
    if (picker.hasAttribute("data-picker-multiple")) {
      var values = input.value.split(/[,，\s]+/).filter(function (v) { return v; });
      if (values.indexOf(value) < 0) { values.push(value); }
      input.value = values.join(", ");
      chosen.textContent = (chosen.textContent ? chosen.textContent + "；" : "") + label;
    } else {
      input.value = value;
      chosen.textContent = label;
    }
    picker.querySelector(".picker-results").innerHTML = "";
    var q = searchInput(picker);
    q.value = "";
    input.dispatchEvent(new Event("change", { bubbles: true }));
    q.focus();
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (event) { init(event.target); });

  // Each search sends q, and the number of the field it depends on (the member picker's household).
  document.addEventListener("htmx:configRequest", function (event) {
    var elt = event.detail.elt;
    if (!elt.classList || !elt.classList.contains("picker-q")) { return; }
    var picker = pickerOf(elt);
    event.detail.parameters.q = elt.value;
    var depends = picker.getAttribute("data-picker-depends");
    if (depends) {
      var other = fieldInput(picker, depends);
      event.detail.parameters[depends] = other ? other.value.trim() : "";
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".picker-option");
    if (button) { event.preventDefault(); choose(button); }
  });

  // A new number in a picker reloads the pickers depending on it (a household's members).
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.classList || !input.classList.contains("picker-value")) { return; }
    var scope = input.closest("form") || document;
    var dependents = scope.querySelectorAll("[data-picker-depends]");
    for (var i = 0; i < dependents.length; i++) {
      var name = dependents[i].getAttribute("data-picker-depends");
      if (fieldInput(dependents[i], name) === input && window.htmx) {
        window.htmx.trigger(searchInput(dependents[i]), "picker-reload");
      }
    }
  });

  // Keyboard: arrow down from the search box into the results, arrows between them, Escape back;
  // Enter in the search box searches instead of submitting the form.
  document.addEventListener("keydown", function (event) {
    var el = event.target;
    var picker = pickerOf(el);
    if (!picker) { return; }
    var list = options(picker);
    if (el.classList.contains("picker-q")) {
      if (event.key === "ArrowDown" && list.length) { event.preventDefault(); list[0].focus(); }
      else if (event.key === "Enter") {
        event.preventDefault();
        if (list.length === 1) { choose(list[0]); } else if (window.htmx) { window.htmx.trigger(el, "picker-reload"); }
      }
      else if (event.key === "Escape") { picker.querySelector(".picker-results").innerHTML = ""; }
    } else if (el.classList.contains("picker-option")) {
      var i = list.indexOf(el);
      if (event.key === "ArrowDown" && i < list.length - 1) { event.preventDefault(); list[i + 1].focus(); }
      else if (event.key === "ArrowUp") { event.preventDefault(); (i > 0 ? list[i - 1] : searchInput(picker)).focus(); }
      else if (event.key === "Home") { event.preventDefault(); list[0].focus(); }
      else if (event.key === "End") { event.preventDefault(); list[list.length - 1].focus(); }
      else if (event.key === "Escape") { event.preventDefault(); searchInput(picker).focus(); }
    }
  });
})();
