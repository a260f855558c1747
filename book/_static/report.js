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
  function start() {
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
