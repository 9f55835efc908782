// Swagger UI over the hub's own description (GET /openapi). A file, not an inline script: the hub's
// Content-Security-Policy allows scripts from the hub only.
window.addEventListener('DOMContentLoaded', () => {
    window.ui = SwaggerUIBundle({
        url: '../openapi',
        dom_id: '#swagger-ui',
        deepLinking: true,
        tryItOutEnabled: false
    });
});
