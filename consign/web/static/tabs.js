// On a phone a strip of tabs is one line that scrolls sideways, its name kept at the left
// (consign.css): with JavaScript, each strip opens scrolled so that the page's own tab is
// in the middle of the room beside that name, none of it under the name.
document.addEventListener("DOMContentLoaded", function () {
  var strips = document.querySelectorAll(".tabs.strip");
  for (var i = 0; i < strips.length; i++) {
    var strip = strips[i];
    var current = strip.querySelector('[aria-current="page"]');
    if (!current || strip.scrollWidth <= strip.clientWidth) { continue; }
    var name = strip.querySelector(".place");
    var covered = name ? name.offsetWidth : 0;
    var room = strip.clientWidth - covered;
    strip.scrollLeft = current.offsetLeft - covered - Math.max(0, (room - current.offsetWidth) / 2);
  }
});
