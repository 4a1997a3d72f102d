// Keeps <html lang> in step with the language the page shows: the header's language
// switch carries it in data-hcp-lang ("en" or "hi"), so screen readers and the browser
// read Hindi pages as Hindi. A static file, so the Content-Security-Policy admits it.
(function () {
  function apply() {
    var marker = document.querySelector("[data-hcp-lang]");
    var lang = marker && marker.getAttribute("data-hcp-lang") === "hi" ? "hi" : "en";
    if (document.documentElement.getAttribute("lang") !== lang) {
      document.documentElement.setAttribute("lang", lang);
    }
  }
  new MutationObserver(apply).observe(document.documentElement, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ["data-hcp-lang"],
  });
})();
