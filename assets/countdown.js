// Ticks every element with a data-deadline (an ISO instant) as mm:ss until it passes: at
// once when one appears on the page, then twice a second.
(function () {
  function tick() {
    document.querySelectorAll("[data-deadline]").forEach(function (el) {
      var deadline = Date.parse(el.getAttribute("data-deadline"));
      if (isNaN(deadline)) { return; }
      var seconds = Math.max(0, Math.floor((deadline - Date.now()) / 1000));
      var text = String(Math.floor(seconds / 60)).padStart(2, "0") + ":" +
        String(seconds % 60).padStart(2, "0");
      if (el.textContent !== text) { el.textContent = text; }
      el.setAttribute("data-expired", seconds === 0 ? "true" : "false");
    });
  }
  new MutationObserver(function (changes) {
    for (var i = 0; i < changes.length; i++) {
      if (changes[i].type === "attributes" || changes[i].addedNodes.length) { tick(); return; }
    }
  }).observe(document.documentElement, {
    childList: true, subtree: true, attributes: true, attributeFilter: ["data-deadline"]
  });
  setInterval(tick, 500);
})();
