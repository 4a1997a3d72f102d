// Starts Swagger UI on this API's OpenAPI document. A file rather than an inline script,
// so that the page runs under the app's Content-Security-Policy (scripts from this origin).
window.addEventListener("load", function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.getAttribute("data-openapi-url"),
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    validatorUrl: null,
    displayRequestDuration: true,
    persistAuthorization: false,
    defaultModelsExpandDepth: 0
  });
});
