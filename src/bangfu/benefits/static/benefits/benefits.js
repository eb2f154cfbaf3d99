// Bangfu benefits pages: "select all" checkboxes of the due-review worklist.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var group = event.target.getAttribute && event.target.getAttribute("data-check-all");
    if (!group) { return; }
    var boxes = document.querySelectorAll('input[data-group="' + group + '"]');
    for (var i = 0; i < boxes.length; i++) { boxes[i].checked = event.target.checked; }
  });
})();
