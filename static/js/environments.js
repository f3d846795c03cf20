/*
 * The environment switcher (templates/environments/includes/band.html) is a <details> menu,
 * which works without script. This adds what keyboard users expect of a menu button:
 *
 *   on its summary   ArrowDown opens it on the current environment (ArrowUp: on the last link);
 *                    Enter and Space open and close it, as <details> does
 *   in the menu      ArrowDown / ArrowUp the next / previous link (wrapping), Home / End the
 *                    first / last; Enter follows the link; Tab still moves on through them
 *   anywhere         Escape closes it, focus back on its summary
 *
 * and closes it once focus moves to something outside it or a click lands outside it, so it
 * never stays open over the page. It keeps the disclosure's own semantics (no role="menu"): the
 * links stay links, and the same markup without script is still honest about what it does.
 */
(function () {
  "use strict";

  function openSwitcher() {
    return document.querySelector(".environment-switcher[open]");
  }

  function links(switcher) {
    return Array.from(switcher.querySelectorAll(".environment-switcher__option"));
  }

  function close(switcher) {
    switcher.open = false;
    switcher.querySelector("summary").focus();
  }

  /** Open the switcher (if it is not) and focus one of its links: `pick(links)`. */
  function focusLink(switcher, pick) {
    switcher.open = true;
    const all = links(switcher);
    const link = all.length && pick(all);
    if (link) link.focus();
  }

  function current(all) {
    return all.find(function (link) { return link.getAttribute("aria-current") === "true"; }) || all[0];
  }

  function onSummary(switcher, key) {
    if (key === "ArrowDown") focusLink(switcher, current);
    else if (key === "ArrowUp") focusLink(switcher, function (all) { return all[all.length - 1]; });
    else return false;
    return true;
  }

  function inMenu(switcher, link, key) {
    const all = links(switcher);
    const at = all.indexOf(link);
    const next = {
      ArrowDown: all[(at + 1) % all.length],
      ArrowUp: all[(at - 1 + all.length) % all.length],
      Home: all[0],
      End: all[all.length - 1],
    }[key];
    if (!next) return false;
    next.focus();
    return true;
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) return;
    const open = openSwitcher();
    if (event.key === "Escape") {
      if (open) close(open);
      return;
    }
    const target = event.target;
    const switcher = target instanceof Element && target.closest(".environment-switcher");
    if (!switcher) return;
    const handled = target.matches("summary")
      ? onSummary(switcher, event.key)
      : switcher.open && target.matches(".environment-switcher__option") && inMenu(switcher, target, event.key);
    if (handled) event.preventDefault(); // no page scroll
  });

  // Tabbing (or clicking a control) elsewhere closes it. Focus going nowhere (a click on the
  // menu's padding, another window) leaves it open; a click outside is handled below.
  document.addEventListener("focusout", function (event) {
    const switcher = event.target instanceof Element && event.target.closest(".environment-switcher[open]");
    const to = event.relatedTarget;
    if (switcher && to instanceof Node && !switcher.contains(to)) switcher.open = false;
  });

  document.addEventListener("click", function (event) {
    const switcher = openSwitcher();
    if (switcher && !switcher.contains(event.target)) switcher.open = false;
  });
})();
