// Bangfu: the little script the pages need besides htmx. Written for this project.
(function () {
  "use strict";
  // <form data-confirm="…">: ask before submitting (deleting a row).
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute && event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  }, true);
})();
