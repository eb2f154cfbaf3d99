// Bangfu payments pages: a long step (building a county's payroll, reading a bank's return file)
// says it is working and cannot be sent twice. <form data-busy="message">.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute && form.getAttribute("data-busy");
    if (!message || event.defaultPrevented) { return; }
    if (form.getAttribute("data-sent")) { event.preventDefault(); return; }
    form.setAttribute("data-sent", "1");
    var buttons = form.querySelectorAll("button[type=submit]");
    for (var i = 0; i < buttons.length; i++) { buttons[i].setAttribute("aria-disabled", "true"); }
    var note = document.createElement("p");
    note.className = "help busy";
    note.setAttribute("role", "status");
    note.textContent = message;
    form.appendChild(note);
  });
})();
