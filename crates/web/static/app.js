// Counterpart's only script of its own. Loaded from our origin (the CSP forbids inline script).
"use strict";

// htmx requests carry the CSRF token of the page in a header.
document.addEventListener("htmx:configRequest", function (event) {
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) {
    event.detail.headers["X-CSRF-Token"] = meta.content;
  }
});

// Forms with data-confirm ask before they submit (deactivate, overwrite …); forms with
// data-busy show that long work is under way (imports) and cannot be sent twice.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var message = form.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
    return;
  }
  var busy = form.getAttribute("data-busy");
  if (busy) {
    form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
    var note = document.createElement("p");
    note.className = "busy";
    note.setAttribute("role", "status");
    note.textContent = busy;
    form.appendChild(note);
  }
});

// Select elements with data-autosubmit submit their form on change (filters).
document.addEventListener("change", function (event) {
  if (event.target.matches("[data-autosubmit]")) {
    event.target.form.requestSubmit();
  }
});

// Wide org charts open centred on their top, where the reading starts.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".chart-scroll").forEach(function (el) {
    el.scrollLeft = (el.scrollWidth - el.clientWidth) / 2;
  });
});
