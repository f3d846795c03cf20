/*
 * The environment switcher (templates/environments/includes/band.html) is a <details> menu,
 * which works without script. This adds what keyboard users expect of a menu button: the keys
 * in KEYS below (arrows to open it and move through its links, Home / End, Escape to close),
 * besides what <details> and links do by themselves (Enter and Space open and close it, Enter
 * follows a link, Tab still moves on through them).
 *
 * It also closes it once focus moves to something outside it or a click lands outside it, so it
 * never stays open over the page. It keeps the disclosure's own semantics (no role="menu"): the
 * links stay links, and the same markup without script is still honest about what it does.
 */
(function () {
  "use strict";

  const BUTTON = { selector: "summary", name: "On its button" };
  const LINK = { selector: ".environment-switcher__option", name: "In its menu" };

  function current(all) {
    return all.find(function (link) { return link.getAttribute("aria-current") === "true"; }) || all[0];
  }
  function first(all) { return all[0]; }
  function last(all) { return all[all.length - 1]; }
  function next(all, at) { return all[(at + 1) % all.length]; }
  function previous(all, at) { return all[(at - 1 + all.length) % all.length]; }

  // Every key the switcher answers: where the focus must be (`on`; none: anywhere, while it is
  // open), what it does, and the link it focuses (`pick(links, index of the focused one)`; none:
  // it closes). The shortcuts dialog lists this same table (listKeys), so the dialog and the
  // bindings cannot drift apart.
  const KEYS = [
    { key: "ArrowDown", on: BUTTON, does: "open it on the current environment", pick: current },
    { key: "ArrowUp", on: BUTTON, does: "open it on its last link", pick: last },
    { key: "ArrowDown", on: LINK, does: "next link (wrapping)", pick: next },
    { key: "ArrowUp", on: LINK, does: "previous link (wrapping)", pick: previous },
    { key: "Home", on: LINK, does: "first link", pick: first },
    { key: "End", on: LINK, does: "last link", pick: last },
    { key: "Escape", does: "Close it, focus back on its button" },
  ];
  const KEY_NAMES = { ArrowDown: "\u2193", ArrowUp: "\u2191", Escape: "Esc" };

  function openSwitcher() {
    return document.querySelector(".environment-switcher[open]");
  }

  function links(switcher) {
    return Array.from(switcher.querySelectorAll(LINK.selector));
  }

  function close(switcher) {
    switcher.open = false;
    switcher.querySelector(BUTTON.selector).focus();
  }

  /** Open the switcher (if it is not) and focus the link `pick(links, at)` chooses. */
  function focusLink(switcher, pick, at) {
    switcher.open = true;
    const all = links(switcher);
    const link = all.length && pick(all, at);
    if (link) link.focus();
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) return;
    const target = event.target;
    const inside = target instanceof Element && target.closest(".environment-switcher");
    const open = openSwitcher();
    const binding = KEYS.find(function (each) {
      if (each.key !== event.key) return false;
      return each.on ? inside && target.matches(each.on.selector) : open !== null;
    });
    if (!binding) return;
    if (!binding.pick) {
      close(open); // Escape: left for others to see too (a dialog closes on it)
      return;
    }
    focusLink(inside, binding.pick, links(inside).indexOf(target));
    event.preventDefault(); // no page scroll
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

  /** KEYS, as rows of the shortcuts dialog's switcher list (templates/includes/shortcuts.html). */
  function listKeys() {
    const list = document.querySelector("#shortcuts [data-switcher-keys]");
    if (!list) return;
    KEYS.forEach(function (binding) {
      const key = document.createElement("kbd");
      key.textContent = KEY_NAMES[binding.key] || binding.key;
      const keys = document.createElement("dt");
      keys.append(key);
      const does = document.createElement("dd");
      does.textContent = binding.on ? binding.on.name + ": " + binding.does : binding.does;
      const row = document.createElement("div");
      row.append(keys, does);
      list.append(row);
    });
  }

  document.addEventListener("DOMContentLoaded", listKeys);
})();
