// The error summary takes focus when the page opens, so a keyboard or screen-reader
// user starts at the list of problems (GOV.UK / NL Design System pattern). Without
// JavaScript the summary is still the first thing in the content.
var summary = document.querySelector("[data-error-summary]");
if (summary) {
  summary.focus();
}

// A link in the summary puts the cursor in its field, with the field's label in view
// (a plain fragment link only scrolls, and hides the label above the field).
document.querySelectorAll("[data-error-summary] a[href^='#']").forEach(function (link) {
  link.addEventListener("click", function (event) {
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (!field) {
      return;
    }
    event.preventDefault();
    var label = document.querySelector("label[for='" + field.id + "']");
    (label || field).scrollIntoView();
    field.focus({ preventScroll: true });
  });
});
