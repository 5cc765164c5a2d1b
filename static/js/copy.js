// Copy buttons (data-copy="#id"): put that element's text (a form field's value)
// on the clipboard and say so in the status region named by data-copy-status, which
// screen readers announce. Without JavaScript or a clipboard the button stays hidden:
// the text is on the page to select and copy by hand. Kept in a file so the
// Content-Security-Policy can forbid inline scripts.
document.querySelectorAll("[data-copy]").forEach(function (button) {
  var source = document.querySelector(button.getAttribute("data-copy"));
  var status = document.querySelector(button.getAttribute("data-copy-status"));
  if (!source || !status || !navigator.clipboard) {
    return;
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    var text = "value" in source ? source.value : source.textContent;
    status.textContent = "";
    navigator.clipboard.writeText(text).then(
      function () { status.textContent = button.getAttribute("data-copied"); },
      function () { status.textContent = button.getAttribute("data-copy-failed"); }
    );
  });
});
