// Print buttons (data-print): a small enhancement; without JavaScript the browser's
// own print command works the same. Kept in a file so the Content-Security-Policy
// can forbid inline scripts.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
