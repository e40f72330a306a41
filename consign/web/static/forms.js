// A form that writes is sent once: as it goes, its buttons are disabled, so that a second
// tap on a slow connection (the page not yet replaced) does not record the same thing
// twice. Without JavaScript every form still works. Coming back to the page (the back
// button) finds its buttons usable again.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if ((form.getAttribute("method") || "get").toLowerCase() !== "post") { return; }
  setTimeout(function () {  // after the browser has taken the button that sent it
    if (event.defaultPrevented) { return; }
    var buttons = form.querySelectorAll("button");
    for (var i = 0; i < buttons.length; i++) {
      if (!buttons[i].disabled) {
        buttons[i].disabled = true;
        buttons[i].setAttribute("data-sent", "");
      }
    }
  }, 0);
});
window.addEventListener("pageshow", function () {
  var sent = document.querySelectorAll("button[data-sent]");
  for (var i = 0; i < sent.length; i++) {
    sent[i].disabled = false;
    sent[i].removeAttribute("data-sent");
  }
});
