// On a phone a strip of tabs is one line that scrolls sideways (consign.css): with
// JavaScript, each strip opens scrolled to the page it is on, so that its tab is in view.
document.addEventListener("DOMContentLoaded", function () {
  var strips = document.querySelectorAll(".tabs.strip");
  for (var i = 0; i < strips.length; i++) {
    var strip = strips[i];
    var current = strip.querySelector('[aria-current="page"]');
    if (!current || strip.scrollWidth <= strip.clientWidth) { continue; }
    strip.scrollLeft = current.offsetLeft - (strip.clientWidth - current.offsetWidth) / 2;
  }
});
