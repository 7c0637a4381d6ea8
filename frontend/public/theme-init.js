// Runs before the first paint so a dark-theme user never sees a white flash. Kept tiny and
// separate because the Content-Security-Policy forbids inline scripts.
(function () {
  var stored = null;
  try { stored = localStorage.getItem("sm-theme"); } catch (e) { /* storage blocked */ }
  var dark = stored === "dark" ||
    (stored !== "light" && window.matchMedia("(prefers-color-scheme: dark)").matches);
  document.documentElement.classList.toggle("dark", dark);
})();
