// Small enhancements; every page works without them.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    // Copy buttons (the calendar link): shown only where a script can copy.
    document.querySelectorAll("button[data-copy-target]").forEach(function (button) {
      var field = document.getElementById(button.getAttribute("data-copy-target"));
      if (!field || !navigator.clipboard) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(field.value).then(function () {
          button.textContent = document.documentElement.lang === "ja" ? "コピーしました" : "Copied";
        });
      });
    });
    // Print buttons.
    document.querySelectorAll("button[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
    // A button that starts a long run says so while the page waits.
    document.querySelectorAll("button[data-busy]").forEach(function (button) {
      button.form && button.form.addEventListener("submit", function () {
        button.textContent = button.getAttribute("data-busy");
        button.setAttribute("aria-busy", "true");
      });
    });
    // The comparison report in its frame: as tall as its content, so the page scrolls as one.
    document.querySelectorAll("iframe.report-frame").forEach(function (frame) {
      frame.addEventListener("load", function () {
        try {
          var height = frame.contentDocument.documentElement.scrollHeight;
          if (height) frame.style.height = height + 24 + "px";
        } catch (e) { /* another origin: keep the fixed height */ }
      });
    });
  });
})();
