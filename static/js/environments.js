/*
 * The environment switcher (templates/environments/includes/band.html) is a <details> menu,
 * which works without script; this closes it as menus close: on Escape (focus back on its
 * summary) and on a click elsewhere.
 */
(function () {
  "use strict";

  function openSwitcher() {
    return document.querySelector(".environment-switcher[open]");
  }

  document.addEventListener("keydown", function (event) {
    const switcher = openSwitcher();
    if (event.key !== "Escape" || !switcher) return;
    switcher.open = false;
    switcher.querySelector("summary").focus();
  });

  document.addEventListener("click", function (event) {
    const switcher = openSwitcher();
    if (switcher && !switcher.contains(event.target)) switcher.open = false;
  });
})();
