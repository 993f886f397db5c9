// Counterpart's only script of its own. Loaded from our origin (the CSP forbids inline script).
"use strict";

// Loaded in the head without defer, so that pages styled for a running script (the phone
// menu) never flash: everything below waits for events.
document.documentElement.classList.add("js");

// The phone menu opens and closes on its button; [data-print] prints the page.
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) {
    window.print();
    return;
  }
  var toggle = event.target.closest(".menu-toggle");
  if (toggle) {
    var nav = document.getElementById(toggle.getAttribute("aria-controls"));
    var open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(open));
    nav.classList.toggle("open", open);
    return;
  }
  // A click outside an open menu closes it.
  document.querySelectorAll("details.dropdown[open]").forEach(function (d) {
    if (!d.contains(event.target)) {
      d.open = false;
    }
  });
});

// The header search's results close with Escape (focus stays in the box) and when focus
// or a click goes elsewhere.
function closeQuickResults() {
  var found = document.getElementById("header-found");
  if (found) {
    found.innerHTML = "";
  }
}
document.addEventListener("focusin", function (event) {
  if (!event.target.closest || !event.target.closest(".header-search")) {
    closeQuickResults();
  }
});
document.addEventListener("click", function (event) {
  if (!event.target.closest || !event.target.closest(".header-search")) {
    closeQuickResults();
  }
});

// Escape closes an open menu and returns focus to its summary.
document.addEventListener("keydown", function (event) {
  if (event.key !== "Escape") {
    return;
  }
  if (event.target.closest && event.target.closest(".header-search")) {
    closeQuickResults();
    document.getElementById("header-q").focus();
    return;
  }
  var open = event.target.closest && event.target.closest("details.dropdown[open]");
  if (open) {
    open.open = false;
    open.querySelector("summary").focus();
  }
});

// Opening one menu closes the others.
document.addEventListener("toggle", function (event) {
  var d = event.target;
  if (d.matches && d.matches("details.dropdown") && d.open) {
    document.querySelectorAll("details.dropdown[open]").forEach(function (other) {
      if (other !== d) {
        other.open = false;
      }
    });
  }
}, true);

// A search's refusal (too long, 422) is shown where its results would be.
document.addEventListener("htmx:beforeSwap", function (event) {
  var target = event.detail.target.id;
  if (event.detail.xhr.status === 422 && (target === "header-found" || target === "results")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

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

// Filters apply on their button only: choosing with the arrow keys must not reload the page
// (WCAG 3.2.2). After the reload, focus returns to the control that applied them.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form.matches("form.filters") && event.submitter && event.submitter.id) {
    sessionStorage.setItem("cp-refocus", event.submitter.id);
  }
});
document.addEventListener("DOMContentLoaded", function () {
  var id = sessionStorage.getItem("cp-refocus");
  if (id) {
    sessionStorage.removeItem("cp-refocus");
    var el = document.getElementById(id);
    if (el) {
      el.focus();
    }
  }
});

// A box that scrolls sideways (a wide table) must be reachable by keyboard to scroll it: it
// becomes a focusable region named after its table's caption or its section's heading.
function markScrollable() {
  document.querySelectorAll(".table-wrap, .chart-scroll").forEach(function (el) {
    if (el.scrollWidth > el.clientWidth + 1) {
      if (!el.hasAttribute("tabindex")) {
        el.setAttribute("tabindex", "0");
        el.setAttribute("role", "region");
        var named = el.querySelector("caption") || (el.closest("section") || document).querySelector("h2, h1");
        el.setAttribute("aria-label", named ? named.textContent.trim() : document.title);
        el.setAttribute("data-scroll-region", "");
      }
    } else if (el.hasAttribute("data-scroll-region")) {
      ["tabindex", "role", "aria-label", "data-scroll-region"].forEach(function (a) { el.removeAttribute(a); });
    }
  });
}
document.addEventListener("DOMContentLoaded", markScrollable);
window.addEventListener("resize", markScrollable);
document.addEventListener("htmx:afterSettle", markScrollable);

// Org charts open fitted to the width of their box (a wide one no smaller than 40 %, then
// centred on its top, where the reading starts); the zoom buttons scale the picture, and a
// mouse drags it around (fingers and arrow keys scroll the box as any other).
function zoomChart(figure, how) {
  var svg = figure.querySelector("svg");
  var box = figure.querySelector(".chart-scroll");
  var natural = Number(svg.getAttribute("width"));
  var scale = Number(figure.getAttribute("data-scale") || "1");
  var fit = Math.min(1, (box.clientWidth - 2) / natural);
  scale = {
    fit: Math.max(fit, 0.4),
    in: Math.min(2, scale * 1.25),
    out: Math.max(Math.min(fit, 0.4), scale / 1.25),
    actual: 1
  }[how];
  figure.setAttribute("data-scale", String(scale));
  svg.style.width = Math.round(natural * scale) + "px";
  svg.style.height = "auto";
  figure.querySelector(".zoom-level").textContent = Math.round(scale * 100) + " %";
  box.scrollLeft = (box.scrollWidth - box.clientWidth) / 2;
  markScrollable();
}
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-zoom]");
  if (button) {
    zoomChart(button.closest("figure"), button.getAttribute("data-zoom"));
  }
});
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("figure.orgchart").forEach(function (figure) {
    zoomChart(figure, "fit");
  });
});
document.addEventListener("pointerdown", function (event) {
  var box = event.target.closest(".orgchart .chart-scroll");
  if (!box || event.pointerType !== "mouse" || event.button !== 0) {
    return;
  }
  var start = { x: event.clientX, y: event.clientY, left: box.scrollLeft, top: box.scrollTop };
  var moved = false;
  function move(e) {
    var dx = e.clientX - start.x, dy = e.clientY - start.y;
    if (!moved && Math.abs(dx) + Math.abs(dy) < 5) {
      return;
    }
    moved = true;
    box.classList.add("dragging");
    box.scrollLeft = start.left - dx;
    box.scrollTop = start.top - dy;
  }
  function up() {
    document.removeEventListener("pointermove", move);
    document.removeEventListener("pointerup", up);
    box.classList.remove("dragging");
    if (moved) {
      // A drag that ends on a person is not a click on that person.
      box.addEventListener("click", function (e) { e.preventDefault(); }, { capture: true, once: true });
    }
  }
  document.addEventListener("pointermove", move);
  document.addEventListener("pointerup", up);
});
