// Ticks every element with a data-deadline (an ISO instant) as mm:ss until it passes.
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
  setInterval(tick, 500);
})();
