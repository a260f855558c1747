// A table wider than its column scrolls in its own box; say so: a "scroll →" hint above it and a
// fading right edge while there is more to the right (classes styled in report.css).
(function () {
  "use strict";
  function update(box) {
    var wide = box.scrollWidth > box.clientWidth + 1;
    box.classList.toggle("ips-more-right", wide && box.scrollWidth - box.clientWidth - box.scrollLeft > 1);
    var hint = box.previousElementSibling;
    var hasHint = hint !== null && hint.classList.contains("ips-scroll-hint");
    if (wide && !hasHint) {
      hint = document.createElement("p");
      hint.className = "ips-scroll-hint";
      hint.setAttribute("aria-hidden", "true");
      hint.textContent = "scroll →";
      box.parentNode.insertBefore(hint, box);
    } else if (!wide && hasHint) {
      hint.remove();
    }
  }
  function boxes() {
    return document.querySelectorAll(".pst-scrollable-table-container");
  }
  // On a phone a table of four columns or more is shown as cards, one per row, each value under its
  // column's name (report.css, max-width 640px), so that no column that matters is off-screen.
  function cards() {
    document.querySelectorAll("table.ips-table").forEach(function (table) {
      var head = table.querySelector("thead tr:last-child");
      if (!head || head.children.length < 4) { return; }
      var names = Array.prototype.map.call(head.children, function (cell) { return cell.textContent.trim(); });
      table.classList.add("ips-cards");
      table.querySelectorAll("tbody tr").forEach(function (row) {
        if (row.children.length !== names.length) { return; }  // a group's heading: one cell across
        Array.prototype.forEach.call(row.children, function (cell, i) {
          if (names[i]) { cell.setAttribute("data-label", names[i]); }
        });
      });
    });
  }
  function start() {
    cards();
    // checked again whenever a box or its table changes size (fonts loading, a window resized)
    var observer = "ResizeObserver" in window ? new ResizeObserver(function (entries) {
      entries.forEach(function (entry) { update(entry.target.closest(".pst-scrollable-table-container")); });
    }) : null;
    boxes().forEach(function (box) {
      update(box);
      box.addEventListener("scroll", function () { update(box); }, { passive: true });
      if (observer) {
        observer.observe(box);
        if (box.firstElementChild) { observer.observe(box.firstElementChild); }
      }
    });
    window.addEventListener("load", function () { boxes().forEach(update); });
    window.addEventListener("resize", function () { boxes().forEach(update); });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
