// Starts Swagger UI on the served OpenAPI document (kept out of the HTML so the page's
// Content-Security-Policy can forbid inline scripts).
window.addEventListener("DOMContentLoaded", function () {
  window.ui = SwaggerUIBundle({
    url: "/api/v1/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    persistAuthorization: false,
    tryItOutEnabled: true,
  });
});
