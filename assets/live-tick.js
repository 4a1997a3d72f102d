// Clicks every element marked data-live-tick (its value: milliseconds between clicks)
// while the page is visible: a live page's cheap "anything new?" to the server. A static
// file, not an inline script, so the page's Content-Security-Policy admits it.
(function () {
  var last = new WeakMap();
  setInterval(function () {
    if (document.visibilityState !== "visible") { return; }
    var now = Date.now();
    document.querySelectorAll("[data-live-tick]").forEach(function (el) {
      var every = parseInt(el.getAttribute("data-live-tick"), 10) || 1000;
      if (!last.has(el)) { last.set(el, now); return; }  // the first ask after one period
      if (now - last.get(el) >= every) { last.set(el, now); el.click(); }
    });
  }, 250);
})();
