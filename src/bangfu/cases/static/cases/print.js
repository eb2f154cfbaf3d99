// The print button of the printable notices (no inline onclick: the Content-Security-Policy forbids it).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) {
      window.print();
    }
  });
})();
