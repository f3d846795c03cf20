/*
 * Keyboard shortcuts (bound with tinykeys, from npm) and copy buttons.
 *
 *   /        focus the page's filter (the first field of its search form)
 *   j / k    next / previous row of the page's table; the row's link takes the focus
 *   Enter    open the current row (a focused link opens by itself)
 *   x        tick the current row's checkbox, for bulk actions (static/js/bulk.js)
 *   g c ...  go to a section: each main navigation link says its keys (data-goto-keys)
 *   ?        the list of shortcuts (#shortcuts, a <dialog>)
 *
 * None of them acts while the user types in a field, nor with a dialog open (but Escape).
 */
(function () {
  "use strict";

  const CURRENT = "is-current";
  const NOT_TYPING = ["checkbox", "radio", "button", "submit", "reset", "file", "image", "range", "color"];

  function typing(target) {
    if (!(target instanceof Element)) return false;
    if (target.isContentEditable || target.matches("textarea, select")) return true;
    return target.matches("input") && !NOT_TYPING.includes(target.type);
  }

  function rows() {
    return Array.from(document.querySelectorAll("#main table tbody tr")).filter(function (row) {
      return row.offsetParent !== null && row.querySelector("a[href], input[data-select]");
    });
  }

  function currentRow() {
    return document.querySelector("#main tr." + CURRENT);
  }

  function linkOf(row) {
    return row.querySelector("a[href]");
  }

  function move(step) {
    const all = rows();
    if (!all.length) return;
    const current = currentRow();
    const from = all.indexOf(current);
    const next = all[from < 0 ? (step > 0 ? 0 : all.length - 1) : Math.min(all.length - 1, Math.max(0, from + step))];
    if (current) current.classList.remove(CURRENT);
    next.classList.add(CURRENT);
    const target = linkOf(next) || next.querySelector("input[data-select]");
    target.focus({ preventScroll: true });
    next.scrollIntoView({ block: "nearest" });
    clearOfBulkBar(next);
  }

  // The bulk bar sticks to the bottom of the window (static/js/bulk.js): a row "in view" may
  // still be under it, so scroll it up above the bar (where the bar will sit once stuck).
  function clearOfBulkBar(row) {
    const bar = document.querySelector("form[data-bulk]:not([hidden])");
    if (!bar) return;
    const top = Math.min(bar.getBoundingClientRect().top, window.innerHeight - bar.offsetHeight);
    const covered = row.getBoundingClientRect().bottom - top;
    if (covered > 0) window.scrollBy(0, covered);
  }

  function focusFilter() {
    const field = document.querySelector(
      '#main [role="search"] input:not([type="hidden"]):not([type="checkbox"]), #main [role="search"] select'
    );
    if (!field) return;
    const fold = field.closest("details"); // folded on a phone (filter_form.html)
    if (fold) fold.open = true;
    field.focus();
    if (field.select) field.select();
  }

  function openRow() {
    const row = currentRow();
    const link = row && linkOf(row);
    if (link && document.activeElement !== link) link.click();
  }

  function toggleRow() {
    const row = currentRow() || (document.activeElement && document.activeElement.closest("#main tr"));
    const box = row && row.querySelector("input[data-select]");
    if (box) box.click();
  }

  function showShortcuts() {
    const dialog = document.getElementById("shortcuts");
    if (dialog && !dialog.open) dialog.showModal();
  }

  /** Wrap a handler: skipped while typing in a field or with a dialog open. */
  function whenNotTyping(handler) {
    return function (event) {
      if (typing(event.target) || document.querySelector("dialog[open]")) return;
      event.preventDefault();
      handler(event);
    };
  }

  function bind() {
    const bindings = {
      "/": focusFilter,
      j: function () { move(1); },
      k: function () { move(-1); },
      x: toggleRow,
      "Shift+?": showShortcuts,
      "?": showShortcuts,
    };
    document.querySelectorAll("[data-goto-keys]").forEach(function (link) {
      bindings[link.dataset.gotoKeys] = function () { window.location.assign(link.href); };
    });
    const wrapped = {};
    Object.keys(bindings).forEach(function (keys) { wrapped[keys] = whenNotTyping(bindings[keys]); });
    // Enter on a focused link or button does its own thing; only a row without focus needs us.
    wrapped.Enter = function (event) {
      if (typing(event.target) || event.target.closest("a, button, input, summary, dialog")) return;
      if (currentRow()) {
        event.preventDefault();
        openRow();
      }
    };
    window.tinykeys.tinykeys(window, wrapped);
  }

  // A click or focus elsewhere in a table makes that row the current one.
  document.addEventListener("focusin", function (event) {
    const row = event.target.closest && event.target.closest("#main table tbody tr");
    if (!row) return;
    const current = currentRow();
    if (current && current !== row) current.classList.remove(CURRENT);
    row.classList.add(CURRENT);
  });

  // --- Copy buttons -------------------------------------------------------------------------

  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-copy]");
    if (!button) return;
    const done = function () {
      button.textContent = "Copied";
      button.classList.add("copy-button--done");
      window.setTimeout(function () {
        button.textContent = "Copy";
        button.classList.remove("copy-button--done");
      }, 2000);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(button.dataset.copy).then(done, function () {
        button.textContent = "Press Ctrl+C";
      });
    } else {
      // Plain-HTTP pages have no clipboard API: select the text beside the button instead.
      const shown = button.previousElementSibling;
      if (shown) window.getSelection().selectAllChildren(shown);
      button.textContent = "Selected: press Ctrl+C";
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    if (window.tinykeys) bind();
    document.addEventListener("click", function (event) {
      if (event.target.closest("[data-show-shortcuts]")) showShortcuts();
    });
  });
})();
