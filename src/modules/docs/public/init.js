// Kept out of index.html: helmet's CSP allows same-origin scripts only, never inline ones.
window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  persistAuthorization: false,
});
