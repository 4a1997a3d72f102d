// Keeps <html lang> in step with the language the page shows: the header's language
// switch carries it in data-hcp-lang ("en" or "hi"), so screen readers and the browser
// read Hindi pages as Hindi. The page's title in that language rides in data-hcp-title
// (the <title> written at build time is English) and becomes the tab's title.
// A static file, so the Content-Security-Policy admits it.
(function () {
  function apply() {
    var marker = document.querySelector("[data-hcp-lang]");
    var lang = marker && marker.getAttribute("data-hcp-lang") === "hi" ? "hi" : "en";
    if (document.documentElement.getAttribute("lang") !== lang) {
      document.documentElement.setAttribute("lang", lang);
    }
    var title = document.querySelector("[data-hcp-title]");
    var text = title && title.getAttribute("data-hcp-title");
    if (text && document.title !== text) {
      document.title = text;
    }
  }
  new MutationObserver(apply).observe(document.documentElement, {
    subtree: true,
    childList: true,
    characterData: true,
    attributes: true,
    attributeFilter: ["data-hcp-lang", "data-hcp-title"],
  });
})();
